"""The file types the portal accepts, as the catalogue names them (`catalog.models.FileType` values).

One table maps each type to the MIME type libmagic reports, the extensions people use for it and the
extension the server gives stored files. Everything else (`accept=` attributes, help texts, messages)
is derived from it.
"""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class FileTypeInfo:
    code: str
    label: str
    mime: str
    # The first one is the extension given to stored files and corrected display names.
    extensions: tuple[str, ...]


FILE_TYPES: dict[str, FileTypeInfo] = {
    "pdf": FileTypeInfo("pdf", "PDF", "application/pdf", ("pdf",)),
    "jpeg": FileTypeInfo("jpeg", "JPEG", "image/jpeg", ("jpg", "jpeg", "jpe", "jfif")),
    "png": FileTypeInfo("png", "PNG", "image/png", ("png",)),
}
DEFAULT_ACCEPTED_TYPES = ("pdf", "jpeg", "png")
_BY_MIME = {info.mime: info for info in FILE_TYPES.values()}
_BY_EXTENSION = {ext: info for info in FILE_TYPES.values() for ext in info.extensions}


def normalize_accepted_types(accepted_types) -> tuple[str, ...]:
    """The known types among `accepted_types`, in table order; none given means the default three.

    `RequiredDocument.accepted_types` is an empty list unless the catalogue narrows it.
    """
    wanted = {str(code).lower() for code in accepted_types or ()}
    known = tuple(code for code in FILE_TYPES if code in wanted)
    return known or DEFAULT_ACCEPTED_TYPES


def type_for_mime(mime: str) -> FileTypeInfo | None:
    return _BY_MIME.get(mime)


def type_for_extension(extension: str) -> FileTypeInfo | None:
    return _BY_EXTENSION.get(extension.lower().lstrip("."))


def accepted_label(accepted_types) -> str:
    """'PDF, JPEG hoặc PNG' for the help text and the messages."""
    labels = [FILE_TYPES[code].label for code in normalize_accepted_types(accepted_types)]
    if len(labels) == 1:
        return labels[0]
    return _("%(first)s hoặc %(last)s") % {"first": ", ".join(labels[:-1]), "last": labels[-1]}


def accept_attribute(accepted_types) -> str:
    """The `accept=` attribute of a file input: extensions and MIME types ('.pdf,application/pdf,…')."""
    parts = []
    for code in normalize_accepted_types(accepted_types):
        info = FILE_TYPES[code]
        parts += [f".{ext}" for ext in info.extensions] + [info.mime]
    return ",".join(parts)


def accepts_images(accepted_types) -> bool:
    return any(
        FILE_TYPES[code].mime.startswith("image/") for code in normalize_accepted_types(accepted_types)
    )


def max_file_bytes() -> int:
    """UPLOAD_MAX_FILE_MB in bytes (1 MB = 1024 × 1024 bytes)."""
    return settings.UPLOAD_MAX_FILE_MB * 1024 * 1024


def max_dossier_bytes() -> int:
    """UPLOAD_MAX_DOSSIER_MB in bytes."""
    return settings.UPLOAD_MAX_DOSSIER_MB * 1024 * 1024
