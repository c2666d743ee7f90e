"""Moving a dossier through its steps (form 6): forward from reception to processing, assign to a person
or the pool, hand over to the next step, transfer to another unit, and internal notes."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.models import StaffRole
from dichvucong.catalog.models import StepKind
from dichvucong.directory.models import Agency
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services.transitions import dossier_move
from dichvucong.dossiers.workflow import GuardFailed, InvalidTransition, transition_check

from ..models import DossierStep, InternalNote
from ..permissions import NotPermitted, official_check
from .common import (
    STATE_OF_KIND,
    clean_text,
    dossier_advance,
    dossier_begin,
    step_assignee_check,
    step_finish,
    step_next_planned,
    step_notify,
    step_open,
)


@transaction.atomic
def dossier_forward(
    *, dossier_id: int, official, agency, assignee=None, note: str = "", expected_version: int | None = None
) -> DossierStep:
    """Hand a received dossier to the specialised unit (received → in_progress): the reception step ends,
    the first processing step starts at the competent agency, for `assignee` (a specialist there) or
    the pool of specialists."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="forward",
        expected_version=expected_version,
    )
    return dossier_advance(
        acting, "forward", StepKind.PROCESSING, official=official, assignee=assignee, note=note
    )


@transaction.atomic
def step_assign(
    *, dossier_id: int, official, agency, assignee=None, expected_version: int | None = None
) -> DossierStep:
    """Give the current step to `assignee` (None: back to the pool). A leader (approver) assigns any step
    on the desk; others take a step from the pool of their role or pass on the one they hold."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="assign",
        expected_version=expected_version,
        holder=False,
    )
    dossier, step = acting.dossier, acting.step
    if step is None:
        raise InvalidTransition("assign", dossier.state, acting.role)
    if acting.role != StaffRole.APPROVER and (
        acting.role != step.role or dossier.assigned_to_id not in (None, official.pk)
    ):
        raise NotPermitted(_("Chỉ lãnh đạo hoặc người đang giữ bước này mới phân công lại được."))
    step_assignee_check(assignee, agency=step.agency, role=step.role)
    dossier_move(
        dossier,
        "assign",
        actor=official,
        role=acting.role,
        step=step.pk,
        assignee=assignee.pk if assignee else None,
    )
    step.assigned_to = assignee
    step.save(update_fields=["assigned_to"])
    dossier.assigned_to = assignee
    dossier.save()
    if assignee is not None and assignee.pk != official.pk:
        step_notify(dossier, step, "dossier_assigned", action="assign")
    return step


@transaction.atomic
def step_hand_over(
    *, dossier_id: int, official, agency, assignee=None, note: str = "", expected_version: int | None = None
) -> DossierStep:
    """Hand the dossier to the next step when the state stays the same (a second processing step, a
    second approval level, result issuance → return); the other moves have their own action."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="hand_over",
        expected_version=expected_version,
    )
    dossier, current = acting.dossier, acting.step
    following = step_next_planned(dossier, current) if current else None
    if current is None or following is None or STATE_OF_KIND[following.kind] != STATE_OF_KIND[current.kind]:
        raise GuardFailed(
            "hand_over",
            dossier.state,
            acting.role,
            message=_(
                "Bước tiếp theo làm thay đổi trạng thái hồ sơ; "
                "hãy dùng thao tác tương ứng (trình ký, ký duyệt…)."
            ),
        )
    return dossier_advance(
        acting,
        "hand_over",
        following.kind,
        official=official,
        assignee=assignee,
        note=note,
        step=following.name,
    )


@transaction.atomic
def dossier_transfer(
    *, dossier_id: int, official, agency, to_agency: Agency, note: str, expected_version: int | None = None
) -> DossierStep:
    """Send the current step to another unit (chuyển đơn vị xử lý), e.g. for its opinion: the step ends
    here and a step of the same kind starts there, in the pool of its role. That unit may then act on
    the dossier (permissions: handling agency)."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="transfer",
        expected_version=expected_version,
    )
    dossier, current, now = acting.dossier, acting.step, timezone.now()
    if current is None:
        raise InvalidTransition("transfer", dossier.state, acting.role)
    note = clean_text(note)
    active = to_agency is not None and Agency.objects.filter(pk=to_agency.pk, is_active=True).exists()
    target = to_agency.pk if active else None
    dossier_move(
        dossier,
        "transfer",
        actor=official,
        role=acting.role,
        facts={"to_agency": target, "from_agency": current.agency_id},
        from_agency=current.agency_id,
        to_agency=target,
    )
    step_finish(
        current, by=official, note=note or _("Chuyển đến %(agency)s") % {"agency": to_agency.name}, now=now
    )
    step = step_open(
        dossier, current.kind, by=official, now=now, after=current, agency=to_agency, repeat=True
    )
    dossier.save()
    step_notify(dossier, step, "dossier_transferred", from_agency=current.agency.name)
    return step


def internal_note_add(*, dossier_id: int, official, agency, body: str) -> InternalNote:
    """A note for the officials on the dossier (add_note; never shown to the applicant, so it writes no
    timeline event: the note row itself is the record)."""
    dossier = Dossier.objects.get(pk=dossier_id)
    role = official_check(official, agency, "add_note", dossier)
    body = clean_text(body, 4000)
    transition_check("add_note", state=dossier.state, actor=role, body=body)
    return InternalNote.objects.create(dossier=dossier, author=official, agency=agency, body=body)
