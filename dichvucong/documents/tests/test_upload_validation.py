"""check_upload: the type comes from the bytes, and every refusal says why in Vietnamese."""

import hashlib

import pytest

from dichvucong.documents.validation import (
    RejectReason,
    UploadRejected,
    check_dossier_total,
    check_stored_type,
    check_upload,
)

from .corpus import EXE, HTML, SCRIPT, SVG, jpeg_bytes, pdf_bytes, png_bytes, upload

ALL = ["pdf", "jpeg", "png"]
MB = 1024 * 1024


def rejected(name, content, *, accepted=ALL, max_bytes=10 * MB) -> UploadRejected:
    with pytest.raises(UploadRejected) as info:
        check_upload(upload(name, content), accepted_types=accepted, max_bytes=max_bytes)
    return info.value


@pytest.mark.parametrize(
    ("name", "make", "content_type", "extension"),
    [
        ("Giấy khai sinh.pdf", pdf_bytes, "application/pdf", "pdf"),
        ("trang-1.jpg", jpeg_bytes, "image/jpeg", "jpg"),
        ("trang-1.JPEG", jpeg_bytes, "image/jpeg", "jpg"),
        ("trang-2.png", png_bytes, "image/png", "png"),
    ],
)
def test_it_accepts_real_pdf_jpeg_and_png_files_by_their_content(name, make, content_type, extension):
    content = make()
    checked = check_upload(upload(name, content, "text/html"), accepted_types=ALL, max_bytes=10 * MB)
    assert (checked.content_type, checked.extension, checked.size) == (content_type, extension, len(content))
    assert checked.sha256 == hashlib.sha256(content).hexdigest()
    assert checked.display_name == name.rsplit(".", 1)[0] + "." + name.rsplit(".", 1)[1].lower()


def test_it_leaves_the_file_rewound_for_storage():
    uploaded = upload("a.png", png_bytes())
    check_upload(uploaded, accepted_types=ALL, max_bytes=MB)
    assert uploaded.tell() == 0


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        ("hoa-don.pdf", HTML, "PDF"),
        ("anh-the.png", SVG, "PNG"),
        ("anh-the.jpg", SCRIPT, "JPEG"),
        ("Giấy tờ.PDF", b"\xef\xbb\xbf" + HTML, "PDF"),
    ],
)
def test_it_refuses_html_svg_and_scripts_disguised_by_their_extension(name, content, label):
    error = rejected(name, content)
    assert error.reason == RejectReason.CONTENT_MISMATCH
    extension = name.rsplit(".", 1)[1].lower()
    assert f"có đuôi .{extension} nhưng nội dung không phải {label}" in error.message
    assert error.name == name.rsplit(".", 1)[0] + "." + extension


def test_it_refuses_an_empty_file_saying_it_is_empty():
    error = rejected("trống.pdf", b"")
    assert error.reason == RejectReason.EMPTY
    assert error.message.startswith("Tệp “trống.pdf” trống (0 byte).")


def test_it_refuses_a_file_one_byte_over_the_limit_and_says_the_limit_in_mb():
    error = rejected("lon.pdf", b"%PDF-1.4\n" + b"0" * (MB + 1 - 9), max_bytes=MB)
    assert error.reason == RejectReason.TOO_LARGE
    assert "vượt quá giới hạn 1 MB cho mỗi tệp" in error.message


def test_it_measures_the_size_by_reading_not_by_trusting_the_declared_size():
    uploaded = upload("lon.png", png_bytes((300, 300), noise=True))
    uploaded.size = 10  # a lie
    with pytest.raises(UploadRejected) as info:
        check_upload(uploaded, accepted_types=ALL, max_bytes=1000)
    assert info.value.reason == RejectReason.TOO_LARGE


def test_it_accepts_a_file_of_exactly_the_limit():
    content = png_bytes()
    checked = check_upload(upload("a.png", content), accepted_types=ALL, max_bytes=len(content))
    assert checked.size == len(content)


def test_it_refuses_a_type_the_document_does_not_accept_and_names_the_accepted_ones():
    error = rejected("anh.jpg", jpeg_bytes(), accepted=["pdf"])
    assert error.reason == RejectReason.TYPE_NOT_ACCEPTED
    assert error.message == "Tệp “anh.jpg” là tệp JPEG; giấy tờ này chỉ nhận tệp PDF."


def test_it_refuses_an_unknown_type_and_lists_pdf_jpeg_or_png():
    error = rejected("bang-tinh.xlsx", b"PK\x03\x04" + b"\x00" * 200)
    assert error.reason == RejectReason.TYPE_NOT_ACCEPTED
    assert error.message.endswith("Chỉ nhận tệp PDF, JPEG hoặc PNG.")


def test_a_double_extension_is_judged_by_content_an_executable_is_refused():
    error = rejected("ho so.pdf.exe", EXE)
    assert error.reason == RejectReason.TYPE_NOT_ACCEPTED


def test_a_double_extension_holding_a_real_pdf_is_kept_with_the_pdf_name():
    checked = check_upload(upload("ho so.pdf.exe", pdf_bytes()), accepted_types=ALL, max_bytes=MB)
    assert (checked.content_type, checked.display_name) == ("application/pdf", "ho so.pdf")


def test_a_png_named_jpg_is_accepted_as_png_and_its_name_corrected():
    checked = check_upload(upload("ảnh chụp.jpg", png_bytes()), accepted_types=ALL, max_bytes=MB)
    assert (checked.content_type, checked.extension, checked.display_name) == (
        "image/png",
        "png",
        "ảnh chụp.png",
    )


def test_a_file_without_extension_gets_the_detected_one():
    checked = check_upload(upload("scan", pdf_bytes()), accepted_types=ALL, max_bytes=MB)
    assert checked.display_name == "scan.pdf"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("cut.pdf", pdf_bytes()[:-200]),
        ("cut.png", png_bytes((200, 200), noise=True)[:-500]),
        ("cut.jpg", jpeg_bytes((400, 300))[:-300]),
        ("header-only.pdf", b"%PDF-1.7\n"),
    ],
)
def test_it_refuses_a_truncated_or_damaged_file_as_corrupt(name, content):
    error = rejected(name, content)
    assert error.reason == RejectReason.CORRUPT
    assert "bị hỏng hoặc chưa tải lên hết" in error.message


def test_it_refuses_an_image_too_large_to_decode_before_decoding_it(monkeypatch):
    monkeypatch.setattr("dichvucong.documents.validation.MAX_IMAGE_PIXELS", 1000)
    error = rejected("to.png", png_bytes((100, 100)))
    assert error.reason == RejectReason.TOO_LARGE
    assert "100 × 100" in error.message


def test_the_names_in_messages_are_sanitised():
    error = rejected("../../etc/passwd.pdf", HTML)
    assert error.name == "passwd.pdf"
    assert "../" not in error.message


def test_a_reused_file_must_be_of_an_accepted_type():
    check_stored_type("application/pdf", accepted_types=["pdf"])
    with pytest.raises(UploadRejected) as info:
        check_stored_type("image/png", accepted_types=["pdf"], name="a.png")
    assert info.value.reason == RejectReason.TYPE_NOT_ACCEPTED


def test_the_dossier_total_is_refused_past_its_limit_and_accepted_at_it():
    check_dossier_total(current_bytes=40 * MB, adding_bytes=10 * MB, max_bytes=50 * MB)
    with pytest.raises(UploadRejected) as info:
        check_dossier_total(current_bytes=40 * MB, adding_bytes=10 * MB + 1, max_bytes=50 * MB, name="b.pdf")
    assert info.value.reason == RejectReason.DOSSIER_TOO_LARGE
    assert "vượt quá giới hạn 50 MB cho một hồ sơ" in info.value.message


def test_empty_accepted_types_mean_pdf_jpeg_and_png():
    checked = check_upload(upload("a.png", png_bytes()), accepted_types=[], max_bytes=MB)
    assert checked.file_type == "png"


def test_a_cut_photo_is_refused_even_after_weasyprint_relaxed_pillow():
    """WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES globally when imported; uploads must not care."""
    import weasyprint  # noqa: F401 - the import is the point
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    with pytest.raises(UploadRejected) as error:
        cut = upload("cut.jpg", jpeg_bytes((400, 300))[:-300])
        check_upload(cut, accepted_types=["jpeg"], max_bytes=10**7)
    assert error.value.reason == "corrupt"
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
