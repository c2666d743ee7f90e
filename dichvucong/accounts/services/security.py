"""The security audit log and session-wide actions."""

from django.db import transaction
from django.db.models import F

from ..models import SecurityEvent, SecurityEventType, User

# Keys that may carry secrets are never written to the log, whatever a caller passes.
_SECRET_KEYS = {"password", "password1", "password2", "code", "token", "otp", "secret"}


def client_ip(request) -> str | None:
    """The client's address as axes sees it (X-Forwarded-For only behind a configured proxy)."""
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request) if request is not None else None


def security_event_log(
    event_type: SecurityEventType, *, request=None, user: User | None = None, username: str = "", **detail
) -> SecurityEvent:
    """Append one audit row: actor, time (UTC), IP and user agent; secrets are dropped."""
    if user is not None and not user.is_authenticated:
        user = None
    return SecurityEvent.objects.create(
        user=user,
        username=(username or (user.get_username() if user else ""))[:150],
        event_type=event_type,
        ip_address=client_ip(request),
        user_agent=(request.headers.get("User-Agent", "") if request is not None else "")[:300],
        detail={k: v for k, v in detail.items() if k not in _SECRET_KEYS},
    )


@transaction.atomic
def user_sign_out_everywhere(*, user: User, request=None) -> None:
    """End every session of `user` (the session hash includes session_version), this one included."""
    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    security_event_log(SecurityEventType.SIGN_OUT_EVERYWHERE, request=request, user=user)
