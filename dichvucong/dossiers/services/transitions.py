"""State changes after submission: each one locks the row, checks the state table, sets its
timestamps, appends an event and writes the outbox rows, in one transaction.

`dossier_lock` and `dossier_move` are the two halves every transition service uses, here and in the
back office (processing.services): the lock refuses a stale page and recognises an action someone else
has just done; the move checks the table and its guard, bumps the version and writes the event.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dichvucong.core.calendar import extend_for_pause

from ..models import Dossier, DossierEvent, SupplementRequest
from ..notify import notify_agency, notify_applicant
from ..workflow import TRANSITIONS, Actor, AlreadyDone, InvalidTransition, transition_check
from .events import dossier_event_add


class StaleDossier(InvalidTransition):
    """The page the action came from showed an older version of the dossier."""


def _already_done(dossier: Dossier, action: str) -> AlreadyDone | None:
    """AlreadyDone when the dossier's latest event is `action` (someone else was quicker), else None."""
    last = (
        DossierEvent.objects.filter(dossier=dossier)
        .exclude(action__in=("message", "supplement_file_added", "supplement_file_removed", "add_note"))
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    if last is None or last.action != action:
        return None
    transition = TRANSITIONS.get(action)
    who = (last.actor.get_full_name() if last.actor else "") or _("một cán bộ khác")
    message = _("Thao tác “%(action)s” đã được %(who)s thực hiện lúc %(time)s; hồ sơ không thay đổi.") % {
        "action": transition.label if transition else action,
        "who": who,
        "time": formats.date_format(timezone.localtime(last.created_at), "H:i d/m/Y"),
    }
    return AlreadyDone(action, dossier.state, last.actor_role, message=message)


def dossier_select_for_update(dossier_id: int) -> Dossier:
    """The dossier, locked for this transaction (select_for_update; SQLite: the IMMEDIATE transaction)."""
    return (
        Dossier.objects.select_for_update()
        .select_related("version", "reception_agency", "competent_agency")
        .get(pk=dossier_id)
    )


def dossier_check_fresh(
    dossier: Dossier, *, expected_version: int | None = None, action: str | None = None
) -> None:
    """`expected_version`: the lock_version of the page the action came from; a different one raises
    StaleDossier — or AlreadyDone when the change since was this very `action` by someone else. Without
    a version, an `action` that no longer fits the state but was the last one done raises AlreadyDone."""
    stale = expected_version is not None and dossier.lock_version != expected_version
    transition = TRANSITIONS.get(action) if action else None
    if transition is not None and (stale or dossier.state not in transition.sources):
        done = _already_done(dossier, action)
        if done is not None:
            raise done
    if stale:
        raise StaleDossier("stale", dossier.state)


def dossier_lock(
    dossier_id: int, *, expected_version: int | None = None, action: str | None = None
) -> Dossier:
    """The dossier locked (dossier_select_for_update) and checked fresh (dossier_check_fresh)."""
    dossier = dossier_select_for_update(dossier_id)
    dossier_check_fresh(dossier, expected_version=expected_version, action=action)
    return dossier


def dossier_move(
    dossier: Dossier, name: str, *, actor, role: str, note: str = "", facts: dict | None = None, **detail
) -> str:
    """Fire transition `name` on the locked `dossier`: table and guard checked (InvalidTransition,
    GuardFailed), state set, version bumped, event appended. Returns the state it came from; the caller
    sets the timestamps and saves."""
    source = dossier.state
    target = transition_check(
        name, state=source, actor=role, previous_state=dossier.state_before_supplement, **(facts or {})
    )
    dossier.state = target
    dossier.lock_version += 1
    dossier_event_add(
        dossier,
        action=name,
        actor=actor,
        actor_role=role,
        from_state=source,
        to_state=target if TRANSITIONS[name].changes_state else "",
        note=note,
        **detail,
    )
    return source


# The names this module used before the back office shared them.
_lock = dossier_lock
_move = dossier_move


@transaction.atomic
def dossier_withdraw(*, dossier_id: int, user, reason: str, expected_version: int | None = None) -> Dossier:
    """The applicant withdraws a dossier that is not yet decided (sync code 7)."""
    dossier = dossier_lock(dossier_id, expected_version=expected_version)
    if dossier.applicant_id != user.pk:
        raise PermissionDenied
    dossier_move(dossier, "withdraw", actor=user, role=Actor.APPLICANT, note=reason.strip()[:1000])
    dossier.withdrawn_at = dossier.finished_at = timezone.now()
    dossier.clock_paused_at = None
    dossier.save()
    notify_applicant(dossier, "dossier_withdrawn")
    notify_agency(dossier, "dossier_withdrawn")
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *, dossier_id: int, official, role: str, items: list[dict], expected_version: int | None = None
) -> SupplementRequest:
    """Ask the applicant for more documents (form 2); the deadline clock stops until they answer.

    A second request counts the dossier as late in the national index (DOMAIN.md §4): `counted_late`.
    Officials' permissions are the back office's (processing.services.reception); this service checks
    the state table and its guard (at least one item, each with a name and a reason).
    """
    dossier = dossier_lock(dossier_id, expected_version=expected_version, action="request_supplement")
    number = dossier.supplement_requests.count() + 1
    now = timezone.now()
    names = [str(item.get("name", "")) for item in items or [] if isinstance(item, dict)]
    source = dossier_move(
        dossier,
        "request_supplement",
        actor=official,
        role=role,
        facts={"items": items},
        number=number,
        counts_as_late=number >= 2,
        items=names,
    )
    dossier.state_before_supplement = source
    dossier.clock_paused_at = now
    if number >= 2:
        dossier.counted_late = True
    dossier.save()
    request = SupplementRequest.objects.create(
        dossier=dossier, number=number, requested_by=official, items=items
    )
    notify_applicant(dossier, "supplement_requested", items=names)
    return request


@transaction.atomic
def dossier_submit_supplement(*, dossier_id: int, user, expected_version: int | None = None) -> Dossier:
    """The applicant has given what was asked: the dossier goes back where it was, and its due date
    moves later by the working time the clock was paused (calendar.extend_for_pause)."""
    dossier = dossier_lock(dossier_id, expected_version=expected_version)
    if dossier.applicant_id != user.pk:
        raise PermissionDenied
    request = dossier.supplement_requests.filter(fulfilled_at=None).last()
    if request is None:
        raise InvalidTransition("submit_supplement", dossier.state, Actor.APPLICANT)
    wanted = {item.get("required_document") for item in request.items if item.get("required_document")}
    given = set(request.attachments.values_list("required_document_id", flat=True))
    if wanted - given:
        raise InvalidTransition("submit_supplement", "items_missing", Actor.APPLICANT)
    now = timezone.now()
    previous_due = dossier.due_date
    if dossier.due_date and dossier.clock_paused_at:
        dossier.due_date = extend_for_pause(dossier.due_date, dossier.clock_paused_at, now)
    dossier_move(
        dossier,
        "submit_supplement",
        actor=user,
        role=Actor.APPLICANT,
        paused_at=dossier.clock_paused_at.isoformat() if dossier.clock_paused_at else None,
        previous_due=previous_due.isoformat() if previous_due else None,
        due=dossier.due_date.isoformat() if dossier.due_date else None,
    )
    dossier.state_before_supplement = ""
    dossier.clock_paused_at = None
    dossier.save()
    request.fulfilled_at = now
    request.save(update_fields=["fulfilled_at"])
    notify_agency(dossier, "supplement_received", roles=("receptionist", "specialist"))
    return dossier


@transaction.atomic
def dossier_payment_received(
    *,
    dossier_id: int,
    actor=None,
    role: str = Actor.SYSTEM,
    reference: str = "",
    expected_version: int | None = None,
) -> Dossier:
    """The financial obligation is met: processing resumes (awaiting_payment → in_progress).

    Here, not in the back office, because the payments app confirms online payments (its IPN, role
    system) and may import dossiers but not processing; the back office calls it for cash taken at the
    desk (processing.services.payment). `reference`: the payment's transaction or receipt number.
    """
    dossier = dossier_lock(dossier_id, expected_version=expected_version, action="payment_received")
    dossier_move(
        dossier, "payment_received", actor=actor, role=role, amount=dossier.amount_due, reference=reference
    )
    dossier.paid_at = timezone.now()
    dossier.save()
    notify_agency(dossier, "payment_received", roles=("specialist",))
    return dossier


def transition_error_message(exc: InvalidTransition) -> str:
    """The Vietnamese sentence a view shows (or the API returns with 409) for a refused transition."""
    if isinstance(exc, StaleDossier):
        return _(
            "Hồ sơ vừa được cập nhật ở nơi khác. Trang đã được tải lại; vui lòng kiểm tra và thao tác lại."
        )
    if "message" in vars(exc):  # AlreadyDone, GuardFailed and others raised with their own message
        return str(exc.message)
    return _("Không thực hiện được thao tác này với hồ sơ ở trạng thái hiện tại.")
