"""Personas for account tests (STYLE.md: citizen_an, citizen_binh…)."""

import itertools

from django.utils import timezone

from dichvucong.accounts.models import User
from dichvucong.directory.models import AdministrativeUnit

PASSWORD = "Mật-khẩu-2026!"
_serial = itertools.count(1)


def make_citizen(
    *,
    full_name="Nguyễn Văn An",
    personal_id=None,
    phone=None,
    email=None,
    password=PASSWORD,
    birth_date=None,
    **extra,
) -> User:
    """An active citizen with a verified phone and e-mail, living in Xã Thượng Hồng, Hải Phòng."""
    n = next(_serial)
    personal_id = personal_id or f"031090{n:06d}"
    user = User(
        username=personal_id,
        personal_id=personal_id,
        full_name=full_name,
        birth_date=birth_date or timezone.datetime(1990, 1, 1).date(),
        gender="male",
        phone=phone or f"+8491{n:07d}",
        phone_verified_at=timezone.now(),
        email=email or f"cong-dan-{n}@example.vn",
        email_verified_at=timezone.now(),
        address_province=AdministrativeUnit.objects.get(code="31"),
        address_commune=AdministrativeUnit.objects.get(code="10993"),
        password_changed_at=timezone.now(),
        **extra,
    )
    user.set_password(password)
    user.save()
    return user
