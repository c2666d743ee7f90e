"""Drafts: started from an offering, saved on every step and change, resumable on any device."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from dichvucong.accounts.models import OrganizationMember
from dichvucong.catalog.eform_data import initial_raw
from dichvucong.catalog.models import Offering, RequiredDocument
from dichvucong.documents.models import StoredFile
from dichvucong.documents.services import stored_file_create, stored_file_discard

from ..models import Attachment, Delivery, Dossier
from ..workflow import State


class DraftError(Exception):
    """A change the draft cannot take; str() is the Vietnamese message for the citizen."""


def _lock_draft(dossier_id: int, user) -> Dossier:
    dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
    if dossier.applicant_id != user.pk:
        raise PermissionDenied
    if dossier.state != State.DRAFT:
        raise DraftError(_("Hồ sơ đã được nộp; không thể sửa bản nháp nữa."))
    return dossier


def delivery_options(offering: Offering) -> list[str]:
    """The ways of receiving the result the offering allows (DOMAIN.md §2)."""
    options = []
    if offering.in_person:
        options.append(Delivery.DESK)
    if offering.postal:
        options.append(Delivery.POST)
    if offering.online and offering.service_level == "full":
        options.append(Delivery.ONLINE)
    return options or [Delivery.DESK]


@transaction.atomic
def draft_create(*, user, offering: Offering, organization=None) -> Dossier:
    """A new draft for `offering`, prefilled from the profile; pinned to the current version."""
    if not (offering.is_active and offering.online and offering.procedure.current_version_id):
        raise DraftError(_("Thủ tục này chưa nhận hồ sơ trực tuyến tại cơ quan đã chọn."))
    if (
        organization is not None
        and not OrganizationMember.objects.filter(organization=organization, user=user).exists()
    ):
        raise PermissionDenied
    version = offering.procedure.current_version
    definition = getattr(version, "form_definition", None)
    options = delivery_options(offering)
    return Dossier.objects.create(
        applicant=user,
        organization=organization,
        procedure=offering.procedure,
        version=version,
        offering=offering,
        competent_agency=offering.agency,
        reception_agency=offering.reception_agency,
        service_level=offering.service_level,
        form_data=initial_raw(definition.schema, user) if definition else {},
        delivery=options[0] if len(options) == 1 else "",
    )


@transaction.atomic
def draft_save_form(*, dossier_id: int, user, raw: dict) -> Dossier:
    """Keep what was typed, valid or not: a draft survives every validation error."""
    dossier = _lock_draft(dossier_id, user)
    dossier.form_data = raw
    dossier.save(update_fields=["form_data", "updated_at"])
    return dossier


@transaction.atomic
def draft_save_delivery(*, dossier_id: int, user, delivery: str, address: dict | None = None) -> Dossier:
    dossier = _lock_draft(dossier_id, user)
    if delivery not in delivery_options(dossier.offering):
        raise DraftError(_("Cách nhận kết quả này không áp dụng tại cơ quan đã chọn."))
    dossier.delivery = delivery
    dossier.delivery_address = address or {} if delivery == Delivery.POST else {}
    dossier.save(update_fields=["delivery", "delivery_address", "updated_at"])
    return dossier


def _dossier_bytes(dossier: Dossier) -> int:
    return dossier.attachments.aggregate(total=Sum("stored_file__size"))["total"] or 0


def _document_of(dossier: Dossier, required_document_id) -> RequiredDocument:
    document = dossier.version.documents.filter(pk=required_document_id, upload_online=True).first()
    if document is None:
        raise DraftError(_("Thành phần hồ sơ không hợp lệ."))
    return document


def attachment_upload(*, dossier_id: int, user, required_document_id, uploaded_files) -> list[Attachment]:
    """Store the files (each checked by content and size) and attach them to the document.

    Files are written before the rows that point at them; a refused file raises UploadRejected from
    documents and nothing of this upload is attached. The lock is taken only for the row writes.
    """
    dossier = Dossier.objects.get(pk=dossier_id)
    document = _document_of(dossier, required_document_id)
    limit = settings.UPLOAD_MAX_DOSSIER_MB * 1024 * 1024
    budget = limit - _dossier_bytes(dossier)
    per_file = settings.UPLOAD_MAX_FILE_MB * 1024 * 1024
    accepted = document.accepted_types or ["pdf", "jpeg", "png"]
    stored = []
    try:
        for uploaded in uploaded_files:
            if uploaded.size > budget:
                raise DraftError(
                    _("Tổng dung lượng hồ sơ vượt quá %(limit)s MB.")
                    % {"limit": settings.UPLOAD_MAX_DOSSIER_MB}
                )
            file = stored_file_create(
                owner=user, uploaded_file=uploaded, accepted_types=accepted, max_bytes=per_file
            )
            budget -= file.size
            stored.append(file)
        with transaction.atomic():
            _lock_draft(dossier_id, user)
            return [
                Attachment.objects.create(
                    dossier=dossier, required_document=document, stored_file=f, added_by=user
                )
                for f in stored
            ]
    except Exception:
        for file in stored:  # nothing of a failed upload stays: the stored files of this request go
            stored_file_discard(file)
        raise


@transaction.atomic
def attachment_reuse(*, dossier_id: int, user, required_document_id, stored_file_public_id) -> Attachment:
    """Attach a file of the citizen's document wallet instead of uploading it again."""
    dossier = _lock_draft(dossier_id, user)
    document = _document_of(dossier, required_document_id)
    stored = StoredFile.objects.filter(public_id=stored_file_public_id, owner=user, in_wallet=True).first()
    if stored is None:
        raise DraftError(_("Không tìm thấy tệp trong kho dữ liệu của bạn."))
    if _dossier_bytes(dossier) + stored.size > settings.UPLOAD_MAX_DOSSIER_MB * 1024 * 1024:
        raise DraftError(
            _("Tổng dung lượng hồ sơ vượt quá %(limit)s MB.") % {"limit": settings.UPLOAD_MAX_DOSSIER_MB}
        )
    return Attachment.objects.create(
        dossier=dossier,
        required_document=document,
        stored_file=stored,
        added_by=user,
        reused_from_wallet=True,
    )


@transaction.atomic
def attachment_remove(*, dossier_id: int, user, attachment_id: int) -> None:
    dossier = _lock_draft(dossier_id, user)
    attachment = dossier.attachments.select_related("stored_file").filter(pk=attachment_id).first()
    if attachment is not None:
        stored = attachment.stored_file
        attachment.delete()
        stored_file_discard(stored)  # gone now unless the wallet or another dossier keeps it


@transaction.atomic
def draft_delete(*, dossier_id: int, user) -> None:
    dossier = _lock_draft(dossier_id, user)
    dossier.delete()
