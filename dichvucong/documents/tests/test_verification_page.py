"""The public verification page /xac-thuc/<token>/: what the QR code printed on a result opens."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from dichvucong.core.pdf import render_pdf
from dichvucong.documents.signing import (
    qr_svg,
    signed_document_issue,
    signed_document_new_token,
    signed_document_revoke,
    signing_identity_for_agency,
    verification_url,
)
from dichvucong.documents.storage import private_storage

from .corpus import png_bytes
from .signing_pki import AGENCY_CODE, AGENCY_NAME, build_pki, copy_pki, tiny_pdf
from .test_signing_pdf import changed_in_signed_range

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def pki_template(tmp_path_factory):
    return build_pki(tmp_path_factory.mktemp("pki") / "signing")


@pytest.fixture
def signing_dir(settings, tmp_path, pki_template):
    settings.SIGNING_DIR = copy_pki(pki_template, tmp_path / "signing")
    return settings.SIGNING_DIR


@pytest.fixture
def identity(signing_dir):
    return signing_identity_for_agency(AGENCY_CODE)


def issue(identity, *, pdf=None, **overrides):
    values = {
        "pdf_bytes": pdf or tiny_pdf(),
        "identity": identity,
        "title": "Trích lục khai sinh",
        "signer_name": "Lê Văn Cường",
        "filename": "trich-luc.pdf",
        "reference": "10993.01.H31-261128-0001",
    }
    return signed_document_issue(**values | overrides)


def signed_bytes(document) -> bytes:
    with private_storage().open(document.stored_file.storage_name, "rb") as handle:
        return handle.read()


def open_page(client, document, **kwargs):
    return client.get(reverse("documents:verify", args=[document.token]), **kwargs)


def compare(client, document, content: bytes, name="ban-nhan-duoc.pdf"):
    return client.post(
        reverse("documents:verify", args=[document.token]), {"tep": SimpleUploadedFile(name, content)}
    )


def test_the_page_confirms_a_valid_signature_with_issuer_date_signer_and_hash(client, identity):
    document = issue(identity)
    response = open_page(client, document)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Trích lục khai sinh" in html and AGENCY_NAME in html and "Lê Văn Cường" in html
    assert "Chữ ký số hợp lệ" in html
    assert timezone.localtime(document.signed_at).strftime("%d/%m/%Y %H:%M") in html
    assert document.sha256[:8] in html and document.sha256[-8:] in html
    assert "<wbr>".join(document.sha256[i : i + 8] for i in range(0, 64, 8)) in html


def test_the_page_is_public_never_cached_and_not_indexed(client, identity):
    response = open_page(client, issue(identity))
    assert response.status_code == 200  # signed out
    assert "no-store" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_signing_time_is_shown_in_viet_nam_time(client, identity):
    document = issue(identity)
    document.signed_at = datetime(2026, 11, 28, 2, 5, tzinfo=UTC)
    document.save(update_fields=["signed_at"])
    assert "28/11/2026 09:05" in open_page(client, document).content.decode()


def test_the_page_shows_no_personal_details_and_the_reference_only_when_allowed(
    client, identity, citizen_an, pdf_rendering
):
    token = signed_document_new_token()
    url = verification_url(token)
    pdf = render_pdf(
        "documents/verify_specimen.html",
        {
            "title": "Trích lục khai sinh",
            "body": f"Họ và tên: {citizen_an.full_name}. Số định danh: {citizen_an.personal_id}.",
            "issuer_name": AGENCY_NAME,
            "signer_name": "Lê Văn Cường",
            "verification_url": url,
            "verification_qr": qr_svg(url),
        },
    )
    document = issue(identity, pdf=pdf, token=token, owner=citizen_an)
    html = open_page(client, document).content.decode()
    assert "Chữ ký số hợp lệ" in html
    for personal in (citizen_an.full_name, citizen_an.personal_id, citizen_an.phone, citizen_an.email):
        assert personal not in html
    assert document.reference not in html
    assert document.stored_file.storage_name not in html and str(document.stored_file.public_id) not in html

    document.show_reference = True
    document.save(update_fields=["show_reference"])
    assert document.reference in open_page(client, document).content.decode()


def test_a_stored_file_changed_after_signing_shows_as_altered(client, identity):
    document = issue(identity)
    tampered = changed_in_signed_range(signed_bytes(document))
    path = private_storage().path(document.stored_file.storage_name)
    with open(path, "wb") as handle:
        handle.write(tampered)
    html = open_page(client, document).content.decode()
    assert "Văn bản đã bị thay đổi hoặc chữ ký số không hợp lệ" in html
    assert "Chữ ký số hợp lệ" not in html


def test_a_signature_whose_ca_is_no_longer_trusted_shows_as_untrusted(client, identity, signing_dir):
    document = issue(identity)
    (signing_dir / "ca" / "ca.cert.pem").unlink()
    html = open_page(client, document).content.decode()
    assert "Văn bản nguyên vẹn nhưng chữ ký số chưa được tin cậy" in html


def test_a_revoked_document_says_so_with_the_reason(client, identity):
    document = issue(identity)
    signed_document_revoke(document=document, reason="Cấp nhầm thông tin ngày sinh")
    html = open_page(client, document).content.decode()
    assert "Văn bản đã bị thu hồi ngày" in html and "Cấp nhầm thông tin ngày sinh" in html


def test_uploading_the_original_file_matches(client, identity):
    document = issue(identity)
    response = compare(client, document, signed_bytes(document))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp trùng khớp với bản gốc" in html and "Tệp không khớp" not in html


def test_uploading_a_changed_copy_does_not_match_and_says_it_was_altered(client, identity):
    document = issue(identity)
    response = compare(client, document, changed_in_signed_range(signed_bytes(document)))
    html = response.content.decode()
    assert "Tệp không khớp" in html and "Tệp trùng khớp" not in html
    assert "Văn bản đã bị thay đổi hoặc chữ ký số không hợp lệ" in html


def test_uploading_another_genuine_document_does_not_match(client, identity):
    document, other = issue(identity), issue(identity, title="Giấy xác nhận tình trạng hôn nhân")
    html = compare(client, document, signed_bytes(other)).content.decode()
    assert "Tệp không khớp" in html
    assert "Chữ ký số trong tệp: Chữ ký số hợp lệ" in html  # genuine, but another document


def test_uploading_the_unsigned_draft_does_not_match(client, identity):
    document = issue(identity)
    html = compare(client, document, tiny_pdf()).content.decode()
    assert "Tệp không khớp" in html and "Tệp không có chữ ký số" in html


def test_an_upload_that_is_not_a_pdf_is_refused_next_to_the_field(client, identity):
    document = issue(identity)
    response = compare(client, document, png_bytes(), name="anh.png")
    assert response.status_code == 400
    html = response.content.decode()
    assert "giấy tờ này chỉ nhận tệp PDF" in html
    assert 'id="id_tep-error"' in html and "Tệp không khớp" not in html


def test_an_upload_over_the_limit_is_refused(client, identity, settings):
    settings.VERIFY_UPLOAD_MAX_MB = 1
    document = issue(identity)
    big = b"%PDF-1.7\n" + b"0" * (1024 * 1024) + b"\n%%EOF\n"
    response = compare(client, document, big)
    assert response.status_code == 400
    assert "vượt quá giới hạn 1 MB" in response.content.decode()


def test_posting_without_a_file_asks_for_one(client, identity):
    document = issue(identity)
    response = client.post(reverse("documents:verify", args=[document.token]), {})
    assert response.status_code == 400
    assert "Hãy chọn tệp PDF cần đối chiếu." in response.content.decode()


def test_an_unknown_token_gets_a_helpful_404(client):
    for token in (signed_document_new_token(), "abc"):
        response = client.get(reverse("documents:verify", args=[token]))
        assert response.status_code == 404
        html = response.content.decode()
        assert "Không tìm thấy văn bản cần xác thực" in html and "quét lại mã QR" in html
        assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_too_many_requests_from_one_address_are_slowed_down(client, identity, settings):
    settings.VERIFY_MAX_PER_HOUR = 2
    document = issue(identity)
    assert open_page(client, document).status_code == 200
    assert client.get(reverse("documents:verify", args=[signed_document_new_token()])).status_code == 404
    response = open_page(client, document)
    assert response.status_code == 429
    assert "quá nhiều lượt xác thực" in response.content.decode()
    assert open_page(client, document, REMOTE_ADDR="10.0.0.9").status_code == 200  # another address


def test_the_page_is_semantic_html_with_a_labelled_file_input(client, identity):
    html = open_page(client, issue(identity)).content.decode()
    assert '<label for="id_tep">' in html and 'accept=".pdf,application/pdf"' in html
    assert 'aria-describedby="id_tep-help"' in html
    assert html.count("<h1>") == 1 and '<dl class="facts">' in html


def test_a_stored_file_that_went_missing_shows_as_unverifiable_not_as_an_error(client, identity):
    document = issue(identity)
    private_storage().delete(document.stored_file.storage_name)
    response = open_page(client, document)
    assert response.status_code == 200
    assert "Không đọc được bản văn bản lưu tại hệ thống" in response.content.decode()


def test_a_result_stays_valid_after_the_agency_certificate_expires(client, identity):
    """No timestamp authority: the recorded signing time is when the certificate must have been valid."""
    from freezegun import freeze_time

    document = issue(identity)
    with freeze_time(identity.certificate.not_valid_after_utc + timedelta(days=30)):
        html = open_page(client, document).content.decode()
    assert "Chữ ký số hợp lệ" in html
