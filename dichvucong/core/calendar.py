"""Working days and legal deadlines of the one-stop back office (docs/calendar.md).

Working days are Monday–Friday minus public holidays, with the government's swaps. The `holidays`
package (country VN) knows Tết, compensatory days and the swapped Saturdays it was released with; the
administrator-editable `CalendarOverride` table (core.models) adds later decisions and wins over it.

Deadlines follow the Civil Code 2015 (Art. 147–148): a period in days does not count the day it
starts from, and a last day that is a day off moves to the next working day. A deadline in days ends
when the office closes on its last day. All datetimes are aware and computed in settings.TIME_ZONE
(Asia/Ho_Chi_Minh); office hours come from OFFICE_HOURS_START / OFFICE_HOURS_END.
"""

import datetime as dt
import math
import threading
import time
import uuid
from decimal import Decimal
from functools import lru_cache

import holidays
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

# The values of catalog.models.TimeUnit, repeated here because core imports no app.
WORKING_DAYS = "working_days"
CALENDAR_DAYS = "calendar_days"
HOURS = "hours"
UNITS = (WORKING_DAYS, CALENDAR_DAYS, HOURS)

# timeliness(): the tiers of the national service index (trước hạn / đúng hạn / quá hạn).
EARLY = "early"
ON_TIME = "on_time"
LATE = "late"

ONE_DAY = dt.timedelta(days=1)


# --- Which days are working days ------------------------------------------------------------------


@lru_cache(maxsize=64)
def _package_calendar(year: int):
    return holidays.country_holidays("VN", years=[year], language="vi")


@lru_cache(maxsize=64)
def _package_working_days(year: int) -> frozenset[dt.date]:
    """The package's working days of `year`; its data never changes while the process runs."""
    calendar = _package_calendar(year)
    first = dt.date(year, 1, 1)
    days = (first + dt.timedelta(days=n) for n in range((dt.date(year + 1, 1, 1) - first).days))
    return frozenset(day for day in days if calendar.is_working_day(day))


def _working_days_with_overrides(year: int) -> frozenset[dt.date]:
    """One query: the package's working days of `year` corrected by the override table."""
    from .models import CalendarOverride  # models import this module

    days = set(_package_working_days(year))
    rows = CalendarOverride.objects.filter(
        day__range=(dt.date(year, 1, 1), dt.date(year, 12, 31))
    ).values_list("day", "kind")
    for day, kind in rows:
        if kind == CalendarOverride.Kind.WORKING_DAY:
            days.add(day)
        else:
            days.discard(day)
    return frozenset(days)


# Deadline scans call is_working_day() thousands of times, so each process keeps every year it has
# read, labelled with a version token held in Django's (shared) cache. Saving or deleting an override
# replaces the token once the transaction commits; every process compares its label with the token at
# most every CALENDAR_VERSION_CHECK_SECONDS and reloads when they differ. CALENDAR_CACHE_MAX_AGE bounds
# the staleness when the cache is not shared between processes (local memory) or a change bypassed
# the signals.
VERSION_KEY = "core:calendar:version"


class _ProcessCache:
    def __init__(self):
        self.clear()

    def clear(self):
        self.version = None
        self.years: dict[int, frozenset[dt.date]] = {}
        self.loaded_at = self.checked_at = self.next_check = -math.inf

    def current_years(self) -> dict[int, frozenset[dt.date]]:
        """The years read under the current version; a new, empty dict once the version changed."""
        now = time.monotonic()
        # A clock that went backwards (frozen time in tests) forces a check rather than none at all.
        if self.checked_at <= now < self.next_check:
            return self.years
        version = cache.get(VERSION_KEY)
        if version is None:  # never set, evicted or flushed: start a new one
            cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
            version = cache.get(VERSION_KEY)
        max_age = getattr(settings, "CALENDAR_CACHE_MAX_AGE", 300)
        if version != self.version or not self.loaded_at <= now < self.loaded_at + max_age:
            # The token is read before the rows it labels: rows committed later come with a new token.
            self.years, self.version, self.loaded_at = {}, version, now
        self.checked_at = now
        self.next_check = now + getattr(settings, "CALENDAR_VERSION_CHECK_SECONDS", 5)
        return self.years


_process_cache = _ProcessCache()


class _UncommittedWrite(threading.local):
    """The transaction in which this thread changed overrides, until it commits. Until then only that
    transaction sees the change, so what it reads must not enter the process cache."""

    atomic_block = None


_uncommitted = _UncommittedWrite()


def _outermost_atomic_block():
    blocks = transaction.get_connection().atomic_blocks
    return blocks[0] if blocks else None


def _in_uncommitted_write() -> bool:
    if _uncommitted.atomic_block is None:
        return False
    if _uncommitted.atomic_block is _outermost_atomic_block():
        return True
    # That transaction ended without committing (a commit runs _publish_new_version): forget it.
    _uncommitted.atomic_block = None
    return False


def calendar_overrides_changed():
    """Tell every process that the override table changed (called by the model's signals)."""
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        _uncommitted.atomic_block = _outermost_atomic_block()
    # robust: a cache outage must not turn a committed change into an error page; CALENDAR_CACHE_MAX_AGE
    # then bounds how long other processes keep the old calendar.
    transaction.on_commit(_publish_new_version, robust=True)


def clear_process_cache():
    """Forget this process's copy of the calendar (tests, whose rollbacks send no signal); other
    processes are told of a change by calendar_overrides_changed()."""
    _process_cache.clear()


def _publish_new_version():
    _uncommitted.atomic_block = None
    _process_cache.clear()
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def _working_days(year: int) -> frozenset[dt.date]:
    if _in_uncommitted_write():
        return _working_days_with_overrides(year)
    # Held before loading: a load that races with a version change lands in the discarded dict.
    years = _process_cache.current_years()
    days = years.get(year)
    if days is None:
        days = years[year] = _working_days_with_overrides(year)
    return days


def is_working_day(day: dt.date) -> bool:
    if isinstance(day, dt.datetime):
        day = _local(day).date() if timezone.is_aware(day) else day.date()
    return day in _working_days(day.year)


def next_working_day(day: dt.date, *, include_today: bool = False) -> dt.date:
    """`day` itself when it is a working day and include_today, else the next working day."""
    if include_today and is_working_day(day):
        return day
    day += ONE_DAY
    while not is_working_day(day):
        day += ONE_DAY
    return day


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The working day `count` working days after `start` (start not counted; count 0 → start)."""
    day = start
    for _i in range(max(0, int(count))):
        day = next_working_day(day)
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """How many working days lie in (start, end]; 0 when end is not after start."""
    return sum(1 for n in range(1, (end - start).days + 1) if is_working_day(start + dt.timedelta(days=n)))


def package_day_name(day: dt.date) -> str:
    """What the `holidays` package alone says of `day` (shown next to an override in the admin)."""
    calendar = _package_calendar(day.year)
    if day in calendar:
        return calendar.get(day)
    if calendar.is_working_day(day):
        return _("Ngày làm việc bù") if day.weekday() >= 5 else _("Ngày làm việc")
    return _("Nghỉ cuối tuần")


# --- Office hours ------------------------------------------------------------------------------------


def _as_time(value) -> dt.time:
    return value if isinstance(value, dt.time) else dt.time.fromisoformat(str(value))


def office_hours() -> tuple[dt.time, dt.time]:
    """(start, end) of the office day; settings hold a time or "HH:MM"."""
    start = _as_time(getattr(settings, "OFFICE_HOURS_START", dt.time(7, 30)))
    end = _as_time(getattr(settings, "OFFICE_HOURS_END", dt.time(17, 0)))
    if not start < end:
        raise ImproperlyConfigured("OFFICE_HOURS_START must be before OFFICE_HOURS_END")
    return start, end


def _office_day_length() -> dt.timedelta:
    start, end = office_hours()
    return dt.datetime.combine(dt.date.min, end) - dt.datetime.combine(dt.date.min, start)


def _local(moment: dt.datetime) -> dt.datetime:
    # Not the active time zone (a request may activate another): the legal clock runs in Vietnam.
    return timezone.localtime(moment, timezone.get_default_timezone())


def _at(day: dt.date, moment: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, moment), timezone.get_default_timezone())


def office_day_start(day: dt.date) -> dt.datetime:
    return _at(day, office_hours()[0])


def office_day_end(day: dt.date) -> dt.datetime:
    return _at(day, office_hours()[1])


def clock_start(received_at: dt.datetime) -> dt.datetime:
    """When the legal clock starts for a dossier received at `received_at`: that moment during office
    hours of a working day, else the start of the next office hours (DOMAIN §4: online submissions
    outside office hours count from the next working day)."""
    local = _local(received_at)
    start, end = office_hours()
    day = local.date()
    if is_working_day(day) and local.time() < end:
        return max(local, _at(day, start))
    return _at(next_working_day(day), start)


def add_office_time(moment: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    """`moment` plus `duration` of office time (only office hours of working days run)."""
    if duration <= dt.timedelta(0):
        return _local(moment)
    cursor = clock_start(moment)
    while True:
        available = office_day_end(cursor.date()) - cursor
        if duration <= available:
            return cursor + duration
        duration -= available
        cursor = office_day_start(next_working_day(cursor.date()))


def office_time_between(start: dt.datetime, end: dt.datetime) -> dt.timedelta:
    """Office time (office hours of working days) that runs from `start` to `end`."""
    start, end = _local(start), _local(end)
    total = dt.timedelta(0)
    day = start.date()
    while day <= end.date():
        if is_working_day(day):
            opens, closes = max(start, office_day_start(day)), min(end, office_day_end(day))
            if closes > opens:
                total += closes - opens
        day += ONE_DAY
    return total


# --- Deadlines ---------------------------------------------------------------------------------------


def due_at(
    received_at: dt.datetime, value, unit: str, *, same_day_cutoff: dt.time | None = None
) -> dt.datetime:
    """The legal deadline of a dossier received at `received_at` with a processing time of `value`
    `unit` (catalog.models.TimeUnit values). Days end at the end of office hours of the last day; a
    fraction of a day is that fraction of an office day, run after the whole days; hours run in office
    hours only. With a same-day cut-off (civil status: 15:00) the day of reception is the first day
    when the dossier arrives on a working day no later than the cut-off, else the next working day is."""
    if unit not in UNITS:
        raise ValueError(f"unknown time unit {unit!r}")
    amount = Decimal(str(value))
    if amount < 0:
        raise ValueError("a processing time cannot be negative")
    if unit == HOURS:
        return add_office_time(clock_start(received_at), dt.timedelta(seconds=round(amount * 3600)))
    if same_day_cutoff is not None:
        return _due_with_cutoff(received_at, amount, unit, same_day_cutoff)

    start = clock_start(received_at).date()
    whole, fraction = divmod(amount, 1)
    if unit == WORKING_DAYS:
        last = add_working_days(start, int(whole))
    else:
        # Civil Code Art. 148: a last day that is a day off ends the period on the next working day.
        last = next_working_day(start + dt.timedelta(days=int(whole)), include_today=True)
    due = office_day_end(last)
    if fraction:
        seconds = round(fraction * Decimal(_office_day_length().total_seconds()))
        due = add_office_time(due, dt.timedelta(seconds=seconds))
    return due


def _due_with_cutoff(received_at: dt.datetime, amount: Decimal, unit: str, cutoff: dt.time) -> dt.datetime:
    local = _local(received_at)
    day = local.date()
    # "nhận hồ sơ sau 15 giờ": a dossier received at 15:00:00 sharp is not after the cut-off.
    first = day if is_working_day(day) and local.time() <= cutoff else next_working_day(day)
    # The catalogue stores "same day" as 1 working day (and 0 means the same): the first day is day 1.
    # A fraction of a day has no meaning here and is rounded up.
    more = max(math.ceil(amount), 1) - 1
    if unit == WORKING_DAYS:
        last = add_working_days(first, more)
    else:
        last = next_working_day(first + dt.timedelta(days=more), include_today=True)
    return office_day_end(last)


def pause_working_days(paused_at: dt.datetime, resumed_at: dt.datetime) -> int:
    """Working days lost while the clock was paused (supplement waits): the working days after the day
    the pause began up to the day the clock resumed, each counted as its clock_start()."""
    if resumed_at <= paused_at:
        return 0
    return working_days_between(clock_start(paused_at).date(), clock_start(resumed_at).date())


def extend_for_pause(due: dt.datetime, paused_at: dt.datetime, resumed_at: dt.datetime) -> dt.datetime:
    """`due` moved later by the working time lost while paused. A deadline at the end of an office day
    (units in days) moves by pause_working_days() whole working days; any other (hours, fractions of a
    day) by the exact office time lost."""
    local = _local(due)
    if local.time() == office_hours()[1]:
        return office_day_end(add_working_days(local.date(), pause_working_days(paused_at, resumed_at)))
    if resumed_at <= paused_at:
        return local
    return add_office_time(local, office_time_between(paused_at, resumed_at))


def timeliness(finished_at: dt.datetime, due: dt.datetime) -> str:
    """EARLY when the result was ready on a working day before the due day (a day off counts as the
    next working day), ON_TIME on the due day up to the deadline, LATE after it."""
    finished, due = _local(finished_at), _local(due)
    if finished > due:
        return LATE
    if next_working_day(finished.date(), include_today=True) < due.date():
        return EARLY
    return ON_TIME
