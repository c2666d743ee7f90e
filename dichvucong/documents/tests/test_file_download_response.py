"""file_download_response: a download with the detected type, never sniffed, never cached."""

import pytest

from dichvucong.documents.responses import content_disposition, file_download_response
from dichvucong.documents.services import stored_file_create

from .corpus import pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def test_it_streams_the_bytes_as_an_attachment_with_safe_headers(citizen_an):
    content = pdf_bytes()
    stored = stored_file_create(
        owner=citizen_an, uploaded_file=upload("Giấy khai sinh – bản chính.pdf", content)
    )
    response = file_download_response(stored)
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(content))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == (
        'attachment; filename="giay-khai-sinh-ban-chinh.pdf"; '
        "filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh%20%E2%80%93%20b%E1%BA%A3n%20ch%C3%ADnh.pdf"
    )
    response.close()


def test_the_content_type_is_the_detected_one_not_the_browsers(citizen_an):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("anh.jpg", png_bytes(), "text/html"))
    response = file_download_response(stored)
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith('attachment; filename="anh.png"')
    response.close()


def test_inline_and_another_filename_can_be_asked_for(citizen_an):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("a.pdf", pdf_bytes()))
    response = file_download_response(stored, filename="Kết quả.pdf", inline=True)
    assert (
        response["Content-Disposition"]
        == "inline; filename=\"ket-qua.pdf\"; filename*=UTF-8''K%E1%BA%BFt%20qu%E1%BA%A3.pdf"
    )
    response.close()


@pytest.mark.parametrize(
    "name",
    ['a"; filename="evil.html', "a\r\nSet-Cookie: x=1.pdf", "../../x.pdf", "hoadon\u202efdp.exe"],
)
def test_a_hostile_name_cannot_break_the_header(name):
    header = content_disposition(name)
    assert "\r" not in header and "\n" not in header
    assert header.count('"') == 2
    assert "\u202e" not in header
