"""Late dossiers: the apology and extension (form 4) with a new appointment date, signed by a leader,
with its history. The "about to be late / late" lists are in processing.selectors.

Form hook: form 4 is drawn from the Extension row (reason, previous and new appointment, requested
and approved by).
"""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from dichvucong.accounts.models import StaffRole
from dichvucong.core.calendar import office_day_end
from dichvucong.dossiers.notify import notify_applicant
from dichvucong.dossiers.services.transitions import dossier_move
from dichvucong.dossiers.workflow import GuardFailed

from ..models import DossierStep, Extension
from ..permissions import NotPermitted, official_roles
from .common import clean_text, dossier_begin, dossier_pauses, step_effective_due


def _as_due(value) -> dt.datetime | None:
    """A new appointment given as a date ends with that day's office hours."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return office_day_end(value)


@transaction.atomic
def dossier_extend(
    *,
    dossier_id: int,
    official,
    agency,
    reason: str,
    new_due: dt.date | dt.datetime,
    approver=None,
    expected_version: int | None = None,
) -> Extension:
    """Apologise and set a new appointment date (extend; the state does not change). The responsible
    specialist or leader issues it; `approver` (default: the official when they are a leader) signs it
    and must be a leader of the official's agency. Later steps due at the old appointment move with it.
    settings.PROCESSING_MAX_EXTENSIONS (unset: no limit; the 2018 rules allowed one) caps the count."""
    acting = dossier_begin(
        dossier_id=dossier_id,
        official=official,
        agency=agency,
        action="extend",
        expected_version=expected_version,
        desk=False,
        holder=False,
    )
    dossier, now = acting.dossier, timezone.now()
    reason, new_due = clean_text(reason), _as_due(new_due)
    if approver is None and StaffRole.APPROVER in official_roles(official, agency):
        approver = official
    if approver is not None and StaffRole.APPROVER not in official_roles(approver, agency):
        raise NotPermitted(_("Người ký văn bản gia hạn phải là lãnh đạo của cơ quan."))
    number = dossier.extensions.count() + 1
    limit = getattr(settings, "PROCESSING_MAX_EXTENSIONS", None)
    if limit is not None and number > limit:
        raise GuardFailed(
            "extend", dossier.state, acting.role, message=_("Hồ sơ đã được gia hạn tối đa số lần cho phép.")
        )
    previous_due = dossier.due_date
    dossier_move(
        dossier,
        "extend",
        actor=official,
        role=acting.role,
        note=reason,
        facts={"reason": reason, "new_due": new_due, "due": previous_due, "approver": approver},
        number=number,
        previous_due=previous_due.isoformat() if previous_due else None,
        new_due=new_due.isoformat() if new_due else None,
        approved_by=approver.pk if approver else None,
    )
    extension = Extension.objects.create(
        dossier=dossier,
        number=number,
        reason=reason,
        previous_due=previous_due,
        new_due=new_due,
        requested_by=official,
        approved_by=approver,
    )
    # The steps that were due with the dossier (the last ones) are due at the new appointment.
    pauses = dossier_pauses(dossier)
    for step in DossierStep.objects.filter(dossier=dossier, finished_at__isnull=True):
        due = step_effective_due(step, pauses, now=now)
        if due is None or previous_due is None or due >= previous_due:
            step.due_at, step.due_set_at = new_due, now
            step.save(update_fields=["due_at", "due_set_at"])
    dossier.due_date = new_due
    dossier.save()
    notify_applicant(
        dossier,
        "dossier_extended",
        reason=reason,
        new_due=formats.date_format(timezone.localtime(new_due), "d/m/Y"),
    )
    return extension
