"""Registering a citizen account and verifying its phone and e-mail."""

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy

from ..models import CodePurpose, SecurityEventType, User
from .codes import code_issue, code_verify
from .messages import code_sms_send, email_verification_send, registration_attempt_notice_send
from .security import security_event_log

# SMS are written without diacritics (GSM-7 keeps a message in one 160-character SMS).
PHONE_CODE_PURPOSE_TEXT = gettext_lazy("xac minh so dien thoai")


def citizen_register(*, data: dict, request=None) -> User | None:
    """Create an inactive account and send the phone code and the e-mail link.

    One account per personal ID: for an ID already registered nothing is created (None) and the owner
    is told by e-mail; the caller shows the same page either way, so nothing reveals the registration.
    """
    existing = User.objects.filter(personal_id=data["personal_id"]).first()
    if existing is not None:
        make_password(data["password1"])  # the same work as a real registration: no timing difference
        registration_attempt_notice_send(existing)
        security_event_log(SecurityEventType.REGISTERED, request=request, user=existing, duplicate=True)
        return None
    try:
        with transaction.atomic():
            user = User(
                username=data["personal_id"],
                personal_id=data["personal_id"],
                full_name=data["full_name"].strip(),
                birth_date=data["birth_date"],
                gender=data["gender"],
                phone=data["phone"],
                email=data["email"].strip().lower(),
                address_province=data["address_province"],
                address_commune=data["address_commune"],
                address_street=data.get("address_street", "").strip(),
                is_active=False,  # until the phone is verified
                password_changed_at=timezone.now(),
            )
            user.set_password(data["password1"])
            user.save()
            security_event_log(SecurityEventType.REGISTERED, request=request, user=user)
    except IntegrityError:  # the same ID registered at the same moment (double click, two tabs)
        return None
    phone_code_send(user)
    email_verification_send(user)
    return user


def phone_code_send(user: User, phone: str | None = None) -> None:
    """Send a verification code to `phone` (default: the account's); raises CodeRateLimited."""
    phone = phone or user.phone
    code = code_issue(user=user, purpose=CodePurpose.VERIFY_PHONE, channel="sms", destination=phone)
    code_sms_send(phone, code, PHONE_CODE_PURPOSE_TEXT)


@transaction.atomic
def phone_verify(*, user: User, code: str, request=None, phone: str | None = None) -> bool:
    """Check the code; on success the phone is verified and a new account becomes active."""
    if not code_verify(
        user=user, purpose=CodePurpose.VERIFY_PHONE, code=code, destination=phone or user.phone
    ):
        security_event_log(SecurityEventType.OTP_FAILED, request=request, user=user, purpose="verify_phone")
        return False
    user.phone = phone or user.phone
    user.phone_verified_at = timezone.now()
    user.is_active = True
    user.save(update_fields=["phone", "phone_verified_at", "is_active"])
    security_event_log(SecurityEventType.PHONE_VERIFIED, request=request, user=user)
    return True


@transaction.atomic
def email_verify(*, user: User, request=None) -> None:
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    security_event_log(SecurityEventType.EMAIL_VERIFIED, request=request, user=user)
