"""Private storage: where files live, how they are named, and the safe display name people see.

Files are never served from a public URL: the storage has no base URL and `url()` refuses. They are
named by the server (`uploads/2026/11/<uuid4 hex>.pdf`); the name a person gave is kept, sanitised,
only in the database for display and downloads.
"""

import os
import re
import unicodedata
import uuid

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.utils import timezone

from .models import FileKind

# One top-level folder per kind of file; the orphan sweep walks exactly these.
PREFIXES = {
    FileKind.UPLOAD: "uploads",
    FileKind.RESULT: "results",
    FileKind.GENERATED: "generated",
}

DEFAULT_DISPLAY_NAME = "tệp"
MAX_NAME_CHARS = 150
# Most file systems limit a name to 255 bytes; Vietnamese letters take 2–3 bytes in UTF-8.
MAX_NAME_BYTES = 240
# Control, format (bidirectional overrides, zero-width, BOM), surrogate, private-use and unassigned
# characters: invisible, or able to make "hoso\u202efdp.exe" look like "hosoexe.pdf".
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
# Reserved on Windows, and quote characters that would confuse a header or a shell.
_REPLACED = re.compile(r'[<>:"/\\|?*]')
_WINDOWS_DEVICES = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{n}" for d in ("COM", "LPT") for n in range(1, 10)}
_SANE_EXTENSION = re.compile(r"^[A-Za-z0-9]{1,10}$")


class PrivateFileSystemStorage(FileSystemStorage):
    """A FileSystemStorage without URLs, that flushes each file to disk before the row pointing to it
    is written (a file the user was told is saved must survive a power cut)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.PRIVATE_MEDIA_ROOT)
        kwargs.setdefault("file_permissions_mode", 0o640)
        kwargs.setdefault("directory_permissions_mode", 0o750)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError("Private files have no URL; serve them with documents.responses.")

    def _save(self, name, content):
        name = super()._save(name, content)
        path = self.path(name)
        with open(path, "rb") as saved:
            os.fsync(saved.fileno())
        directory = os.open(os.path.dirname(path), os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        return name


def private_storage() -> Storage:
    """The storage of every StoredFile: `STORAGES["private"]` when configured (S3-compatible object
    storage with private ACLs in production), else the file system under PRIVATE_MEDIA_ROOT."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return PrivateFileSystemStorage()


def storage_name_for(*, kind: str, extension: str) -> str:
    """A fresh server-generated name: '<prefix>/<yyyy>/<mm>/<uuid4 hex>.<ext>' (UTC month)."""
    now = timezone.now()
    return f"{PREFIXES[kind]}/{now:%Y}/{now:%m}/{uuid.uuid4().hex}.{extension}"


def split_extension(name: str) -> tuple[str, str]:
    """('Giấy khai sinh', 'pdf') for 'Giấy khai sinh.pdf'; ('tên', '') when there is no sane one."""
    stem, dot, extension = name.rpartition(".")
    if dot and stem and _SANE_EXTENSION.match(extension):
        return stem, extension
    return name, ""


def sanitize_filename(name: str) -> str:
    """A safe display name for the name a browser sent: never used to store the file.

    Keeps Vietnamese letters (normalised to NFC, as macOS sends decomposed letters) and a sane
    extension; drops folders ('../../etc/passwd', 'C:\\x\\y'), control characters, NUL and
    bidirectional overrides; replaces characters Windows refuses; trims dots and spaces at the ends
    and shortens long names, keeping the extension.
    """
    name = unicodedata.normalize("NFC", str(name or ""))
    kept = []
    for ch in name:
        category = unicodedata.category(ch)
        if ch in "\t\n\r" or category == "Zs":
            kept.append(" ")
        elif category not in _DROPPED_CATEGORIES:
            kept.append(ch)
    name = "".join(kept)
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _REPLACED.sub("_", name)
    name = " ".join(name.split()).strip(" .")
    stem, extension = split_extension(name)
    stem = stem.strip(" .")
    if not stem:
        stem = DEFAULT_DISPLAY_NAME
    if stem.upper() in _WINDOWS_DEVICES:
        stem = f"{stem}_"
    extension = extension.lower()
    suffix = f".{extension}" if extension else ""
    while stem and (
        len(stem) + len(suffix) > MAX_NAME_CHARS or len((stem + suffix).encode("utf-8")) > MAX_NAME_BYTES
    ):
        stem = stem[:-1]
    stem = stem.rstrip(" .") or DEFAULT_DISPLAY_NAME
    return stem + suffix


def with_extension(display_name: str, extensions: tuple[str, ...]) -> str:
    """The display name ending in one of `extensions` (the detected type's), the first one if it must
    be changed: 'ảnh.jpg' holding a PNG becomes 'ảnh.png'; 'hồ sơ.pdf.exe' holding a PDF, 'hồ sơ.pdf'."""
    stem, extension = split_extension(display_name)
    if extension.lower() in extensions:
        return display_name
    if extension:
        inner_stem, inner = split_extension(stem)
        if inner.lower() in extensions:
            return stem
    return f"{stem}.{extensions[0]}"
