"""A development PKI and signed documents for the signing and verification tests.

Keys take a tenth of a second each, so one CA and one agency certificate are made per test session and
copied (modes kept) into each test's own SIGNING_DIR: no test ever writes to var/.
"""

import io
import shutil
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from PIL import Image

from dichvucong.documents.management.commands.documents_make_dev_ca import (
    agency_certificate_issue,
    dev_ca_ensure,
)

AGENCY_CODE = "10993.ttpvhcc"
AGENCY_NAME = "Trung tâm Phục vụ hành chính công xã Thượng Hồng"
PROVINCE_NAME = "Thành phố Hải Phòng"


def build_pki(directory: Path) -> Path:
    """A CA and AGENCY_CODE's certificate in `directory` (what documents_make_dev_ca makes)."""
    ca_certificate, ca_key, _ = dev_ca_ensure(directory)
    agency_certificate_issue(
        directory,
        ca_certificate=ca_certificate,
        ca_key=ca_key,
        agency_code=AGENCY_CODE,
        agency_name=AGENCY_NAME,
        province_name=PROVINCE_NAME,
    )
    return directory


def copy_pki(template: Path, directory: Path) -> Path:
    shutil.copytree(template, directory)
    return directory


def issue_from_other_ca(directory: Path, *, into: Path, agency_code: str = AGENCY_CODE) -> None:
    """Replace the agency's pair in `into` by one from a different CA made in `directory`."""
    other_ca, other_key, _ = dev_ca_ensure(directory)
    agency_certificate_issue(
        directory, ca_certificate=other_ca, ca_key=other_key, agency_code=agency_code, agency_name=AGENCY_NAME
    )
    source = directory / "agencies" / agency_code
    for name in ("key.pem", "cert.pem", "chain.pem"):
        shutil.copy2(source / name, into / "agencies" / agency_code / name)


def issue_expired(directory: Path, *, agency_code: str = AGENCY_CODE) -> None:
    """Replace the agency's certificate in `directory` by one that expired yesterday (same CA)."""
    ca_certificate, ca_key, _ = dev_ca_ensure(directory)
    now = timezone.now()
    agency_certificate_issue(
        directory,
        ca_certificate=ca_certificate,
        ca_key=ca_key,
        agency_code=agency_code,
        agency_name=AGENCY_NAME,
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=1),
    )


def tiny_pdf() -> bytes:
    """A real one-page PDF (Pillow)."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 170), (255, 255, 255)).save(buffer, "PDF")
    return buffer.getvalue()
