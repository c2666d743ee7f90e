"""Drafts are kept DRAFT_RETENTION_DAYS after their last change; the applicant is warned before."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ..models import Dossier
from ..notify import notify_applicant
from ..workflow import State


def drafts_purge(*, now=None) -> tuple[int, int]:
    """Warn the owners of drafts about to expire, delete expired ones; returns (warned, deleted).

    Uses the partial index on drafts' updated_at; the warning is stamped with update() so that it
    does not count as a change of the draft.
    """
    now = now or timezone.now()
    expire_before = now - timedelta(days=settings.DRAFT_RETENTION_DAYS)
    warn_before = expire_before + timedelta(days=settings.DRAFT_WARNING_DAYS)
    drafts = Dossier.objects.filter(state=State.DRAFT)
    warned = 0
    for dossier in (
        drafts.filter(updated_at__lt=warn_before, updated_at__gte=expire_before, draft_warned_at=None)
        .select_related("version", "reception_agency", "applicant")
        .iterator()
    ):
        with transaction.atomic():
            expires = timezone.localtime(dossier.updated_at + timedelta(days=settings.DRAFT_RETENTION_DAYS))
            notify_applicant(
                dossier,
                "draft_expiring",
                expires_on=expires.strftime("%d/%m/%Y"),
                draft=str(dossier.public_id),
            )
            Dossier.objects.filter(pk=dossier.pk).update(draft_warned_at=now)
            warned += 1
    deleted = 0
    for pk in drafts.filter(updated_at__lt=expire_before).values_list("pk", flat=True).iterator():
        with transaction.atomic():
            deleted += Dossier.objects.filter(pk=pk, state=State.DRAFT).delete()[1].get("dossiers.Dossier", 0)
    return warned, deleted
