"""The applicant rates a returned dossier (Rất hài lòng / Hài lòng / Không hài lòng, DOMAIN.md §6).

In dossiers, not processing: the citizen's dossier page calls it, and dossiers may not import the back
office. The back office invites the rating when it returns the result (processing.services.delivery).
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Rating, RatingValue
from ..notify import notify_agency
from ..workflow import Actor, GuardFailed
from .transitions import dossier_lock, dossier_move

MAX_COMMENT_CHARS = 1000


@transaction.atomic
def dossier_rate(
    *, dossier_id: int, user, value: str, comment: str = "", expected_version: int | None = None
) -> Rating:
    """Record the applicant's rating once (the `rate` action of the table: returned dossiers only)."""
    dossier = dossier_lock(dossier_id, expected_version=expected_version)
    if dossier.applicant_id != user.pk:
        raise PermissionDenied
    if value not in RatingValue.values:
        raise GuardFailed("rate", dossier.state, Actor.APPLICANT, message=_("Hãy chọn một mức độ hài lòng."))
    comment = (comment or "").strip()[:MAX_COMMENT_CHARS]
    already = Rating.objects.filter(dossier=dossier).exists()
    dossier_move(
        dossier,
        "rate",
        actor=user,
        role=Actor.APPLICANT,
        facts={"already_rated": already},
        value=value,
    )
    dossier.save(update_fields=["lock_version", "updated_at"])
    rating = Rating.objects.create(dossier=dossier, value=value, comment=comment)
    notify_agency(dossier, "dossier_rated", value=value)
    return rating
