"""Two-factor authentication with django-otp: TOTP enrolment, recovery codes, verification, removal.

Mandatory for officials, optional for citizens (docs/security.md). A wrong code counts towards the same
django-axes lockout as a wrong password (username + IP), and every change is written to the security log.
"""

import enum
import math
import re
import time
from binascii import unhexlify
from dataclasses import dataclass

import django_otp
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from ..models import SecurityEventType, User
from ..selectors import two_factor_enabled
from .security import client_ip, security_event_log

RECOVERY_CODE_COUNT = 10
TOTP_DEVICE_NAME = "totp"
RECOVERY_DEVICE_NAME = "recovery"
# The name of the code field in every form that takes a code (masked in axes' failure records).
CODE_FIELD = "otp_token"
# The secret of an authenticator app being set up, kept in the session until its first code confirms it.
PENDING_KEY_SESSION_KEY = "two_factor_pending_key"
# [required, checked at]: whether this session must pass 2FA (see middleware.OfficialTwoFactorMiddleware).
REQUIRED_SESSION_KEY = "two_factor_required"

TOTP_CODE = re.compile(r"^\d{6}$")
# django-otp's StaticToken.random_token(): 5 random bytes in lower-case base32.
RECOVERY_CODE = re.compile(r"^[a-z2-7]{8}$")


class CodeOutcome(enum.Enum):
    VERIFIED = "verified"
    WRONG = "wrong"
    THROTTLED = "throttled"
    LOCKED_OUT = "locked_out"


@dataclass(frozen=True)
class CodeCheck:
    outcome: CodeOutcome
    device: Device | None = None
    used_recovery_code: bool = False
    recovery_codes_left: int | None = None
    retry_after_seconds: int = 0


def code_normalize(code: str) -> str:
    """Codes are typed with spaces or a dash ("123 456", "abcd-efgh") and in any case."""
    return re.sub(r"[\s\-]", "", code or "").lower()


def recovery_code_display(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def totp_pending_key(session) -> str:
    """The hex secret of the authenticator app being set up in this session (created on first use)."""
    key = session.get(PENDING_KEY_SESSION_KEY)
    if not key:
        key = random_hex(20)
        session[PENDING_KEY_SESSION_KEY] = key
    return key


def totp_config_url(user: User, key_hex: str) -> str:
    """The otpauth:// URI of the QR code (issuer OTP_TOTP_ISSUER, label the username)."""
    return TOTPDevice(user=user, key=key_hex).config_url


@transaction.atomic
def two_factor_enrol(
    *, user: User, key_hex: str, code: str, request=None
) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm a new authenticator app by its first code; it replaces any previous one and comes with ten
    fresh recovery codes (returned once, to show). None when the code is wrong."""
    normalized = code_normalize(code)
    if not TOTP_CODE.match(normalized):
        return None
    totp = TOTP(unhexlify(key_hex))
    totp.time = time.time()
    if not totp.verify(int(normalized), tolerance=1):
        return None
    # Two enrolments of one user at once (two tabs) must leave exactly one device.
    User.objects.select_for_update().filter(pk=user.pk).first()
    replaced, _ = TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=TOTP_DEVICE_NAME, key=key_hex, confirmed=True, last_t=totp.t(), drift=totp.drift
    )
    codes = _recovery_codes_replace(user)
    security_event_log(
        SecurityEventType.TWO_FACTOR_ENABLED, request=request, user=user, replaced_device=bool(replaced)
    )
    return device, codes


@transaction.atomic
def recovery_codes_regenerate(*, user: User, request=None) -> list[str]:
    """Ten new single-use recovery codes replace the old ones (returned once, to show)."""
    if not two_factor_enabled(user):
        raise PermissionDenied
    codes = _recovery_codes_replace(user)
    security_event_log(SecurityEventType.RECOVERY_CODES_REGENERATED, request=request, user=user)
    return codes


def _recovery_codes_replace(user: User) -> list[str]:
    # The device is kept (only its tokens change): a session verified with a recovery code stays verified.
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    device.throttle_reset()
    codes: list[str] = []
    while len(codes) < RECOVERY_CODE_COUNT:
        token = StaticToken.random_token()
        if token not in codes:
            codes.append(token)
    StaticToken.objects.bulk_create(StaticToken(device=device, token=token) for token in codes)
    return codes


def two_factor_check(*, request, user: User, code: str) -> CodeCheck:
    """Check a code typed by `user` at sign-in (a TOTP code or a recovery code).

    A right code marks the session verified; a wrong one is logged (OTP_FAILED) and counted by django-axes
    like a wrong password, so AXES_FAILURE_LIMIT of them lock the account out. While django-otp's own
    back-off (1, 2, 4… seconds after successive failures) is running, a code is not looked at.
    """
    credentials = _axes_credentials(user)
    if AxesProxyHandler.is_locked(request, credentials):
        # Locked meanwhile (another tab, another device): axes' middleware shows the lockout page.
        request.axes_locked_out, request.axes_credentials = True, credentials
        return CodeCheck(CodeOutcome.LOCKED_OUT)
    normalized = code_normalize(code)
    kind, device = "malformed", None
    if TOTP_CODE.match(normalized):
        kind = "totp"
        device = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    elif RECOVERY_CODE.match(normalized):
        kind = "recovery"
        device = StaticDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()
    if device is not None:
        allowed, info = device.verify_is_allowed()
        if not allowed:
            locked_until = (info or {}).get("locked_until") or timezone.now()
            wait = math.ceil((locked_until - timezone.now()).total_seconds())
            return CodeCheck(CodeOutcome.THROTTLED, retry_after_seconds=max(wait, 1))
        verified = django_otp.verify_token(user, device.persistent_id, normalized)
        if verified is not None:
            return _code_accepted(request, user, verified, recovery=kind == "recovery")
    security_event_log(
        SecurityEventType.OTP_FAILED, request=request, user=user, purpose="two_factor", kind=kind
    )
    _axes_count_failure(request, credentials)
    if getattr(request, "axes_locked_out", False):
        return CodeCheck(CodeOutcome.LOCKED_OUT)
    return CodeCheck(CodeOutcome.WRONG)


def _code_accepted(request, user: User, device: Device, *, recovery: bool) -> CodeCheck:
    left = None
    if recovery:
        left = StaticToken.objects.filter(device__user=user).count()
        security_event_log(
            SecurityEventType.RECOVERY_CODE_USED, request=request, user=user, recovery_codes_left=left
        )
    two_factor_session_verify(request, device)
    if settings.AXES_RESET_ON_SUCCESS:
        AxesProxyHandler.reset_attempts(username=user.get_username(), ip_address=client_ip(request))
    return CodeCheck(
        CodeOutcome.VERIFIED, device=device, used_recovery_code=recovery, recovery_codes_left=left
    )


def two_factor_session_verify(request, device: Device) -> None:
    """Mark the session as having passed two-factor authentication, under a new session key."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session[REQUIRED_SESSION_KEY] = [True, int(time.time())]


def _axes_credentials(user: User) -> dict:
    return {getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"): user.get_username()}


def _axes_count_failure(request, credentials: dict) -> None:
    # axes keeps the POSTed fields of a failed attempt (AccessAttempt.post_data) and masks only password
    # fields: a mistyped recovery code may be one character from a valid one, so it is masked first.
    if CODE_FIELD in request.POST:
        masked = request.POST.copy()
        masked[CODE_FIELD] = "********"
        request.POST = masked
    AxesProxyHandler.user_login_failed(sender=__name__, credentials=credentials, request=request)


@transaction.atomic
def two_factor_disable(*, user: User, request=None) -> None:
    """Turn two-factor authentication off for a citizen; officials cannot (it is mandatory for them)."""
    if user.is_official:
        raise PermissionDenied
    if two_factor_devices_delete(user):
        security_event_log(SecurityEventType.TWO_FACTOR_DISABLED, request=request, user=user)


def two_factor_devices_delete(user: User) -> bool:
    """Remove every OTP device of `user` (authenticator apps and recovery codes); True if 2FA was on."""
    had_totp = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    return had_totp
