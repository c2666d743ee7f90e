"""Notices to officials about a dossier on their desk: the person a step is assigned to, else the pool
of the step's role at the step's agency (dossiers.notify tells the applicant and the reception desk)."""

from django.utils import timezone

from dichvucong.accounts.models import User
from dichvucong.dossiers.notify import OFFICIAL_CHANNELS
from dichvucong.notifications.services import outbox_enqueue


def _context(dossier, **extra) -> dict:
    due = timezone.localtime(dossier.due_date).strftime("%d/%m/%Y %H:%M") if dossier.due_date else ""
    return {
        "code": dossier.code or "",
        "procedure": dossier.version.name,
        "state": dossier.state,
        "agency": dossier.reception_agency.name,
        "due_date": due,
        **extra,
    }


def notify_officials(dossier, event: str, *, agency, role: str, user=None, **extra) -> None:
    """Tell `user`, or every active official holding `role` at `agency` (in-app and e-mail)."""
    if user is not None:
        recipients = [user]
    else:
        recipients = User.objects.filter(
            staff_memberships__agency=agency,
            staff_memberships__role=role,
            staff_memberships__is_active=True,
            is_active=True,
        ).distinct()
    outbox_enqueue(
        event=event,
        recipients=recipients,
        channels_for=lambda official: OFFICIAL_CHANNELS,
        context=_context(dossier, **extra),
        subject=("dossier", dossier.code or str(dossier.public_id)),
    )
