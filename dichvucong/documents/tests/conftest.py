import pytest


@pytest.fixture
def citizen_an(db):
    from dichvucong.accounts.tests.factories import make_citizen

    return make_citizen(full_name="Nguyễn Văn An")


@pytest.fixture
def citizen_binh(db):
    from dichvucong.accounts.tests.factories import make_citizen

    return make_citizen(full_name="Trần Thị Bình")
