import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from dichvucong.accounts.models import User
from dichvucong.accounts.services.passwords import password_set

from .factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_an():
    return make_citizen(
        full_name="Nguyễn Văn An",
        personal_id="031090123456",
        phone="+84912345678",
        email="an.nguyen@example.vn",
    )


def _errors(password, user):
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def test_a_long_mixed_password_is_accepted(citizen_an):
    assert _errors("Trời-xanh-2026!", citizen_an) == ""


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Ab1!", "ít nhất 10"),  # Django's Vietnamese message for the minimum length
        ("abcdefghijk", "chữ số"),
        ("abcdefghij1", "ký tự đặc biệt"),
        ("1234567890!", "chữ cái"),
        ("Password123!", "phổ biến"),
        ("NguyenAn2026!", "họ tên"),
        ("Xyz!031090123456", "số định danh"),
        ("Xyz!0912345678", "số điện thoại"),
        ("an.nguyen2026!", "thư điện tử"),
        ("dichvucongvn", "chữ số"),
    ],
)
def test_weak_or_personal_passwords_are_refused_with_a_reason(citizen_an, password, message):
    assert message in _errors(password, citizen_an)


def test_passwords_are_hashed_with_argon2id(citizen_an):
    assert citizen_an.password.startswith("argon2$argon2id$")


def test_none_of_the_last_five_passwords_can_be_reused(citizen_an):
    passwords = [f"Mùa-xuân-{i}-2026!" for i in range(6)]
    for password in passwords:
        password_set(user=citizen_an, raw_password=password)
    citizen_an.refresh_from_db()
    assert "5 mật khẩu gần nhất" in _errors(passwords[-1], citizen_an)  # the current one
    assert "5 mật khẩu gần nhất" in _errors(passwords[1], citizen_an)  # five changes ago
    assert _errors(passwords[0], citizen_an) == ""  # six changes ago: allowed again
    assert citizen_an.password_history.count() == 5


def test_setting_a_password_records_when(citizen_an):
    User.objects.filter(pk=citizen_an.pk).update(password_changed_at=None)
    citizen_an.refresh_from_db()
    password_set(user=citizen_an, raw_password="Biển-xanh-2026!")
    citizen_an.refresh_from_db()
    assert citizen_an.password_changed_at is not None
    assert citizen_an.check_password("Biển-xanh-2026!")
