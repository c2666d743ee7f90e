"""The applicant's answer to a supplement request (form 2): files for each item, then "Nộp bổ sung".

Which item a file answers is recorded as a `supplement_file_added` event (request, item index,
attachment): exact for items without a catalogue document too, and an audit trail of the answer.
Files for an item that names a required document also carry that document, which is what
`dossier_submit_supplement` checks.
"""

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dichvucong.catalog.models import RequiredDocument
from dichvucong.documents.services import (
    stored_file_add_to_wallet,
    stored_file_delete_unreferenced,
    stored_files_create_many,
)
from dichvucong.documents.validation import UploadRejected

from ..models import Attachment, Dossier, DossierEvent, SupplementRequest
from ..workflow import Actor, InvalidTransition, State
from .events import dossier_event_add
from .transitions import StaleDossier, dossier_submit_supplement

FILE_ADDED, FILE_REMOVED = "supplement_file_added", "supplement_file_removed"


class SupplementError(Exception):
    """The answer cannot be taken as it is; str() is the Vietnamese message for the applicant."""


class SupplementIncomplete(SupplementError):
    def __init__(self, missing: list[int]):
        super().__init__(
            _("Còn %(count)s mục chưa có tệp bổ sung; hãy tải lên đủ các mục trước khi nộp.")
            % {"count": len(missing)}
        )
        self.missing = missing


@dataclass
class SupplementItem:
    index: int
    name: str
    reason: str
    guidance: str
    required_document: RequiredDocument | None
    attachments: list[Attachment] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # refusals of the last upload, shown by the item

    @property
    def input_id(self) -> str:
        """The id of the item's file input on the dossier page."""
        return f"item-{self.index}-files"

    @property
    def accepted_types(self) -> list[str]:
        return list(self.required_document.accepted_types) if self.required_document else []


def supplement_items(request: SupplementRequest) -> list[SupplementItem]:
    """The request's items with the files given for each so far."""
    raw = request.items or []
    document_ids = {item.get("required_document") for item in raw if item.get("required_document")}
    documents = RequiredDocument.objects.in_bulk(document_ids) if document_ids else {}
    items = [
        SupplementItem(
            index=i,
            name=item.get("name", ""),
            reason=item.get("reason", ""),
            guidance=item.get("guidance", ""),
            required_document=documents.get(item.get("required_document")),
        )
        for i, item in enumerate(raw)
    ]
    # The event of each upload names its item; a file added otherwise (e.g. at the desk) goes to the
    # first item asking for its document.
    item_of = {
        event.detail.get("attachment"): event.detail.get("item")
        for event in DossierEvent.objects.filter(dossier_id=request.dossier_id, action=FILE_ADDED).only(
            "detail"
        )
        if event.detail.get("request") == request.pk
    }
    for attachment in request.attachments.select_related("stored_file").order_by("added_at", "id"):
        index = item_of.get(attachment.pk)
        if index is None or not 0 <= index < len(items):
            index = next(
                (
                    item.index
                    for item in items
                    if item.required_document and item.required_document.pk == attachment.required_document_id
                ),
                None,
            )
        if index is not None:
            items[index].attachments.append(attachment)
    return items


def _lock_open_request(
    dossier_id: int, user, expected_version: int | None
) -> tuple[Dossier, SupplementRequest]:
    dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
    if dossier.applicant_id != user.pk:
        raise PermissionDenied
    if expected_version is not None and dossier.lock_version != expected_version:
        raise StaleDossier("stale", dossier.state)
    request = (
        dossier.supplement_requests.filter(fulfilled_at=None).order_by("-created_at", "-id").first()
        if dossier.state == State.SUPPLEMENT_REQUESTED
        else None
    )
    if request is None:
        raise InvalidTransition("submit_supplement", dossier.state, Actor.APPLICANT)
    return dossier, request


def _dossier_bytes(dossier: Dossier) -> int:
    return dossier.attachments.aggregate(total=Sum("stored_file__size"))["total"] or 0


@dataclass
class UploadOutcome:
    attachments: list[Attachment]
    rejected: list[UploadRejected]


def supplement_file_upload(
    *, dossier_id: int, user, item_index: int, uploaded_files, expected_version: int | None = None
) -> UploadOutcome:
    """Store files for one item (each checked by content and size, the dossier total enforced) and
    attach them to the open request; refused files are reported, the good ones kept.

    The files are written before the rows that point at them and outside the row lock; if the rows
    cannot be written (the request was answered meanwhile), the files go again.
    """
    uploaded_files = list(uploaded_files or [])
    if not uploaded_files:
        raise SupplementError(_("Chọn ít nhất một tệp để tải lên."))
    with transaction.atomic():
        dossier, request = _lock_open_request(dossier_id, user, expected_version)
        items = request.items or []
        if not 0 <= item_index < len(items):
            raise SupplementError(_("Mục bổ sung không hợp lệ."))
        document_id = items[item_index].get("required_document")
        document = RequiredDocument.objects.filter(pk=document_id).first() if document_id else None
        used = _dossier_bytes(dossier)
    batch = stored_files_create_many(
        owner=user,
        uploaded_files=uploaded_files,
        accepted_types=document.accepted_types if document else None,
        dossier_bytes=used,
    )
    try:
        with transaction.atomic():
            dossier, current = _lock_open_request(dossier_id, user, expected_version)
            if current.pk != request.pk:
                raise StaleDossier("stale", dossier.state)
            attachments = []
            for stored in batch.created:
                attachment = Attachment.objects.create(
                    dossier=dossier,
                    required_document=document,
                    stored_file=stored,
                    supplement=request,
                    added_by=user,
                )
                dossier_event_add(
                    dossier,
                    action=FILE_ADDED,
                    actor=user,
                    actor_role=Actor.APPLICANT,
                    request=request.pk,
                    item=item_index,
                    attachment=attachment.pk,
                    file=stored.original_name,
                )
                attachments.append(attachment)
    except BaseException:
        for stored in batch.created:
            stored_file_delete_unreferenced(stored)
        raise
    return UploadOutcome(attachments=attachments, rejected=batch.rejected)


@transaction.atomic
def supplement_file_remove(
    *, dossier_id: int, user, attachment_id: int, expected_version: int | None = None
) -> None:
    """Take back a file given for the open request (before "Nộp bổ sung"); the file itself goes."""
    dossier, request = _lock_open_request(dossier_id, user, expected_version)
    attachment = (
        request.attachments.filter(pk=attachment_id, dossier=dossier).select_related("stored_file").first()
    )
    if attachment is None:
        raise SupplementError(_("Không tìm thấy tệp này trong phần bổ sung."))
    stored = attachment.stored_file
    attachment.delete()
    dossier_event_add(
        dossier,
        action=FILE_REMOVED,
        actor=user,
        actor_role=Actor.APPLICANT,
        request=request.pk,
        attachment=attachment_id,
        file=stored.original_name,
    )
    stored_file_delete_unreferenced(stored)


@transaction.atomic
def supplement_submit(*, dossier_id: int, user, expected_version: int | None = None) -> Dossier:
    """Answer the request ("Nộp bổ sung"): every item has a file, then the dossier returns to where it was
    (dossier_submit_supplement: event, outbox); the files join the applicant's document wallet."""
    _dossier, request = _lock_open_request(dossier_id, user, expected_version)
    missing = [item.index for item in supplement_items(request) if not item.attachments]
    if missing:
        raise SupplementIncomplete(missing)
    dossier = dossier_submit_supplement(dossier_id=dossier_id, user=user, expected_version=expected_version)
    stored_file_add_to_wallet(a.stored_file for a in request.attachments.select_related("stored_file"))
    return dossier
