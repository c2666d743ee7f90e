"""stored_file_create and friends: check, write the whole file, then record it — or leave nothing."""

import hashlib
import re
import stat

import pytest
from django.db import IntegrityError

from dichvucong.documents.models import FileKind, StoredFile
from dichvucong.documents.services import (
    stored_file_add_to_wallet,
    stored_file_create,
    stored_file_create_from_bytes,
    stored_file_discard,
    stored_file_remove_from_wallet,
    stored_files_create_many,
)
from dichvucong.documents.storage import private_storage
from dichvucong.documents.validation import RejectReason, UploadRejected

from .corpus import (
    HTML,
    BreaksOnSecondRead,
    files_on_disk,
    jpeg_bytes,
    pdf_bytes,
    png_bytes,
    temporary_upload,
    upload,
)

pytestmark = pytest.mark.django_db
STORAGE_NAME = re.compile(r"^uploads/\d{4}/\d{2}/[0-9a-f]{32}\.(pdf|jpg|png)$")


def test_it_stores_the_bytes_under_a_random_name_and_records_type_size_and_sha256(citizen_an, private_media):
    content = pdf_bytes()
    stored = stored_file_create(
        owner=citizen_an,
        uploaded_file=upload("Giấy khai sinh – bản chính.pdf", content),
        accepted_types=["pdf"],
    )
    stored.refresh_from_db()
    assert STORAGE_NAME.match(stored.storage_name)
    assert "Gi" not in stored.storage_name and "khai" not in stored.storage_name
    assert (stored.owner, stored.kind, stored.in_wallet) == (citizen_an, FileKind.UPLOAD, False)
    assert (stored.original_name, stored.content_type, stored.size) == (
        "Giấy khai sinh – bản chính.pdf",
        "application/pdf",
        len(content),
    )
    on_disk = (private_media / stored.storage_name).read_bytes()
    assert on_disk == content
    assert stored.sha256 == hashlib.sha256(on_disk).hexdigest()
    assert files_on_disk(private_media) == [stored.storage_name]


def test_the_same_name_twice_gives_two_different_storage_names(citizen_an):
    first = stored_file_create(owner=citizen_an, uploaded_file=upload("trang.png", png_bytes()))
    second = stored_file_create(owner=citizen_an, uploaded_file=upload("trang.png", png_bytes()))
    assert first.storage_name != second.storage_name
    assert first.sha256 == second.sha256


def test_path_traversal_names_never_reach_the_storage_path(citizen_an, private_media):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("../../../../tmp/x.jpg", jpeg_bytes()))
    assert STORAGE_NAME.match(stored.storage_name)
    assert stored.original_name == "x.jpg"
    assert files_on_disk(private_media) == [stored.storage_name]


def test_a_large_upload_kept_on_disk_by_django_is_stored_the_same_way(citizen_an, private_media):
    content = png_bytes((300, 300), noise=True)
    uploaded = temporary_upload("lớn.png", content)
    stored = stored_file_create(owner=citizen_an, uploaded_file=uploaded)
    uploaded.close()  # as Django does after the request: the temporary file was moved into storage
    assert (private_media / stored.storage_name).read_bytes() == content
    assert stored.sha256 == hashlib.sha256(content).hexdigest()


def test_stored_files_are_readable_by_the_service_only(citizen_an, private_media):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("a.png", png_bytes()))
    mode = stat.S_IMODE((private_media / stored.storage_name).stat().st_mode)
    assert mode & stat.S_IRWXO == 0


def test_a_refused_file_leaves_no_file_and_no_row(citizen_an, private_media):
    with pytest.raises(UploadRejected):
        stored_file_create(owner=citizen_an, uploaded_file=upload("hoa-don.pdf", HTML))
    assert StoredFile.objects.count() == 0
    assert files_on_disk(private_media) == []


def test_a_file_one_byte_over_the_configured_limit_is_refused(settings, citizen_an, private_media):
    settings.UPLOAD_MAX_FILE_MB = 1
    content = b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 1 - 9)
    with pytest.raises(UploadRejected) as info:
        stored_file_create(owner=citizen_an, uploaded_file=upload("lon.pdf", content))
    assert info.value.reason == RejectReason.TOO_LARGE
    assert "1 MB" in info.value.message
    assert StoredFile.objects.count() == 0
    assert files_on_disk(private_media) == []


def test_an_upload_that_breaks_mid_stream_leaves_no_half_file_and_no_row(citizen_an, private_media):
    uploaded = BreaksOnSecondRead("trang.png", png_bytes((200, 200), noise=True))
    with pytest.raises(OSError, match="Connection reset"):
        stored_file_create(owner=citizen_an, uploaded_file=uploaded)
    assert uploaded.reads == 2
    assert StoredFile.objects.count() == 0
    assert files_on_disk(private_media) == []


def test_when_the_row_cannot_be_written_the_file_is_deleted(citizen_an, private_media, monkeypatch):
    def fail(**kwargs):
        raise IntegrityError("disk full")

    monkeypatch.setattr(StoredFile.objects, "create", fail)
    with pytest.raises(IntegrityError):
        stored_file_create(owner=citizen_an, uploaded_file=upload("a.pdf", pdf_bytes()))
    monkeypatch.undo()
    assert StoredFile.objects.count() == 0
    assert files_on_disk(private_media) == []


def test_several_files_keep_the_good_ones_and_say_why_the_others_were_refused(citizen_an, private_media):
    batch = stored_files_create_many(
        owner=citizen_an,
        uploaded_files=[
            upload("trang-1.jpg", jpeg_bytes()),
            upload("trang-2.pdf", HTML),
            upload("trang-3.png", png_bytes()),
        ],
    )
    assert [f.original_name for f in batch.created] == ["trang-1.jpg", "trang-3.png"]
    assert [(r.reason, r.name) for r in batch.rejected] == [(RejectReason.CONTENT_MISMATCH, "trang-2.pdf")]
    assert StoredFile.objects.count() == 2
    assert len(files_on_disk(private_media)) == 2


def test_several_files_stop_at_the_dossier_limit(citizen_an):
    first, second = png_bytes(), png_bytes((50, 50))
    batch = stored_files_create_many(
        owner=citizen_an,
        uploaded_files=[upload("a.png", first), upload("b.png", second)],
        dossier_bytes=100,
        max_dossier_bytes=100 + len(first) + len(second) - 1,
    )
    assert [f.original_name for f in batch.created] == ["a.png"]
    assert [(r.reason, r.name) for r in batch.rejected] == [(RejectReason.DOSSIER_TOO_LARGE, "b.png")]


def test_a_generated_document_is_stored_under_generated(citizen_an, private_media):
    stored = stored_file_create_from_bytes(owner=citizen_an, content=pdf_bytes(), filename="Biên nhận.pdf")
    assert re.match(r"^generated/\d{4}/\d{2}/[0-9a-f]{32}\.pdf$", stored.storage_name)
    assert (stored.kind, stored.original_name) == (FileKind.GENERATED, "Biên nhận.pdf")


def test_files_join_the_wallet_of_their_owner_only_once(citizen_an):
    one = stored_file_create(owner=citizen_an, uploaded_file=upload("a.png", png_bytes()))
    two = stored_file_create(owner=citizen_an, uploaded_file=upload("b.png", png_bytes()))
    ownerless = stored_file_create(owner=None, uploaded_file=upload("c.png", png_bytes()))
    assert stored_file_add_to_wallet([one, ownerless]) == 1
    assert stored_file_add_to_wallet(StoredFile.objects.filter(pk__in=[one.pk, two.pk])) == 1
    assert list(StoredFile.objects.filter(in_wallet=True).order_by("pk")) == [one, two]


def test_removing_from_the_wallet_needs_the_owner(citizen_an, citizen_binh):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("a.png", png_bytes()))
    stored_file_add_to_wallet([stored])
    assert stored_file_remove_from_wallet(owner=citizen_binh, stored_file=stored) is False
    assert stored_file_remove_from_wallet(owner=citizen_an, stored_file=stored) is True
    stored.refresh_from_db()
    assert stored.in_wallet is False


def test_discarding_an_unreferenced_file_deletes_the_row_then_the_bytes_after_commit(
    citizen_an, private_media, django_capture_on_commit_callbacks
):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("a.png", png_bytes()))
    with django_capture_on_commit_callbacks() as callbacks:
        assert stored_file_discard(stored) is True
    assert StoredFile.objects.count() == 0
    assert files_on_disk(private_media) == [stored.storage_name]  # until the transaction commits
    for callback in callbacks:
        callback()
    assert files_on_disk(private_media) == []


def test_a_wallet_file_is_not_discarded(citizen_an, private_media):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("a.png", png_bytes()))
    stored_file_add_to_wallet([stored])
    assert stored_file_discard(stored) is False
    assert StoredFile.objects.count() == 1
    assert files_on_disk(private_media) == [stored.storage_name]


def test_private_storage_has_no_public_url():
    with pytest.raises(ValueError):
        private_storage().url("uploads/2026/11/x.pdf")
