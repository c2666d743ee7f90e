"""documents_sweep_orphans: rows nothing uses and bytes with no row go; everything in use stays."""

import os
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from dichvucong.documents.models import StoredFile
from dichvucong.documents.services import stored_file_add_to_wallet, stored_file_create

from .corpus import files_on_disk, pdf_bytes, png_bytes, upload

pytestmark = pytest.mark.django_db


def age(stored: StoredFile, **delta):
    StoredFile.objects.filter(pk=stored.pk).update(created_at=timezone.now() - timedelta(**delta))


def attach(stored: StoredFile, user):
    """A draft dossier's attachment pointing at the file (dossiers is looked up, never imported)."""
    Offering = apps.get_model("catalog", "Offering")
    Dossier = apps.get_model("dossiers", "Dossier")
    Attachment = apps.get_model("dossiers", "Attachment")
    offering = Offering.objects.filter(is_active=True, procedure__current_version__isnull=False).first()
    dossier = Dossier.objects.create(
        applicant=user,
        procedure=offering.procedure,
        version=offering.procedure.current_version,
        offering=offering,
        competent_agency=offering.agency,
        reception_agency=offering.reception_agency,
        service_level=offering.service_level,
    )
    return Attachment.objects.create(dossier=dossier, stored_file=stored, added_by=user)


@pytest.fixture
def sweep(django_capture_on_commit_callbacks):
    """Run the command; bytes are deleted after commit, as in the command's own autocommit."""

    def run(*args) -> str:
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("documents_sweep_orphans", *args, stdout=out)
        return out.getvalue()

    return run


def write_stray(root, name: str, *, minutes_old: int):
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"half a file")
    then = time.time() - minutes_old * 60
    os.utime(path, (then, then))


def test_it_deletes_an_old_unreferenced_row_and_its_bytes(citizen_an, private_media, sweep):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("a.png", png_bytes()))
    age(stored, hours=25)
    output = sweep()
    assert not StoredFile.objects.filter(pk=stored.pk).exists()
    assert files_on_disk(private_media) == []
    assert "đã xóa 1 bản ghi" in output


def test_it_keeps_referenced_wallet_and_recent_files(citizen_an, private_media, sweep):
    attached = stored_file_create(owner=citizen_an, uploaded_file=upload("a.pdf", pdf_bytes()))
    in_wallet = stored_file_create(owner=citizen_an, uploaded_file=upload("b.png", png_bytes()))
    recent = stored_file_create(owner=citizen_an, uploaded_file=upload("c.png", png_bytes()))
    attach(attached, citizen_an)
    stored_file_add_to_wallet([in_wallet])
    for stored in (attached, in_wallet):
        age(stored, days=90)
    age(recent, hours=23)
    sweep()
    assert StoredFile.objects.count() == 3
    assert len(files_on_disk(private_media)) == 3


def test_it_deletes_bytes_without_a_row_once_they_are_an_hour_old(citizen_an, private_media, sweep):
    kept = stored_file_create(owner=citizen_an, uploaded_file=upload("a.png", png_bytes()))
    write_stray(private_media, "uploads/2026/11/0123456789abcdef0123456789abcdef.pdf", minutes_old=61)
    write_stray(private_media, "uploads/2026/11/fedcba9876543210fedcba9876543210.pdf", minutes_old=10)
    write_stray(private_media, "results/2025/01/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.pdf", minutes_old=600)
    output = sweep()
    assert files_on_disk(private_media) == sorted(
        [kept.storage_name, "uploads/2026/11/fedcba9876543210fedcba9876543210.pdf"]
    )
    assert "2 tệp không có bản ghi" in output


def test_it_only_walks_its_own_folders(private_media, sweep):
    write_stray(private_media, "khac/ghi-chu.txt", minutes_old=600)
    sweep()
    assert files_on_disk(private_media) == ["khac/ghi-chu.txt"]


def test_a_dry_run_counts_and_deletes_nothing(citizen_an, private_media, sweep):
    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("a.png", png_bytes()))
    age(stored, days=2)
    write_stray(private_media, "uploads/2026/11/0123456789abcdef0123456789abcdef.pdf", minutes_old=61)
    output = sweep("--dry-run")
    assert "sẽ xóa 1 bản ghi" in output and "1 tệp không có bản ghi" in output
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    assert len(files_on_disk(private_media)) == 2


def test_it_runs_on_an_empty_storage(private_media, sweep):
    assert "đã xóa 0 bản ghi" in sweep()


def test_a_file_an_attachment_points_to_is_never_discarded(citizen_an, private_media, sweep):
    from dichvucong.documents.services import stored_file_delete_unreferenced

    stored = stored_file_create(owner=citizen_an, uploaded_file=upload("a.pdf", pdf_bytes()))
    attach(stored, citizen_an)
    assert stored_file_delete_unreferenced(stored) is False
    assert StoredFile.objects.filter(pk=stored.pk).exists()
    assert files_on_disk(private_media) == [stored.storage_name]
