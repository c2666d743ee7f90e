"""Profile changes: contact details with re-verification, preferences, data export, closure."""

from django.db import transaction
from django.utils import timezone

from ..models import SecurityEvent, SecurityEventType, User
from ..preferences import EVENT_TYPES
from .messages import email_verification_send
from .registration import phone_code_send
from .security import security_event_log


@transaction.atomic
def profile_update_address(*, user: User, province, commune, street: str) -> None:
    user.address_province, user.address_commune, user.address_street = province, commune, street.strip()
    user.save(update_fields=["address_province", "address_commune", "address_street"])


@transaction.atomic
def profile_change_email(*, user: User, email: str, request=None) -> bool:
    """A new e-mail is unverified until its link is opened; returns False when nothing changed."""
    email = email.strip().lower()
    if email == (user.email or "").lower():
        return False
    old = user.email
    user.email, user.email_verified_at = email, None
    user.save(update_fields=["email", "email_verified_at"])
    security_event_log(
        SecurityEventType.CONTACT_CHANGED,
        request=request,
        user=user,
        field="email",
        old=_mask_email(old),
        new=_mask_email(email),
    )
    transaction.on_commit(lambda: email_verification_send(user))
    return True


def profile_start_phone_change(*, user: User, phone: str) -> None:
    """Send a code to the new number; the number changes only when the code is entered."""
    phone_code_send(user, phone)


def _mask_email(email: str) -> str:
    name, _at, domain = (email or "").partition("@")
    return f"{name[:2]}***@{domain}" if domain else ""


@transaction.atomic
def preferences_update(*, user: User, chosen: dict[str, list[str]]) -> None:
    optional = {event for event, _label, can_switch_off in EVENT_TYPES if can_switch_off}
    user.notification_preferences = {
        event: channels for event, channels in chosen.items() if event in optional
    }
    user.save(update_fields=["notification_preferences"])


def personal_data_export(*, user: User, request=None) -> dict:
    """Everything the portal holds about `user` in their own account (Law 91/2025: access)."""
    security_event_log(SecurityEventType.DATA_EXPORTED, request=request, user=user)
    events = SecurityEvent.objects.filter(user=user).order_by("-created_at")[:200]
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "username": user.username,
            "full_name": user.full_name,
            "personal_id": user.personal_id,
            "birth_date": user.birth_date.isoformat() if user.birth_date else None,
            "gender": user.gender,
            "phone": user.phone,
            "phone_verified_at": user.phone_verified_at.isoformat() if user.phone_verified_at else None,
            "email": user.email,
            "email_verified_at": user.email_verified_at.isoformat() if user.email_verified_at else None,
            "address": {
                "province": str(user.address_province) if user.address_province_id else None,
                "commune": user.address_commune.name if user.address_commune_id else None,
                "street": user.address_street,
            },
            "identity_provider": user.identity_provider,
            "assurance_level": user.assurance_level,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "notification_preferences": user.notification_preferences,
        },
        "organizations": [
            {"name": m.organization.name, "tax_code": m.organization.tax_code, "role": m.role}
            for m in user.organization_memberships.select_related("organization")
        ],
        "security_events": [
            {"time": e.created_at.isoformat(), "event": e.event_type, "ip": e.ip_address} for e in events
        ],
    }


@transaction.atomic
def account_closure_request(*, user: User, request=None) -> None:
    """Record the request; an administrator closes the account once no open dossier needs it."""
    user.closure_requested_at = timezone.now()
    user.save(update_fields=["closure_requested_at"])
    security_event_log(SecurityEventType.CLOSURE_REQUESTED, request=request, user=user)
