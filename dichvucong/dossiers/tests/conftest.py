"""Fixtures of the dossier tests: private storage in a temporary folder, personas (STYLE.md)."""

import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """Files go to a temporary folder: tests never write to var/."""
    root = tmp_path / "private"
    settings.PRIVATE_MEDIA_ROOT = root
    return root


@pytest.fixture
def citizen_an(db):
    from dichvucong.accounts.tests.factories import make_citizen

    return make_citizen(full_name="Nguyễn Văn An", address_street="Số 12 ngõ Hoa Sữa")


@pytest.fixture
def citizen_binh(db):
    from dichvucong.accounts.tests.factories import make_citizen

    return make_citizen(full_name="Trần Thị Bình")


@pytest.fixture
def receptionist_chi(db):
    """The receptionist of the service centre receiving the default offering's dossiers."""
    from dichvucong.dossiers.tests.factories import agency_official, default_offering

    return agency_official(default_offering())
