"""Messages between the applicant and the agency on a dossier (the officials' side is the back office's)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dichvucong.documents.services import stored_file_delete_unreferenced, stored_files_create_many

from ..models import Attachment, Dossier, Message
from ..notify import notify_agency
from ..workflow import Actor, State
from .events import dossier_event_add
from .transitions import StaleDossier

MAX_BODY_CHARS = 4000
MAX_FILES = 5


class MessageError(Exception):
    """The message cannot be sent as it is; `messages` are the Vietnamese reasons for the applicant."""

    def __init__(self, *messages: str):
        super().__init__(" ".join(messages))
        self.messages = list(messages)


def _lock(dossier_id: int, user, expected_version: int | None) -> Dossier:
    dossier = (
        Dossier.objects.select_for_update().select_related("version", "reception_agency").get(pk=dossier_id)
    )
    if dossier.applicant_id != user.pk or dossier.state == State.DRAFT:
        raise PermissionDenied
    if expected_version is not None and dossier.lock_version != expected_version:
        raise StaleDossier("stale", dossier.state)
    return dossier


def message_post(
    *, dossier_id: int, user, body: str, files=(), expected_version: int | None = None
) -> Message:
    """The applicant writes to the agency, with optional files under the upload rules (type by content,
    size per file and per dossier): a Message, a `message` event and the agency's notices, in one
    transaction. A refused file refuses the whole message, so nothing half-sent is left."""
    body = (body or "").strip()
    files = list(files or [])
    if not body:
        raise MessageError(_("Hãy nhập nội dung tin nhắn."))
    if len(body) > MAX_BODY_CHARS:
        raise MessageError(_("Tin nhắn dài tối đa %(count)s ký tự.") % {"count": MAX_BODY_CHARS})
    if len(files) > MAX_FILES:
        raise MessageError(_("Mỗi tin nhắn đính kèm tối đa %(count)s tệp.") % {"count": MAX_FILES})
    with transaction.atomic():
        dossier = _lock(dossier_id, user, expected_version)
        used = dossier.attachments.aggregate(total=Sum("stored_file__size"))["total"] or 0
    # Files are checked and written outside the row lock, before the rows that point at them.
    batch = stored_files_create_many(owner=user, uploaded_files=files, dossier_bytes=used)
    try:
        if batch.rejected:
            raise MessageError(*(rejected.message for rejected in batch.rejected))
        with transaction.atomic():
            dossier = _lock(dossier_id, user, expected_version)
            message = Message.objects.create(dossier=dossier, author=user, from_agency=False, body=body)
            for stored in batch.created:
                Attachment.objects.create(dossier=dossier, stored_file=stored, message=message, added_by=user)
            dossier_event_add(
                dossier,
                action="message",
                actor=user,
                actor_role=Actor.APPLICANT,
                message=message.pk,
                files=len(batch.created),
            )
            # The notice names the dossier only: the text stays on the portal, out of e-mails.
            notify_agency(dossier, "message_received", roles=("receptionist", "specialist"))
    except BaseException:
        for stored in batch.created:
            stored_file_delete_unreferenced(stored)
        raise
    return message
