"""Reads of stored files, scoped to their owner. Callers paginate lists."""

import uuid
from datetime import datetime

from django.db.models import Q, QuerySet

from .models import StoredFile


def wallet_list_for(user) -> QuerySet[StoredFile]:
    """The user's document wallet (kho dữ liệu): their reusable files, newest first."""
    if not user.is_authenticated:
        return StoredFile.objects.none()
    # Uses stored_file_wallet_idx (owner, in_wallet, -created_at).
    return StoredFile.objects.filter(owner=user, in_wallet=True).order_by("-created_at", "-id")


def stored_file_get_for_owner(user, public_id) -> StoredFile | None:
    """One of the user's files by its public id, or None (someone else's file, a bad id)."""
    public_id = _as_uuid(public_id)
    if public_id is None or not user.is_authenticated:
        return None
    return StoredFile.objects.filter(owner=user, public_id=public_id).first()


def wallet_file_get_for(user, public_id) -> StoredFile | None:
    """A file of the user's wallet by its public id (to download, remove or reuse it), or None."""
    stored_file = stored_file_get_for_owner(user, public_id)
    return stored_file if stored_file is not None and stored_file.in_wallet else None


def unreferenced_condition() -> Q:
    """No row of any app points at the file: every reverse relation of StoredFile is empty.

    Found at run time (dossiers.Attachment.stored_file, later results…), so this app imports none of
    them; anything that keeps a file must point at it with a ForeignKey.
    """
    condition = Q()
    for relation in StoredFile._meta.related_objects:
        condition &= Q(**{f"{relation.name}__isnull": True})
    return condition


def stored_file_list_unreferenced(*, created_before: datetime) -> QuerySet[StoredFile]:
    """Files outside every wallet that nothing points to, created before `created_before`."""
    return (
        StoredFile.objects.filter(in_wallet=False, created_at__lt=created_before)
        .filter(unreferenced_condition())
        .order_by("id")
    )


def _as_uuid(value) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None
