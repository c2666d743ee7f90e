"""Who is told what about a dossier: outbox rows written in the transaction of the event."""

from django.utils import timezone

from dichvucong.accounts.models import StaffRole, User
from dichvucong.accounts.preferences import preferences_for
from dichvucong.notifications.services import outbox_enqueue

from .workflow import STATE_EXPLANATION

OFFICIAL_CHANNELS = ["inapp", "email"]


def _context(dossier, **extra) -> dict:
    due = timezone.localtime(dossier.due_date).strftime("%d/%m/%Y") if dossier.due_date else ""
    return {
        "code": dossier.code or "",
        "procedure": dossier.version.name,
        "state": dossier.state,
        "state_text": str(STATE_EXPLANATION.get(dossier.state, "")),
        "agency": dossier.reception_agency.name,
        "due_date": due,
        **extra,
    }


def notify_applicant(dossier, event: str, **extra) -> None:
    """Tell the applicant by the channels they chose for `event` (compulsory events: all channels)."""
    outbox_enqueue(
        event=event,
        recipients=[dossier.applicant],
        channels_for=lambda user: preferences_for(user).get(event, ["email", "sms", "inapp"]),
        context=_context(dossier, **extra),
        subject=("dossier", dossier.code or str(dossier.public_id)),
    )


def notify_agency(dossier, event: str, *, roles=(StaffRole.RECEPTIONIST,), **extra) -> None:
    """Tell the officials of the receiving agency who hold `roles` (in-app and e-mail)."""
    officials = User.objects.filter(
        staff_memberships__agency=dossier.reception_agency,
        staff_memberships__role__in=roles,
        staff_memberships__is_active=True,
        is_active=True,
    ).distinct()
    outbox_enqueue(
        event=event,
        recipients=officials,
        channels_for=lambda user: OFFICIAL_CHANNELS,
        context=_context(dossier, **extra),
        subject=("dossier", dossier.code or str(dossier.public_id)),
    )
