"""Time budgets of a dossier's steps (form 6 due dates), from the catalogue's ProcessTemplate.

The legal total is the dossier's due date (calendar.due_at over the procedure's processing time for the
channel). The steps share the office time between the clock start and that due date: fixed budgets
(working days) first, in order, then the shares (%) split what remains in proportion; a step's due
date is the clock start plus the budgets of the steps up to it, never after the dossier's due date, and
the last step is due with the dossier. Office time runs only in office hours of working days, so a
same-day procedure splits its hours the same way.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from dichvucong.core.calendar import add_office_time, extend_for_pause, office_hours, office_time_between


def office_day() -> dt.timedelta:
    start, end = office_hours()
    return dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)


def step_due_dates(
    start: dt.datetime, due: dt.datetime | None, budgets: Sequence[tuple[int | None, Decimal | None]]
) -> list[dt.datetime | None]:
    """Due dates of steps with `budgets` [(percent, working_days), …] for a clock starting at `start`
    (calendar.clock_start of the reception) and a dossier due at `due` (None: no legal time, no dues)."""
    if due is None or not budgets:
        return [None] * len(budgets)
    total = office_time_between(start, due)
    day = office_day()
    fixed = [day * float(days) if days is not None else None for _percent, days in budgets]
    remaining = max(dt.timedelta(0), total - sum((f for f in fixed if f is not None), dt.timedelta(0)))
    shares = sum(percent or 0 for percent, days in budgets if days is None)
    dues: list[dt.datetime | None] = []
    spent = dt.timedelta(0)
    for (percent, _days), fixed_budget in zip(budgets, fixed, strict=True):
        if fixed_budget is not None:
            spent += fixed_budget
        elif shares:
            spent += remaining * ((percent or 0) / shares)
        dues.append(due if spent >= total else min(add_office_time(start, spent), due))
    dues[-1] = due
    return dues


def due_after_pauses(
    due: dt.datetime | None,
    since: dt.datetime | None,
    pauses: Iterable[tuple[dt.datetime, dt.datetime | None]],
    *,
    until: dt.datetime,
) -> dt.datetime | None:
    """`due` moved later by every supplement pause (paused_at, resumed_at or None: still paused) that
    began at or after `since` (when `due` was set) and before `until` (the step's end, or now)."""
    if due is None:
        return None
    for paused_at, resumed_at in sorted(pauses, key=lambda pause: pause[0]):
        if (since is None or paused_at >= since) and paused_at < until:
            due = extend_for_pause(due, paused_at, min(resumed_at or until, until))
    return due
