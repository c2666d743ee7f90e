"""Alerts about deadlines (the deadline scan, `manage.py processing_scan_deadlines`): the officials
responsible for a dossier whose clock runs are told when it is due within N working days and when it is
overdue, at most once a day for each dossier and kind of alert.

Responsible: whoever holds the current step, else the pool of the step's role at the step's agency
(processing.notify). The rows are found through selectors.dossiers_due_before, which reads the partial
index dossier_open_due_idx only; a dossier waiting for a supplement is not counted (its clock is
stopped).

Once a day: an alert is an Outbox row about the dossier (subject "dossier", its code); before writing
one, the dossier row is locked and today's rows of that event looked up (outbox_subject_idx), so two
scans running at once still alert once.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from dichvucong.accounts.models import StaffRole
from dichvucong.core.calendar import add_working_days, office_day_end
from dichvucong.dossiers.models import Dossier
from dichvucong.notifications.models import Outbox

from ..notify import notify_officials
from ..selectors import DUE_SOON_WORKING_DAYS, dossiers_due_before
from .common import step_current

DUE_SOON, OVERDUE = "dossier_due_soon", "dossier_overdue"
BATCH = 500


@dataclass
class ScanResult:
    due_soon: int = 0
    overdue: int = 0
    alerted: int = 0
    already_alerted: int = 0


def due_soon_until(now: dt.datetime, days: int) -> dt.datetime:
    """The end of the office day `days` working days from today."""
    return office_day_end(add_working_days(timezone.localdate(now), days))


def deadline_querysets(now: dt.datetime, days: int = DUE_SOON_WORKING_DAYS):
    """(due soon, overdue): two ranges of dossier_open_due_idx, earliest due first. Due soon includes
    what is due at the close of the window's last day (like the inbox's bucket)."""
    overdue = dossiers_due_before(now)
    until = due_soon_until(now, days) + dt.timedelta(microseconds=1)
    due_soon = dossiers_due_before(until).filter(due_date__gte=now)
    return due_soon, overdue


def _start_of_day(now: dt.datetime) -> dt.datetime:
    local = timezone.localtime(now)
    return local.replace(hour=0, minute=0, second=0, microsecond=0)


def _alert(dossier_id: int, event: str, *, now: dt.datetime, days_left: int | None) -> bool:
    """Tell the officials responsible for the dossier, unless they were told today. True when sent."""
    with transaction.atomic():
        # The lock serialises two scans on the same dossier; the second sees the first's rows.
        dossier = (
            # Only non-null relations joined: PostgreSQL cannot lock the nullable side of an outer join.
            Dossier.objects.select_for_update()
            .select_related("version", "reception_agency")
            .get(pk=dossier_id)
        )
        if Outbox.objects.filter(
            subject_type="dossier",
            subject_id=dossier.code or str(dossier.public_id),
            event=event,
            created_at__gte=_start_of_day(now),
        ).exists():
            return False
        step = step_current(dossier)
        extra = {"days_left": days_left} if days_left is not None else {}
        if step is not None:
            notify_officials(
                dossier,
                event,
                agency=step.agency,
                role=step.role,
                user=step.assigned_to,
                step=step.name,
                **extra,
            )
        else:
            notify_officials(
                dossier,
                event,
                agency=dossier.handling_agency or dossier.reception_agency,
                role=StaffRole.RECEPTIONIST,
                user=dossier.assigned_to,
                **extra,
            )
        return True


def deadline_alerts_send(*, now: dt.datetime | None = None, days: int = DUE_SOON_WORKING_DAYS) -> ScanResult:
    """Alert the responsible officials of every dossier due within `days` working days or overdue (once
    a day each); returns the counts."""
    now = now or timezone.now()
    result = ScanResult()
    due_soon, overdue = deadline_querysets(now, days)
    today = timezone.localdate(now)
    for dossier_id, due in due_soon.values_list("pk", "due_date").iterator(chunk_size=BATCH):
        result.due_soon += 1
        days_left = _working_days_left(today, timezone.localdate(due), days)
        if _alert(dossier_id, DUE_SOON, now=now, days_left=days_left):
            result.alerted += 1
        else:
            result.already_alerted += 1
    for dossier_id in overdue.values_list("pk", flat=True).iterator(chunk_size=BATCH):
        result.overdue += 1
        if _alert(dossier_id, OVERDUE, now=now, days_left=None):
            result.alerted += 1
        else:
            result.already_alerted += 1
    return result


def _working_days_left(today: dt.date, due_day: dt.date, limit: int) -> int:
    """0 when due today, else how many working days until the due day (at most `limit`)."""
    for count in range(limit + 1):
        if add_working_days(today, count) >= due_day:
            return count
    return limit
