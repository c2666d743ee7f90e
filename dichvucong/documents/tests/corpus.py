"""Files good and bad, made in memory: nothing binary is committed."""

import io
import random
import time

from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image


def png_bytes(size=(40, 30), *, noise=False) -> bytes:
    image = Image.new("RGB", size, (11, 74, 139))
    if noise:  # incompressible: a file of several chunks
        rng = random.Random(4)
        image.putdata(
            [(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(size[0] * size[1])]
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (163, 18, 26)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def pdf_bytes() -> bytes:
    """A real one-page PDF (Pillow writes a valid file with a cross-reference table); the same bytes on
    every call (fixed dates: Pillow would write the current second)."""
    buffer = io.BytesIO()
    when = time.gmtime(1767254400)  # 01/01/2026
    Image.new("RGB", (120, 170), (255, 255, 255)).save(buffer, "PDF", creationDate=when, modDate=when)
    return buffer.getvalue()


HTML = (
    b"<!DOCTYPE html><html><head><title>x</title></head>"
    b"<body><script>alert(document.cookie)</script></body></html>"
)
SVG = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.domain)" width="10" height="10"></svg>'
)
SCRIPT = b"fetch('/tai-khoan/', {credentials: 'include'}).then(r => r.text()).then(t => alert(t));\n"
EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
    + b"\x00" * 48
    + b"This program cannot be run in DOS mode."
)


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> SimpleUploadedFile:
    """What Django gives a view for a small file (kept in memory). The browser's content type is ignored."""
    return SimpleUploadedFile(name, content, content_type=content_type)


def temporary_upload(name: str, content: bytes) -> TemporaryUploadedFile:
    """What Django gives a view for a file above FILE_UPLOAD_MAX_MEMORY_SIZE (on disk, then moved)."""
    uploaded = TemporaryUploadedFile(name, "application/octet-stream", len(content), None)
    uploaded.write(content)
    uploaded.seek(0)
    return uploaded


class BreaksOnSecondRead(SimpleUploadedFile):
    """Reads fine while it is checked, then the connection 'drops' in the middle of being written."""

    reads = 0

    def chunks(self, chunk_size=None):
        self.reads += 1
        self.file.seek(0)
        index = 0
        while chunk := self.file.read(4096):
            if self.reads == 2 and index == 1:
                raise OSError("Connection reset by peer")
            index += 1
            yield chunk


def files_on_disk(root) -> list[str]:
    """Every file under a storage root, relative to it."""
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []
