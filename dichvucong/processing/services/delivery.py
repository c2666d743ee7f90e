"""Returning the result: online (into the dossier and the citizen's document wallet), by post (tracking
number; returned once sent) or at the desk (to whom; originals collected when the procedure requires).
The applicant is then invited to rate the dossier (dossiers.services.rating.dossier_rate)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.catalog.models import CopyKind, Requirement, StepKind
from dichvucong.documents.models import FileKind, StoredFile
from dichvucong.documents.services import stored_file_add_to_wallet
from dichvucong.dossiers.models import Attachment, Channel, Dossier
from dichvucong.dossiers.notify import notify_applicant
from dichvucong.dossiers.services.transitions import dossier_lock, dossier_move
from dichvucong.dossiers.workflow import Actor, GuardFailed, InvalidTransition

from ..models import DeliveryMethod, DossierStep, ResultDelivery
from .common import clean_text, dossier_begin, step_finish, step_open


def originals_required(dossier: Dossier) -> bool:
    """A dossier filed online or by post whose procedure asks for originals: they are collected when the
    result is handed over at the desk."""
    return (
        dossier.channel != Channel.IN_PERSON
        and dossier.version.documents.filter(
            copy_kind=CopyKind.ORIGINAL, requirement=Requirement.REQUIRED
        ).exists()
    )


def _result_files(dossier: Dossier):
    return StoredFile.objects.filter(attachments__dossier=dossier, kind=FileKind.RESULT)


@transaction.atomic
def dossier_result_attach(*, dossier_id: int, official, agency, stored_file: StoredFile) -> Attachment:
    """Attach the issued (signed) result file to a dossier whose result is ready; it reaches the
    citizen's dossier page now and their document wallet when the result is returned online."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="attach_result",
        desk=False,
        holder=False,
    )
    dossier = acting.dossier
    if stored_file.kind != FileKind.RESULT:
        raise InvalidTransition("attach_result", dossier.state, acting.role)
    dossier_move(dossier, "attach_result", actor=official, role=acting.role, file=stored_file.original_name)
    dossier.save()
    if stored_file.owner_id is None:
        stored_file.owner = dossier.applicant
        stored_file.save(update_fields=["owner"])
    return Attachment.objects.create(dossier=dossier, stored_file=stored_file, added_by=official)


def _return(
    dossier: Dossier,
    *,
    actor,
    role: str,
    method: str,
    tracking_number: str = "",
    handed_to: str = "",
    originals_collected: bool = False,
) -> ResultDelivery:
    now = timezone.now()
    tracking_number, handed_to = clean_text(tracking_number, 40), clean_text(handed_to, 150)
    if method == DeliveryMethod.ONLINE and not _result_files(dossier).exists():
        raise GuardFailed(
            "return_result", dossier.state, role, message=_("Chưa có tệp kết quả điện tử để trả trực tuyến.")
        )
    if method == DeliveryMethod.DESK and not originals_collected and originals_required(dossier):
        raise GuardFailed(
            "return_result",
            dossier.state,
            role,
            message=_("Thủ tục yêu cầu thu bản chính giấy tờ khi trả kết quả; hãy xác nhận đã thu."),
        )
    dossier_move(
        dossier,
        "return_result",
        actor=actor,
        role=role,
        facts={"method": method, "tracking_number": tracking_number, "handed_to": handed_to},
        method=method,
        tracking_number=tracking_number,
    )
    # Form 6: the open step (issuance or return) ends; the return step is recorded as done now.
    current = DossierStep.objects.filter(dossier=dossier, received_at__isnull=False, finished_at__isnull=True)
    last = None
    for step in current.order_by("received_at", "id"):
        last = step_finish(step, by=actor, now=now)
    if not (last is not None and last.kind == StepKind.RETURN):
        step = step_open(dossier, StepKind.RETURN, by=actor, now=now, after=last, assignee=None)
        step_finish(step, by=actor, now=now)
    dossier.returned_at = now
    dossier.assigned_to = None
    dossier.save()
    delivery = ResultDelivery.objects.create(
        dossier=dossier,
        method=method,
        tracking_number=tracking_number,
        sent_at=now if method in (DeliveryMethod.POST, DeliveryMethod.ONLINE) else None,
        handed_over_at=now if method == DeliveryMethod.DESK else None,
        handed_to=handed_to,
        originals_collected=originals_collected,
        recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if method == DeliveryMethod.ONLINE:
        stored_file_add_to_wallet(_result_files(dossier))
    notify_applicant(dossier, "result_returned", method=method, tracking_number=tracking_number)
    notify_applicant(dossier, "rating_invited")
    return delivery


@transaction.atomic
def dossier_return_result(
    *,
    dossier_id: int,
    official,
    agency,
    method: str,
    tracking_number: str = "",
    handed_to: str = "",
    originals_collected: bool = False,
    expected_version: int | None = None,
) -> ResultDelivery:
    """A receptionist returns the result (result_ready → returned): `method` online, post (with the
    tracking number; status sent) or desk (with the name of who received it, originals collected)."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="return_result",
        expected_version=expected_version,
        desk=False,
        holder=False,
    )
    return _return(
        acting.dossier,
        actor=official,
        role=acting.role,
        method=method,
        tracking_number=tracking_number,
        handed_to=handed_to,
        originals_collected=originals_collected,
    )


@transaction.atomic
def dossier_return_online_by_system(*, dossier_id: int) -> ResultDelivery:
    """The system returns an online dossier's result once its signed file is attached (role system):
    for a task run after issuance."""
    dossier = dossier_lock(dossier_id, action="return_result")
    return _return(dossier, actor=None, role=Actor.SYSTEM, method=DeliveryMethod.ONLINE)
