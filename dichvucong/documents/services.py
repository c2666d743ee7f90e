"""Every write of stored files: create (check → write the file → record it), wallet, delete.

The order is the rule of ARCHITECTURE.md: a file is written completely before the row that points to
it, and a row is deleted before its file. A failure in between leaves at worst a file without a row,
which `documents_sweep_orphans` removes; never a row without its file.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError, QuerySet, RestrictedError

from .filetypes import DEFAULT_ACCEPTED_TYPES, max_file_bytes
from .models import FileKind, StoredFile
from .selectors import unreferenced_condition
from .storage import private_storage, storage_name_for
from .validation import CheckedUpload, UploadRejected, check_dossier_total, check_upload

logger = logging.getLogger(__name__)


def stored_file_create(
    *,
    owner,
    uploaded_file,
    accepted_types=None,
    max_bytes: int | None = None,
    kind: str = FileKind.UPLOAD,
) -> StoredFile:
    """Check an upload by its content, write it to private storage, then record it.

    `accepted_types`: catalogue codes ("pdf", "jpeg", "png"; empty = all three); `max_bytes`: per
    file (default UPLOAD_MAX_FILE_MB). Raises UploadRejected; on any other failure nothing is left.
    """
    checked = check_upload(
        uploaded_file,
        accepted_types=accepted_types or DEFAULT_ACCEPTED_TYPES,
        max_bytes=max_file_bytes() if max_bytes is None else max_bytes,
    )
    return _store(owner=owner, content=uploaded_file, checked=checked, kind=kind)


def stored_file_create_from_bytes(
    *, owner, content: bytes, filename: str, kind: str = FileKind.GENERATED, in_wallet: bool = False
) -> StoredFile:
    """Record a document the system made (a receipt, a result PDF): same checks, no size limit."""
    upload = ContentFile(content, name=filename)
    checked = check_upload(upload, accepted_types=DEFAULT_ACCEPTED_TYPES, max_bytes=max(len(content), 1))
    return _store(owner=owner, content=upload, checked=checked, kind=kind, in_wallet=in_wallet)


@dataclass
class UploadBatch:
    """What `stored_files_create_many` kept and what it refused (each refusal says why)."""

    created: list[StoredFile] = field(default_factory=list)
    rejected: list[UploadRejected] = field(default_factory=list)

    @property
    def total_bytes(self) -> int:
        return sum(stored.size for stored in self.created)


def stored_files_create_many(
    *,
    owner,
    uploaded_files: Iterable,
    accepted_types=None,
    max_bytes: int | None = None,
    dossier_bytes: int = 0,
    max_dossier_bytes: int | None = None,
    kind: str = FileKind.UPLOAD,
) -> UploadBatch:
    """Store each of several files (the pages of one document): the good ones are kept even when
    another is refused, and the dossier total (`dossier_bytes` already used) is enforced file by file."""
    batch = UploadBatch()
    for uploaded_file in uploaded_files:
        try:
            checked = check_upload(
                uploaded_file,
                accepted_types=accepted_types or DEFAULT_ACCEPTED_TYPES,
                max_bytes=max_file_bytes() if max_bytes is None else max_bytes,
            )
            check_dossier_total(
                current_bytes=dossier_bytes + batch.total_bytes,
                adding_bytes=checked.size,
                max_bytes=max_dossier_bytes,
                name=checked.display_name,
            )
        except UploadRejected as rejected:
            batch.rejected.append(rejected)
            continue
        batch.created.append(_store(owner=owner, content=uploaded_file, checked=checked, kind=kind))
    return batch


def stored_file_add_to_wallet(files: Iterable[StoredFile] | QuerySet[StoredFile]) -> int:
    """Put files in their owners' wallets (files of a submitted dossier, issued results); returns how
    many were added. Files without an owner are left out. Takes StoredFile objects or a queryset
    (`StoredFile.objects.filter(attachments__dossier=dossier)`)."""
    if isinstance(files, QuerySet):
        chosen = StoredFile.objects.filter(pk__in=files.values("pk"))
    else:
        chosen = StoredFile.objects.filter(pk__in=[stored.pk for stored in files])
    return chosen.filter(owner__isnull=False, in_wallet=False).update(in_wallet=True)


def stored_file_remove_from_wallet(*, owner, stored_file: StoredFile) -> bool:
    """Take a file out of the owner's wallet. Dossiers it is attached to keep it; otherwise the orphan
    sweep deletes it."""
    removed = StoredFile.objects.filter(pk=stored_file.pk, owner=owner, in_wallet=True).update(
        in_wallet=False
    )
    if removed:
        stored_file.in_wallet = False
    return bool(removed)


def stored_file_delete_unreferenced(stored_file: StoredFile) -> bool:
    """Delete a file that no row points to and that is in no wallet (an upload whose attachment could
    not be written, a draft's removed attachment): the row in a transaction, the bytes after commit.
    Returns False, and keeps both, when something still points to it or it is in a wallet."""
    try:
        with transaction.atomic():
            deleted, _ = (
                StoredFile.objects.filter(pk=stored_file.pk, in_wallet=False)
                .filter(unreferenced_condition())
                .delete()
            )
    except (ProtectedError, RestrictedError, IntegrityError):
        # Someone attached it between our check and the delete: it is referenced again.
        return False
    if not deleted:
        return False
    name = stored_file.storage_name
    transaction.on_commit(lambda: storage_delete_quietly(name))
    return True


# The same service under the name dossiers.services.drafts uses.
stored_file_discard = stored_file_delete_unreferenced


def storage_delete_quietly(name: str) -> None:
    """Delete bytes from private storage; a failure is logged and left to the orphan sweep."""
    try:
        private_storage().delete(name)
    except Exception:
        logger.exception("Could not delete %s from private storage; the orphan sweep will retry.", name)


def _store(*, owner, content, checked: CheckedUpload, kind: str, in_wallet: bool = False) -> StoredFile:
    storage = private_storage()
    name = storage_name_for(kind=kind, extension=checked.extension)
    try:
        # The whole file is on disk (and flushed) before any row names it.
        name = storage.save(name, content)
    except BaseException:
        # A read error or an abort mid-stream: remove whatever part was written.
        storage_delete_quietly(name)
        raise
    try:
        with transaction.atomic():
            return StoredFile.objects.create(
                owner=owner,
                kind=kind,
                storage_name=name,
                original_name=checked.display_name,
                content_type=checked.content_type,
                size=checked.size,
                sha256=checked.sha256,
                in_wallet=in_wallet,
            )
    except BaseException:
        storage_delete_quietly(name)
        raise
