"""sanitize_filename: a safe display name, never a storage path."""

import unicodedata

import pytest

from dichvucong.documents.storage import MAX_NAME_BYTES, MAX_NAME_CHARS, sanitize_filename


@pytest.mark.parametrize(
    ("raw", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\windows\\system.ini.pdf", "system.ini.pdf"),
        ("C:\\Users\\An\\Desktop\\CCCD mặt trước.jpg", "CCCD mặt trước.jpg"),
        ("/var/www/../../index.html", "index.html"),
        ("Giấy khai sinh – bản chính.pdf", "Giấy khai sinh – bản chính.pdf"),
        ("ho so.pdf.exe", "ho so.pdf.exe"),
        ("a.pdf\x00.exe", "a.pdf.exe"),
        ("hoadon\u202efdp.exe", "hoadonfdp.exe"),
        ("\u200bẩn\u200d.png", "ẩn.png"),
        ("dòng\nmới\t.pdf", "dòng mới.pdf"),
        ('a<b>c:"d"|e?f*.pdf', "a_b_c__d__e_f_.pdf"),
        ("  ...ẩn.pdf.  ", "ẩn.pdf"),
        ("..", "tệp"),
        ("", "tệp"),
        ("../", "tệp"),
        (".pdf", "pdf"),
        ("CON.pdf", "CON_.pdf"),
        ("SCAN.PDF", "SCAN.pdf"),
        ("ảnh.tar.gz;rm -rf", "ảnh.tar.gz;rm -rf"),
    ],
)
def test_it_keeps_a_safe_display_name(raw, safe):
    assert sanitize_filename(raw) == safe


def test_it_recomposes_decomposed_vietnamese_letters_from_macos():
    decomposed = unicodedata.normalize("NFD", "Sổ hộ khẩu.pdf")
    assert decomposed != "Sổ hộ khẩu.pdf"
    assert sanitize_filename(decomposed) == "Sổ hộ khẩu.pdf"


def test_it_shortens_a_long_name_but_keeps_its_extension():
    name = sanitize_filename("Đơn đề nghị " * 40 + ".pdf")
    assert name.endswith(".pdf")
    assert len(name) <= MAX_NAME_CHARS
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert not name[:-4].endswith(" ")


def test_it_is_idempotent():
    for raw in ("../../etc/passwd.pdf", "hoadon\u202efdp.exe", "Đơn " * 80 + ".png"):
        once = sanitize_filename(raw)
        assert sanitize_filename(once) == once
