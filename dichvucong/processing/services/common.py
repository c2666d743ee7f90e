"""What every back-office service starts with (lock, permission, freshness, desk) and the steps of form 6
(planned at reception, opened and finished as the dossier is handed over)."""

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.catalog.models import KIND_ROLE, StepKind, process_steps_for_version
from dichvucong.core.calendar import clock_start, due_at, timeliness
from dichvucong.dossiers.models import Channel, Dossier
from dichvucong.dossiers.services.transitions import (
    dossier_check_fresh,
    dossier_move,
    dossier_select_for_update,
)
from dichvucong.dossiers.workflow import TRANSITIONS, State, transition_target

from ..budget import due_after_pauses, step_due_dates
from ..models import DossierStep
from ..notify import notify_officials
from ..permissions import NotPermitted, official_check, official_roles

# catalog.Channel values of dossiers.Channel (KenhThucHien).
CATALOG_CHANNEL = {Channel.IN_PERSON: "in_person", Channel.ONLINE: "online", Channel.POSTAL: "postal"}
MAX_TEXT = 2000


@dataclass
class Acting:
    """A locked dossier, the role the official acts in, and its current step (None before reception)."""

    dossier: Dossier
    role: str
    step: DossierStep | None


def dossier_begin(
    *,
    dossier_id: int,
    official,
    agency,
    action: str,
    expected_version: int | None = None,
    desk: bool = True,
    holder: bool = True,
) -> Acting:
    """Lock the dossier, then check in this order: the agency and role (NotPermitted), the page's
    version or an identical action just done by someone else (StaleDossier, AlreadyDone), and — for
    actions on the current step — that the dossier is on the official's desk (`desk`: its handling
    agency, or the reception agency before reception) and that the step is theirs or in the pool
    (`holder`). The state table is checked here for the state and role, and again with the guard by
    dossier_move."""
    dossier = dossier_select_for_update(dossier_id)
    step = step_current(dossier)
    role = official_check(official, agency, action, dossier, preferred=step.role if step else None)
    dossier_check_fresh(dossier, expected_version=expected_version, action=action)
    if action in TRANSITIONS:  # the state first: "wrong state" says more than "not your desk"
        transition_target(
            action, state=dossier.state, actor=role, previous_state=dossier.state_before_supplement
        )
    if desk:
        desk_agency = dossier.handling_agency or dossier.reception_agency
        if desk_agency.pk != agency.pk:
            raise NotPermitted(
                _("Hồ sơ đang ở %(agency)s; chỉ đơn vị đang giữ hồ sơ mới thực hiện được thao tác này.")
                % {"agency": desk_agency.name}
            )
    if holder and dossier.assigned_to_id not in (None, official.pk):
        raise NotPermitted(
            _("Hồ sơ đang được phân công cho %(name)s.") % {"name": dossier.assigned_to.get_full_name()}
        )
    return Acting(dossier=dossier, role=role, step=step)


def clean_text(value, limit: int = MAX_TEXT) -> str:
    return str(value or "").strip()[:limit]


# --- Deadlines -------------------------------------------------------------------------------------------


def dossier_due_for(dossier: Dossier, received_at: dt.datetime) -> dt.datetime | None:
    """The appointment date of a dossier received at `received_at`: the procedure version's processing
    time for the dossier's channel (else the online one, else any), through calendar.due_at. None when
    the version publishes no processing time."""
    times = list(dossier.version.processing_times.all())
    wanted = CATALOG_CHANNEL.get(dossier.channel, "online")
    chosen = (
        next((t for t in times if t.channel == wanted), None)
        or next((t for t in times if t.channel == "online"), None)
        or (times[0] if times else None)
    )
    if chosen is None:
        return None
    return due_at(received_at, chosen.value, chosen.unit, same_day_cutoff=chosen.same_day_cutoff)


def dossier_pauses(dossier: Dossier) -> list[tuple[dt.datetime, dt.datetime | None]]:
    """The supplement waits of a dossier: (requested, answered or None)."""
    return list(dossier.supplement_requests.order_by("created_at").values_list("created_at", "fulfilled_at"))


def step_effective_due(step: DossierStep, pauses, *, now: dt.datetime) -> dt.datetime | None:
    """A step's due date moved by the supplement pauses since it was set (finished steps: as stored)."""
    if step.finished_at is not None:
        return step.due_at
    return due_after_pauses(step.due_at, step.due_set_at, pauses, until=now)


# --- Steps (form 6) ----------------------------------------------------------------------------------------


def step_current(dossier: Dossier) -> DossierStep | None:
    """The step being worked on: started, not finished (dossier_step_current_idx)."""
    return (
        DossierStep.objects.filter(dossier=dossier, received_at__isnull=False, finished_at__isnull=True)
        .select_related("assigned_to", "agency")
        .order_by("-received_at", "-id")
        .first()
    )


def step_agency(dossier: Dossier, kind: str):
    """Reception and return happen at the reception agency; the rest at the competent agency."""
    if kind in (StepKind.RECEPTION, StepKind.RETURN):
        return dossier.reception_agency
    return dossier.competent_agency


def steps_plan(dossier: Dossier, *, received_at: dt.datetime) -> list[DossierStep]:
    """Copy the version's process (catalog.process_steps_for_version) into the dossier's rows, each with
    its due date from its time budget (processing.budget)."""
    plans = process_steps_for_version(dossier.version)
    dues = step_due_dates(
        clock_start(received_at),
        dossier.due_date,
        [(plan.budget_percent, plan.budget_working_days) for plan in plans],
    )
    return DossierStep.objects.bulk_create(
        DossierStep(
            dossier=dossier,
            position=plan.position,
            kind=plan.kind,
            name=str(plan.name)[:200],
            role=plan.role,
            agency=step_agency(dossier, plan.kind),
            due_at=due,
            due_set_at=received_at,
        )
        for plan, due in zip(plans, dues, strict=True)
    )


def step_finish(step: DossierStep, *, by, note: str = "", now: dt.datetime) -> DossierStep:
    """End the step: its due date final (pauses applied), its timeliness (early / on time / late)."""
    step.due_at = step_effective_due(step, dossier_pauses(step.dossier), now=now)
    step.finished_at = now
    step.finished_by = by if getattr(by, "is_authenticated", False) else None
    step.result_note = clean_text(note)
    step.timeliness = timeliness(now, step.due_at) if step.due_at else ""
    step.save()
    return step


def step_next_planned(dossier: Dossier, after: DossierStep | None) -> DossierStep | None:
    planned = DossierStep.objects.filter(dossier=dossier, received_at__isnull=True)
    if after is not None:
        planned = planned.filter(position__gt=after.position)
    return planned.order_by("position", "id").first()


def step_open(
    dossier: Dossier,
    kind: str,
    *,
    by,
    now: dt.datetime,
    after: DossierStep | None = None,
    assignee=None,
    agency=None,
    repeat: bool = False,
) -> DossierStep:
    """Start the next planned step of `kind` (after `after`); when none is left (a dossier sent back, a
    transfer: `repeat`), a new row repeating the last one of that kind, due when `after` was. The
    dossier's desk (handling agency, assigned official) follows the step."""
    planned = DossierStep.objects.filter(dossier=dossier, received_at__isnull=True, kind=kind)
    if after is not None:
        planned = planned.filter(position__gte=after.position)
    step = None if repeat else planned.order_by("position", "id").first()
    if step is None:
        model = DossierStep.objects.filter(dossier=dossier, kind=kind).order_by("-id").first()
        step = DossierStep(
            dossier=dossier,
            position=model.position if model else (after.position + 1 if after else 1),
            kind=kind,
            name=model.name if model else str(StepKind(kind).label),
            role=model.role if model else KIND_ROLE[kind],
            agency=model.agency if model else step_agency(dossier, kind),
            due_at=after.due_at if after is not None else (model.due_at if model else dossier.due_date),
            due_set_at=now,
        )
    step.received_at = now
    step.handed_over_by = by if getattr(by, "is_authenticated", False) else None
    step.assigned_to = assignee
    if agency is not None:
        step.agency = agency
    step.save()
    dossier.handling_agency = step.agency
    dossier.assigned_to = assignee
    return step


def step_assignee_check(assignee, *, agency, role: str) -> None:
    """NotPermitted unless `assignee` (None: the pool) holds `role` at `agency`."""
    if assignee is not None and role not in official_roles(assignee, agency):
        raise NotPermitted(
            _("%(name)s không có vai trò phù hợp tại %(agency)s để nhận bước này.")
            % {"name": assignee.get_full_name(), "agency": agency.name}
        )


# The state a dossier is in while a step of each kind is worked on.
STATE_OF_KIND = {
    StepKind.RECEPTION: State.RECEIVED,
    StepKind.PROCESSING: State.IN_PROGRESS,
    StepKind.APPROVAL: State.AWAITING_APPROVAL,
    StepKind.ISSUANCE: State.RESULT_READY,
    StepKind.RETURN: State.RESULT_READY,
}


def step_notify(dossier: Dossier, step: DossierStep, event: str, **extra) -> None:
    """Tell the official the step is assigned to, else the pool of its role at its agency."""
    notify_officials(
        dossier, event, agency=step.agency, role=step.role, user=step.assigned_to, step=step.name, **extra
    )


def dossier_advance(
    acting: Acting,
    name: str,
    kind: str,
    *,
    official,
    assignee=None,
    note: str = "",
    facts: dict | None = None,
    event_note: str = "",
    **detail,
) -> DossierStep:
    """Fire transition `name` and hand the dossier from its current step to the next one of `kind`
    (form 6: the current row finished by `official`, the next one received from them)."""
    dossier, now = acting.dossier, timezone.now()
    dossier_move(
        dossier,
        name,
        actor=official,
        role=acting.role,
        note=event_note,
        facts=facts,
        assignee=assignee.pk if assignee else None,
        **detail,
    )
    if acting.step is not None:
        step_finish(acting.step, by=official, note=note, now=now)
    step = step_open(dossier, kind, by=official, now=now, after=acting.step, assignee=assignee)
    step_assignee_check(assignee, agency=step.agency, role=step.role)
    dossier.save()
    step_notify(dossier, step, "dossier_assigned", action=name)
    return step
