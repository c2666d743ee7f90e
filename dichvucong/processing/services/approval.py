"""Approval and the end of processing: submit for approval, send back, approve (granted or not granted,
with reasons), and stop (form 5).

Form hooks: the result or the reasoned "not granted" decision is the document issued after `approve`
(Dossier.outcome, the `approve` event's note and detail); form 5 (Thông báo dừng giải quyết hồ sơ) is
drawn from the `stop` event (its note is the reason) and Dossier.stopped_at.
"""

from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.models import StaffRole
from dichvucong.catalog.models import StepKind
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.notify import notify_agency, notify_applicant
from dichvucong.dossiers.services.transitions import dossier_move
from dichvucong.dossiers.workflow import Outcome

from ..models import DossierStep
from ..permissions import official_roles
from .common import clean_text, dossier_advance, dossier_begin, step_finish


@transaction.atomic
def dossier_submit_for_approval(
    *, dossier_id: int, official, agency, assignee=None, note: str = "", expected_version: int | None = None
) -> DossierStep:
    """The specialist submits the draft result to the leader (in_progress → awaiting_approval): the
    processing step ends, the approval step starts for `assignee` (an approver) or the approvers' pool."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="submit_for_approval",
        expected_version=expected_version,
    )
    return dossier_advance(
        acting, "submit_for_approval", StepKind.APPROVAL, official=official, assignee=assignee, note=note
    )


@transaction.atomic
def dossier_send_back(
    *, dossier_id: int, official, agency, reason: str, assignee=None, expected_version: int | None = None
) -> DossierStep:
    """The leader returns the dossier for rework with the reason (awaiting_approval → in_progress): a new
    processing row, by default for the specialist who submitted it."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="send_back",
        expected_version=expected_version,
    )
    reason = clean_text(reason)
    if assignee is None and acting.step is not None and acting.step.handed_over_by is not None:
        giver = acting.step.handed_over_by
        if StaffRole.SPECIALIST in official_roles(giver, acting.step.agency):
            assignee = giver
    return dossier_advance(
        acting,
        "send_back",
        StepKind.PROCESSING,
        official=official,
        assignee=assignee,
        note=reason,
        facts={"reason": reason},
        reason=reason,
    )


@transaction.atomic
def dossier_approve(
    *, dossier_id: int, official, agency, outcome: str, reason: str = "", expected_version: int | None = None
) -> Dossier:
    """The leader signs the result (awaiting_approval → result_ready): `outcome` granted, or not_granted
    with the reason the decision gives. Processing ends here (finished_at, the national index's end);
    the issuance step (else the return step) starts in its pool and the applicant is told."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="approve",
        expected_version=expected_version,
    )
    dossier = acting.dossier
    reason = clean_text(reason)
    has_issuance = dossier.steps.filter(received_at__isnull=True, kind=StepKind.ISSUANCE).exists()
    dossier.outcome = outcome if outcome in Outcome.values else ""
    dossier.finished_at = timezone.now()
    dossier_advance(
        acting,
        "approve",
        StepKind.ISSUANCE if has_issuance else StepKind.RETURN,
        official=official,
        note=reason,
        facts={"outcome": outcome, "reason": reason},
        event_note=reason if outcome == Outcome.NOT_GRANTED else "",
        outcome=outcome,
    )
    notify_applicant(dossier, "result_ready", outcome=outcome, reason=reason)
    return dossier


@transaction.atomic
def dossier_stop(
    *, dossier_id: int, official, agency, reason: str, expected_version: int | None = None
) -> Dossier:
    """Stop processing with the reason (form 5; sync code 8): by a specialist or a leader of one of the
    dossier's agencies, from any state after reception and before a result."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="stop",
        expected_version=expected_version,
        desk=False,
        holder=False,
    )
    dossier, now = acting.dossier, timezone.now()
    reason = clean_text(reason)
    dossier_move(dossier, "stop", actor=official, role=acting.role, note=reason, facts={"reason": reason})
    if acting.step is not None:
        step_finish(acting.step, by=official, note=reason, now=now)
    dossier.stopped_at = dossier.finished_at = now
    dossier.clock_paused_at = None
    dossier.assigned_to = None
    dossier.save()
    notify_applicant(dossier, "dossier_stopped", reason=reason)
    notify_agency(dossier, "dossier_stopped")
    return dossier
