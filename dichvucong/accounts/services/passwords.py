"""Setting passwords: history for the reuse rule, change time for the 180-day reminder, audit."""

from django.contrib.auth import update_session_auth_hash
from django.db import transaction
from django.utils import timezone

from ..models import PasswordHistory, SecurityEventType, User
from .security import security_event_log

HISTORY_KEPT = 5


@transaction.atomic
def password_set(
    *, user: User, raw_password: str, request=None, event=SecurityEventType.PASSWORD_CHANGED
) -> None:
    """Store the new password (already validated by the form); keep the old hash for the reuse rule.

    A reset also ends every other session (session_version); a change keeps the current session.
    """
    if user.has_usable_password():
        PasswordHistory.objects.create(user=user, password=user.password)
        stale = user.password_history.values_list("pk", flat=True)[HISTORY_KEPT:]
        PasswordHistory.objects.filter(pk__in=list(stale)).delete()
    user.set_password(raw_password)
    user.password_changed_at = timezone.now()
    fields = ["password", "password_changed_at"]
    if event == SecurityEventType.PASSWORD_RESET:
        user.session_version += 1
        fields.append("session_version")
    user.save(update_fields=fields)
    security_event_log(event, request=request, user=user)
    if request is not None and event == SecurityEventType.PASSWORD_CHANGED:
        update_session_auth_hash(request, user)
