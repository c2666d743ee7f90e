"""The verification page in Chromium on a phone: accessible (axe-core), fits the screen, compares a file."""

import pytest
from django.urls import reverse

from dichvucong.documents.signing import signed_document_issue, signing_identity_for_agency
from dichvucong.documents.storage import private_storage

from .signing_pki import AGENCY_CODE, build_pki, tiny_pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_citizen_scans_the_qr_code_and_checks_the_file_they_received(
    reference_data, live_server, page, private_media, assert_accessible, settings, tmp_path
):
    """GIVEN a signed result issued by the service centre of Xã Thượng Hồng
    WHEN someone opens its verification page on a phone and uploads the PDF they were sent
    THEN the page confirms the signature and says the file matches the original, and both states pass
    axe-core without the long hash pushing the page sideways."""
    settings.SIGNING_DIR = build_pki(tmp_path / "signing")
    document = signed_document_issue(
        pdf_bytes=tiny_pdf(),
        identity=signing_identity_for_agency(AGENCY_CODE),
        title="Trích lục khai sinh",
        signer_name="Lê Văn Cường",
        filename="trich-luc.pdf",
    )
    with private_storage().open(document.stored_file.storage_name, "rb") as handle:
        signed = handle.read()

    page.goto(live_server.url + reverse("documents:verify", args=[document.token]))
    page.get_by_text("Chữ ký số hợp lệ").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "verification page")

    page.get_by_label("Tệp PDF cần đối chiếu").set_input_files(
        {"name": "trich-luc.pdf", "mimeType": "application/pdf", "buffer": signed}
    )
    page.get_by_role("button", name="Đối chiếu", exact=True).click()
    page.get_by_text("Tệp trùng khớp với bản gốc").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_accessible(page, "verification page after a comparison")


def test_the_not_found_page_is_accessible(reference_data, live_server, page, assert_accessible):
    page.goto(live_server.url + reverse("documents:verify", args=["x" * 32]))
    page.get_by_role("heading", name="Không tìm thấy văn bản cần xác thực").wait_for()
    assert_accessible(page, "verification not found")
