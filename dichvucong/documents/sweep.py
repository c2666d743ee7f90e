"""The orphan sweep behind `manage.py documents_sweep_orphans`.

Two kinds of orphans, both left by design by the write order (file before row, row before file):
- rows nothing points to and in no wallet (a draft's files after the draft is purged, an upload whose
  dossier step failed), older than a day: the row is deleted, then its bytes;
- bytes with no row (a process killed between writing the file and recording it, a failed delete),
  older than an hour so that uploads still being recorded are spared.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from .models import StoredFile
from .selectors import stored_file_list_unreferenced
from .services import storage_delete_quietly, stored_file_delete_unreferenced
from .storage import PREFIXES, private_storage

BATCH = 500


@dataclass
class SweepReport:
    rows_deleted: int = 0
    files_deleted: int = 0
    files_seen: int = 0


def sweep_orphans(*, row_grace: timedelta, file_grace: timedelta, dry_run: bool = False) -> SweepReport:
    """Delete orphan rows, then orphan files; with `dry_run`, only count them."""
    report = SweepReport()
    now = timezone.now()
    orphans, last_id = stored_file_list_unreferenced(created_before=now - row_grace), 0
    # Keyset batches, not a cursor left open while its table changes (SQLite).
    while batch := list(orphans.filter(id__gt=last_id)[:BATCH]):
        last_id = batch[-1].id
        for stored_file in batch:
            if dry_run or stored_file_delete_unreferenced(stored_file):
                report.rows_deleted += 1

    storage = private_storage()
    for names in _batches(_walk(storage), BATCH):
        report.files_seen += len(names)
        recorded = set(
            StoredFile.objects.filter(storage_name__in=names).values_list("storage_name", flat=True)
        )
        for name in names:
            if name in recorded or not _older_than(storage, name, now - file_grace):
                continue
            # Checked again one by one: a row may have been written since the batch query.
            if StoredFile.objects.filter(storage_name=name).exists():
                continue
            if not dry_run:
                storage_delete_quietly(name)
            report.files_deleted += 1
    return report


def _older_than(storage, name, moment) -> bool:
    try:
        return storage.get_modified_time(name) < moment
    except OSError:  # deleted meanwhile
        return False


def _walk(storage):
    """Every file name under the kinds' folders (uploads/, results/, generated/), depth first."""
    stack = [prefix for prefix in PREFIXES.values() if storage.exists(prefix)]
    while stack:
        folder = stack.pop()
        directories, files = storage.listdir(folder)
        stack.extend(f"{folder}/{directory}" for directory in directories)
        yield from (f"{folder}/{name}" for name in files)


def _batches(names, size):
    batch = []
    for name in names:
        batch.append(name)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
