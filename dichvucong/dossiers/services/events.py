"""Appending to a dossier's timeline."""

from ..models import Dossier, DossierEvent


def dossier_event_add(
    dossier: Dossier,
    *,
    action: str,
    actor,
    actor_role: str,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    **detail,
) -> DossierEvent:
    return DossierEvent.objects.create(
        dossier=dossier,
        action=action,
        from_state=from_state,
        to_state=to_state,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        actor_role=actor_role,
        note=note,
        detail=detail,
    )
