"""Building drafts of "Đăng ký khai sinh" at Xã Thượng Hồng for submission tests."""

from dichvucong.catalog.models import Offering
from dichvucong.documents.tests.corpus import pdf_bytes, upload
from dichvucong.dossiers.services.drafts import (
    attachment_upload,
    draft_create,
    draft_save_delivery,
    draft_save_form,
)

BIRTH_FORM = {
    "requester_full_name": "Nguyễn Văn An",
    "requester_id_number": "031090123456",
    "requester_address": {"province": "31", "commune": "10993", "street": "Thôn Đông"},
    "requester_phone": "0912345678",
    "relationship": "father",
    "relationship_detail": "",
    "child_full_name": "Nguyễn Minh Khôi",
    "child_birth_date": "2026-11-20",
    "child_gender": "male",
    "child_ethnicity": "Kinh",
    "child_nationality": "Việt Nam",
    "child_birth_place": "Bệnh viện Phụ sản Hải Phòng",
    "child_home_town": "Hải Phòng",
    "mother_known": "yes",
    "mother_full_name": "Trần Thị Bình",
    "mother_birth_date": "1992-03-04",
    "mother_id_number": "031192004567",
    "mother_ethnicity": "Kinh",
    "mother_nationality": "Việt Nam",
    "mother_address": {"province": "31", "commune": "10993", "street": "Thôn Đông"},
    "father_known": "yes",
    "father_full_name": "Nguyễn Văn An",
    "father_birth_date": "1990-01-01",
    "father_id_number": "031090123456",
    "father_ethnicity": "Kinh",
    "father_nationality": "Việt Nam",
    "father_address": {"province": "31", "commune": "10993", "street": "Thôn Đông"},
    "wants_copies": "yes",
    "copies": "2",
}


def birth_offering(unit_code: str = "10993") -> Offering:
    return Offering.objects.select_related("procedure").get(procedure__code="1.001193", unit__code=unit_code)


def complete_birth_draft(user, *, unit_code: str = "10993"):
    """A draft that can be submitted: e-form filled, birth certificate attached, result online."""
    dossier = draft_create(user=user, offering=birth_offering(unit_code))
    draft_save_form(dossier_id=dossier.pk, user=user, raw=BIRTH_FORM)
    certificate = dossier.version.documents.get(name__startswith="Giấy chứng sinh")
    attachment_upload(
        dossier_id=dossier.pk,
        user=user,
        required_document_id=certificate.pk,
        uploaded_files=[upload("giay-chung-sinh.pdf", pdf_bytes())],
    )
    draft_save_delivery(dossier_id=dossier.pk, user=user, delivery="online")
    dossier.refresh_from_db()
    return dossier
