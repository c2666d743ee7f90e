"""Submitting a draft: atomic and idempotent (a double click, a retry or two tabs make one dossier)."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from dichvucong.documents.models import StoredFile
from dichvucong.documents.services import stored_file_add_to_wallet

from ..codes import dossier_code_next
from ..completeness import dossier_completeness
from ..models import Dossier
from ..notify import notify_agency, notify_applicant
from ..workflow import Actor, State, transition_target
from .events import dossier_event_add


class IncompleteDossier(Exception):
    def __init__(self, completeness):
        super().__init__("; ".join(completeness.problems))
        self.completeness = completeness


@transaction.atomic
def dossier_submit(*, dossier_id: int, user, declaration_accepted: bool) -> tuple[Dossier, bool]:
    """Submit the draft; returns (dossier, submitted_now). An already submitted dossier is returned as it
    is, so a second click lands on the same confirmation; the row lock makes concurrent clicks wait."""
    dossier = Dossier.objects.select_for_update().get(pk=dossier_id)
    if dossier.applicant_id != user.pk:
        raise PermissionDenied
    if dossier.state != State.DRAFT:
        return dossier, False
    completeness = dossier_completeness(dossier)
    if not declaration_accepted:
        completeness.problems.append("declaration")
    if not completeness.is_complete:
        raise IncompleteDossier(completeness)

    now = timezone.now()
    target = transition_target("submit", state=dossier.state, actor=Actor.APPLICANT)
    dossier.code = dossier_code_next(agency=dossier.reception_agency, when=now)
    dossier.state = target
    dossier.submitted_at = now
    dossier.declaration_accepted_at = now
    dossier.lock_version += 1
    dossier.save()
    # Files of a submitted dossier join the citizen's document wallet for reuse.
    stored_file_add_to_wallet(StoredFile.objects.filter(attachments__dossier=dossier))
    dossier_event_add(
        dossier,
        action="submit",
        actor=user,
        actor_role=Actor.APPLICANT,
        from_state=State.DRAFT,
        to_state=target,
        channel=dossier.channel,
    )
    notify_applicant(dossier, "dossier_submitted")
    notify_agency(dossier, "dossier_new")
    return dossier, True
