"""One-time codes sent by SMS (phone verification, password reset): hashed, expiring, single use."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from ..models import OneTimeCode, User


class CodeRateLimited(Exception):
    """Too many codes sent for this account and purpose in the last hour."""


def _hash(code_id_salt: str, code: str) -> str:
    return salted_hmac("dichvucong.accounts.one_time_code", f"{code_id_salt}:{code}").hexdigest()


@transaction.atomic
def code_issue(*, user: User, purpose: str, channel: str, destination: str) -> str:
    """A new 6-digit code for `purpose` (earlier ones stop working); returns it for sending only."""
    hour_ago = timezone.now() - timedelta(hours=1)
    recent = OneTimeCode.objects.filter(user=user, purpose=purpose, created_at__gte=hour_ago).count()
    if recent >= settings.OTP_MAX_SENDS_PER_HOUR:
        raise CodeRateLimited()
    OneTimeCode.objects.filter(user=user, purpose=purpose, used_at=None).update(used_at=timezone.now())
    code = f"{secrets.randbelow(10**6):06d}"
    salt = secrets.token_hex(8)
    OneTimeCode.objects.create(
        user=user,
        purpose=purpose,
        channel=channel,
        destination=destination,
        code_hash=f"{salt}${_hash(salt, code)}",
        expires_at=timezone.now() + timedelta(minutes=settings.OTP_CODE_MINUTES),
    )
    return code


@transaction.atomic
def code_verify(*, user: User, purpose: str, code: str, destination: str | None = None) -> bool:
    """True, once, for the live code of `purpose`; each try counts, and too many kill the code."""
    live = (
        OneTimeCode.objects.select_for_update()
        .filter(user=user, purpose=purpose, used_at=None, expires_at__gt=timezone.now())
        .order_by("-created_at")
        .first()
    )
    if live is None or (destination is not None and live.destination != destination):
        return False
    live.attempts += 1
    salt, expected = live.code_hash.split("$", 1)
    ok = live.attempts <= settings.OTP_MAX_ATTEMPTS and constant_time_compare(
        _hash(salt, (code or "").strip()), expected
    )
    if ok or live.attempts >= settings.OTP_MAX_ATTEMPTS:
        live.used_at = timezone.now()
    live.save(update_fields=["attempts", "used_at"])
    return ok
