"""Checking an upload by its content before anything is stored.

The type comes from the bytes (libmagic), never from the name or the browser's Content-Type: an HTML
or SVG page renamed `.pdf` is refused. Each refusal is an `UploadRejected` with a reason code and a
Vietnamese message that names the file and says what to do; a bad name is sanitised, not refused.
"""

import contextlib
import hashlib
import threading
import warnings
from dataclasses import dataclass

import magic
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageFile, UnidentifiedImageError

from .filetypes import (
    FILE_TYPES,
    accepted_label,
    max_dossier_bytes,
    normalize_accepted_types,
    type_for_extension,
    type_for_mime,
)
from .storage import sanitize_filename, split_extension, with_extension

# libmagic needs the first 2 KB for most formats; 8 KB is still one read.
HEAD_BYTES = 8192
# PDF readers look for the end-of-file marker within the last 1024 bytes.
PDF_TAIL_BYTES = 1024
# A phone photo is 12–50 megapixels; beyond this an image is refused before it is decoded.
MAX_IMAGE_PIXELS = 100_000_000


class RejectReason(models.TextChoices):
    EMPTY = "empty", gettext_lazy("Tệp trống")
    TOO_LARGE = "too_large", gettext_lazy("Tệp quá lớn")
    DOSSIER_TOO_LARGE = "dossier_too_large", gettext_lazy("Hồ sơ quá lớn")
    TYPE_NOT_ACCEPTED = "type_not_accepted", gettext_lazy("Định dạng không được nhận")
    CONTENT_MISMATCH = "content_mismatch", gettext_lazy("Nội dung không khớp với đuôi tệp")
    CORRUPT = "corrupt", gettext_lazy("Tệp bị hỏng")


class UploadRejected(Exception):
    """A refused file: `reason` (a RejectReason), `message` (Vietnamese, shown next to the field)."""

    def __init__(self, reason: str, message: str, *, name: str = ""):
        super().__init__(message)
        self.reason = reason
        self.message = message
        self.name = name


@dataclass(frozen=True)
class CheckedUpload:
    file_type: str  # "pdf", "jpeg", "png"
    content_type: str  # as detected: "application/pdf"
    extension: str  # of the stored file: "pdf", "jpg", "png"
    size: int
    sha256: str
    display_name: str  # sanitised, ending in the detected type's extension


def format_mb(size: int) -> str:
    """'10,5 MB' (Vietnamese decimal comma)."""
    return f"{number_format(size / (1024 * 1024), 1)} MB"


def _limit_mb(max_bytes: int) -> str:
    """A limit as configured ('10'), with a decimal only when it is not a whole number of MB."""
    whole, rest = divmod(max_bytes, 1024 * 1024)
    return str(whole) if not rest else number_format(max_bytes / (1024 * 1024), 1)


def check_upload(uploaded_file, *, accepted_types, max_bytes: int) -> CheckedUpload:
    """Check a file people sent (size, type by content, structure) and return what to record.

    Reads the whole stream once for SHA-256 and size; leaves the file rewound for storage.
    Raises UploadRejected.
    """
    accepted = normalize_accepted_types(accepted_types)
    name = sanitize_filename(getattr(uploaded_file, "name", "") or "")
    declared = getattr(uploaded_file, "size", None)
    if declared is not None and declared > max_bytes:
        raise _too_large(name, declared, max_bytes)

    digest, size = hashlib.sha256(), 0
    for chunk in uploaded_file.chunks():
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(name, size, max_bytes)
        digest.update(chunk)
    if size == 0:
        raise UploadRejected(
            RejectReason.EMPTY,
            _("Tệp “%(name)s” trống (0 byte). Hãy chọn lại tệp có nội dung.") % {"name": name},
            name=name,
        )

    uploaded_file.seek(0)
    try:
        detected_mime = magic.from_buffer(uploaded_file.read(HEAD_BYTES), mime=True)
    except magic.MagicException:
        detected_mime = "application/octet-stream"
    info = _accepted_type(name, detected_mime, accepted)
    if info.code == "pdf":
        _check_pdf(uploaded_file, size, name)
    else:
        _check_image(uploaded_file, info, name)
    uploaded_file.seek(0)
    return CheckedUpload(
        file_type=info.code,
        content_type=info.mime,
        extension=info.extensions[0],
        size=size,
        sha256=digest.hexdigest(),
        display_name=sanitize_filename(with_extension(name, info.extensions)),
    )


def check_stored_type(content_type: str, *, accepted_types, name: str = "") -> None:
    """For a file reused from the wallet: is its (already detected) type accepted here?"""
    accepted = normalize_accepted_types(accepted_types)
    info = type_for_mime(content_type)
    if info is None or info.code not in accepted:
        raise _not_accepted(name, info, accepted)


def check_dossier_total(
    *, current_bytes: int, adding_bytes: int, max_bytes: int | None = None, name: str = ""
) -> None:
    """Refuse a file that would take a dossier past UPLOAD_MAX_DOSSIER_MB (the caller sums its files)."""
    limit = max_dossier_bytes() if max_bytes is None else max_bytes
    total = current_bytes + adding_bytes
    if total > limit:
        raise UploadRejected(
            RejectReason.DOSSIER_TOO_LARGE,
            _(
                "Không nhận thêm tệp “%(name)s”: tổng dung lượng tệp của hồ sơ sẽ là %(total)s, vượt quá "
                "giới hạn %(limit)s MB cho một hồ sơ. Hãy giảm dung lượng tệp (chụp ở độ phân giải thấp "
                "hơn) hoặc bỏ bớt tệp."
            )
            % {"name": name or "…", "total": format_mb(total), "limit": _limit_mb(limit)},
            name=name,
        )


def _accepted_type(name, detected_mime, accepted):
    detected = type_for_mime(detected_mime)
    if detected is not None and detected.code in accepted:
        return detected
    claimed = type_for_extension(split_extension(name)[1])
    if detected is None and claimed is not None:
        # The name promises a PDF or an image but the bytes are something else: HTML, SVG, a script.
        raise UploadRejected(
            RejectReason.CONTENT_MISMATCH,
            _(
                "Tệp “%(name)s” có đuôi .%(extension)s nhưng nội dung không phải %(label)s. Hãy mở tệp "
                "trên máy để kiểm tra, rồi xuất lại thành tệp %(label)s."
            )
            % {"name": name, "extension": split_extension(name)[1].lower(), "label": claimed.label},
            name=name,
        )
    raise _not_accepted(name, detected, accepted)


def _not_accepted(name, detected, accepted) -> UploadRejected:
    if detected is not None:
        message = _("Tệp “%(name)s” là tệp %(found)s; giấy tờ này chỉ nhận tệp %(accepted)s.") % {
            "name": name,
            "found": detected.label,
            "accepted": accepted_label(accepted),
        }
    else:
        message = _("Tệp “%(name)s” không đúng định dạng. Chỉ nhận tệp %(accepted)s.") % {
            "name": name,
            "accepted": accepted_label(accepted),
        }
    return UploadRejected(RejectReason.TYPE_NOT_ACCEPTED, message, name=name)


def _too_large(name, size, max_bytes) -> UploadRejected:
    return UploadRejected(
        RejectReason.TOO_LARGE,
        _("Tệp “%(name)s” có dung lượng %(size)s, vượt quá giới hạn %(limit)s MB cho mỗi tệp.")
        % {"name": name, "size": format_mb(size), "limit": _limit_mb(max_bytes)},
        name=name,
    )


def _corrupt(message, name) -> UploadRejected:
    return UploadRejected(RejectReason.CORRUPT, message, name=name)


def _check_pdf(uploaded_file, size, name):
    """A PDF starts with '%PDF-' and ends with '%%EOF': a truncated or damaged file does not."""
    uploaded_file.seek(0)
    head = uploaded_file.read(5)
    uploaded_file.seek(max(0, size - PDF_TAIL_BYTES))
    tail = uploaded_file.read(PDF_TAIL_BYTES)
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise _corrupt(
            _(
                "Tệp “%(name)s” không phải tệp PDF hợp lệ: tệp bị hỏng hoặc chưa tải lên hết. Hãy mở thử "
                "tệp trên máy rồi tải lên lại."
            )
            % {"name": name},
            name,
        )


_TRUNCATION_LOCK = threading.Lock()


@contextlib.contextmanager
def _truncated_images_refused():
    """WeasyPrint sets Pillow's global LOAD_TRUNCATED_IMAGES to True when it is imported, which would let
    a cut-off photo through; refuse truncation while checking an upload, then put the flag back."""
    with _TRUNCATION_LOCK:
        previous = ImageFile.LOAD_TRUNCATED_IMAGES
        ImageFile.LOAD_TRUNCATED_IMAGES = False
        try:
            yield
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = previous


def _check_image(uploaded_file, info, name):
    """Pillow opens the image, refuses one too big to decode, and reads it through at 1/8 scale (JPEG)
    or checks every chunk's CRC (PNG): a truncated photo is refused."""
    uploaded_file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(uploaded_file) as image:
                width, height = image.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise UploadRejected(
                        RejectReason.TOO_LARGE,
                        _(
                            "Ảnh “%(name)s” có độ phân giải quá lớn (%(width)s × %(height)s điểm ảnh). "
                            "Hãy chụp lại hoặc thu nhỏ ảnh."
                        )
                        % {"name": name, "width": width, "height": height},
                        name=name,
                    )
                if image.format != FILE_TYPES[info.code].label:
                    raise ValueError(image.format)
                if info.code == "jpeg":
                    image.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                    with _truncated_images_refused():
                        image.load()
                else:
                    image.verify()
    except UploadRejected:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError) as exc:
        raise _corrupt(
            _("Ảnh “%(name)s” bị hỏng hoặc chưa tải lên hết nên không mở được. Hãy chụp hoặc chọn lại ảnh.")
            % {"name": name},
            name,
        ) from exc
    finally:
        uploaded_file.seek(0)
