"""Serving a stored file to a browser.

!!! `file_download_response` DOES NOT CHECK PERMISSIONS. !!!
Every caller decides first who may see the file (the owner through `selectors.wallet_file_get_for`,
officials of the dossier's agency through the dossiers selectors) and only then calls it. Never pass a
StoredFile looked up by an id from the request without such a scoped selector.
"""

from urllib.parse import quote

from django.http import FileResponse

from dichvucong.core.text import fold

from .models import StoredFile
from .storage import private_storage, sanitize_filename, split_extension


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """`attachment; filename="Giay khai sinh.pdf"; filename*=UTF-8''Gi%E1%BA%A5y%20khai%20sinh.pdf`:
    the UTF-8 form keeps Vietnamese names (RFC 6266/5987); the ASCII one is for old clients."""
    filename = sanitize_filename(filename)
    stem, extension = split_extension(filename)
    ascii_stem = fold(stem).replace(" ", "-") or "tep"
    fallback = f"{ascii_stem}.{extension}" if extension else ascii_stem
    disposition = "inline" if inline else "attachment"
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_download_response(stored_file: StoredFile, *, filename: str | None = None, inline: bool = False):
    """Stream a stored file from private storage. THE CALLER MUST HAVE CHECKED PERMISSIONS.

    `Content-Type` is the type libmagic detected at upload (never the browser's), `nosniff` stops a
    browser guessing otherwise, `attachment` (unless `inline`) makes it a download, and
    `private, no-store` keeps it out of shared and local caches.
    """
    handle = private_storage().open(stored_file.storage_name, "rb")
    response = FileResponse(handle, content_type=stored_file.content_type)
    response["Content-Disposition"] = content_disposition(
        filename or stored_file.original_name, inline=inline
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
