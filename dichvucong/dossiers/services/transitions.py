"""State changes after submission: each one locks the row, checks the state table, sets its
timestamps, appends an event and writes the outbox rows, in one transaction."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Dossier, SupplementRequest
from ..notify import notify_agency, notify_applicant
from ..workflow import Actor, InvalidTransition, transition_target
from .events import dossier_event_add


class StaleDossier(InvalidTransition):
    """The page the action came from showed an older version of the dossier."""


def _lock(dossier_id: int, expected_version: int | None) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update().select_related("version", "reception_agency").get(pk=dossier_id)
    )
    if expected_version is not None and dossier.lock_version != expected_version:
        raise StaleDossier("stale", dossier.state)
    return dossier


def _move(dossier: Dossier, name: str, *, actor, role: str, note: str = "", **detail) -> str:
    source = dossier.state
    target = transition_target(name, state=source, actor=role, previous_state=dossier.state_before_supplement)
    dossier.state = target
    dossier.lock_version += 1
    dossier_event_add(
        dossier,
        action=name,
        actor=actor,
        actor_role=role,
        from_state=source,
        to_state=target,
        note=note,
        **detail,
    )
    return source


@transaction.atomic
def dossier_withdraw(*, dossier_id: int, user, reason: str, expected_version: int | None = None) -> Dossier:
    """The applicant withdraws a dossier that is not yet decided (sync code 7)."""
    dossier = _lock(dossier_id, expected_version)
    if dossier.applicant_id != user.pk:
        raise PermissionDenied
    _move(dossier, "withdraw", actor=user, role=Actor.APPLICANT, note=reason.strip()[:1000])
    dossier.withdrawn_at = dossier.finished_at = timezone.now()
    dossier.save()
    notify_applicant(dossier, "dossier_withdrawn")
    notify_agency(dossier, "dossier_withdrawn")
    return dossier


@transaction.atomic
def dossier_request_supplement(
    *, dossier_id: int, official, role: str, items: list[dict], expected_version: int | None = None
) -> SupplementRequest:
    """Ask the applicant for more documents (form 2); the deadline clock stops until they answer.

    Officials' permissions are the back office's (processing app); this service checks the state table.
    """
    if not items or not all(
        (item.get("name") or "").strip() and (item.get("reason") or "").strip() for item in items
    ):
        raise InvalidTransition("request_supplement", "no_items", role)
    dossier = _lock(dossier_id, expected_version)
    source = dossier.state
    _move(dossier, "request_supplement", actor=official, role=role)
    dossier.state_before_supplement = source
    dossier.save()
    request = SupplementRequest.objects.create(
        dossier=dossier, number=dossier.supplement_requests.count() + 1, requested_by=official, items=items
    )
    notify_applicant(dossier, "supplement_requested", items=[item["name"] for item in items])
    return request


@transaction.atomic
def dossier_submit_supplement(*, dossier_id: int, user, expected_version: int | None = None) -> Dossier:
    """The applicant has given what was asked: the dossier goes back where it was."""
    dossier = _lock(dossier_id, expected_version)
    if dossier.applicant_id != user.pk:
        raise PermissionDenied
    request = dossier.supplement_requests.filter(fulfilled_at=None).last()
    if request is None:
        raise InvalidTransition("submit_supplement", dossier.state, Actor.APPLICANT)
    wanted = {item.get("required_document") for item in request.items if item.get("required_document")}
    given = set(request.attachments.values_list("required_document_id", flat=True))
    if wanted - given:
        raise InvalidTransition("submit_supplement", "items_missing", Actor.APPLICANT)
    _move(dossier, "submit_supplement", actor=user, role=Actor.APPLICANT)
    dossier.state_before_supplement = ""
    dossier.save()
    request.fulfilled_at = timezone.now()
    request.save(update_fields=["fulfilled_at"])
    notify_agency(dossier, "supplement_received", roles=("receptionist", "specialist"))
    return dossier


def transition_error_message(exc: InvalidTransition) -> str:
    if isinstance(exc, StaleDossier):
        return _(
            "Hồ sơ vừa được cập nhật ở nơi khác. Trang đã được tải lại; vui lòng kiểm tra và thao tác lại."
        )
    return _("Không thực hiện được thao tác này với hồ sơ ở trạng thái hiện tại.")
