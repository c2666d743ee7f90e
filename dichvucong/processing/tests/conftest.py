"""Personas of the back-office tests (STYLE.md): the one-stop desk and the commune People's Committee of
Xã Thượng Hồng (agency A: reception 10993.ttpvhcc, competent 10993.ubnd, where the default offering —
Đăng ký khai sinh — is received and decided), an official of another commune's centre (agency B), and
citizens. Dossiers move through the real services (helpers.py)."""

import pytest

from .helpers import make_people


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Files go to a temporary folder: tests never write to var/."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture
def people(db):
    return make_people()
