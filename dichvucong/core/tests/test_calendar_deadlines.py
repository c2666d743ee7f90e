"""When the clock starts and when a dossier is due: units, office hours, the 15:00 rule."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from dichvucong.core.calendar import EARLY, LATE, ON_TIME, clock_start, due_at, timeliness

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
CUTOFF = dt.time(15, 0)


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _a_now_far_from_the_dates_under_test():
    """Deadlines depend on the reception time only: a function peeking at now() would give itself away."""
    with freeze_time("2031-07-15 03:00:00"):
        yield


# --- When the clock starts ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "start"),
    [
        (at(2026, 3, 10, 10, 0), at(2026, 3, 10, 10, 0)),  # Tuesday, office hours
        (at(2026, 3, 10, 7, 30), at(2026, 3, 10, 7, 30)),
        (at(2026, 3, 10, 6, 0), at(2026, 3, 10, 7, 30)),  # early morning: when the office opens
        (at(2026, 3, 10, 17, 0), at(2026, 3, 11, 7, 30)),  # closing time: next working day
        (at(2026, 3, 10, 20, 15), at(2026, 3, 11, 7, 30)),  # evening
        (at(2026, 3, 7, 10, 0), at(2026, 3, 9, 7, 30)),  # Saturday
        (at(2026, 2, 15, 9, 0), at(2026, 2, 23, 7, 30)),  # during Tết
        (at(2026, 2, 13, 18, 0), at(2026, 2, 23, 7, 30)),  # the evening before Tết
        (at(2026, 4, 26, 9, 0), at(2026, 4, 28, 7, 30)),  # Hùng Kings (Sunday, then Monday off)
        (at(2026, 4, 30, 9, 0), at(2026, 5, 4, 7, 30)),  # 30/4
        (at(2026, 8, 21, 20, 0), at(2026, 8, 22, 7, 30)),  # the make-up Saturday 22/8
        (at(2026, 9, 2, 9, 0), at(2026, 9, 3, 7, 30)),  # National Day
    ],
)
def test_submissions_outside_office_hours_count_from_the_next_working_day(received, start):
    assert clock_start(received) == start


def test_the_clock_runs_in_vietnam_whatever_the_time_zone_of_the_reception_time():
    utc = ZoneInfo("UTC")
    assert clock_start(dt.datetime(2026, 3, 10, 2, 0, tzinfo=utc)) == at(2026, 3, 10, 9, 0)
    # 11:00 UTC is 18:00 in Hà Nội: after closing time.
    started = clock_start(dt.datetime(2026, 3, 10, 11, 0, tzinfo=utc))
    assert started == at(2026, 3, 11, 7, 30)
    assert started.utcoffset() == dt.timedelta(hours=7)


def test_a_naive_reception_time_is_refused():
    with pytest.raises(ValueError):
        clock_start(dt.datetime(2026, 3, 10, 10, 0))


def test_office_hours_come_from_the_settings(settings):
    settings.OFFICE_HOURS_START = "08:00"
    settings.OFFICE_HOURS_END = dt.time(16, 30)
    assert clock_start(at(2026, 3, 10, 7, 45)) == at(2026, 3, 10, 8, 0)
    assert clock_start(at(2026, 3, 10, 16, 45)) == at(2026, 3, 11, 8, 0)
    assert due_at(at(2026, 3, 10, 10, 0), 1, "working_days") == at(2026, 3, 11, 16, 30)


# --- Working days ------------------------------------------------------------------------------------


def test_a_dossier_received_on_the_friday_before_tet_2026_is_due_after_the_holiday():
    assert due_at(at(2026, 2, 13, 10, 0), 1, "working_days") == at(2026, 2, 23, 17, 0)


def test_a_dossier_received_on_the_evening_before_tet_starts_its_clock_after_the_holiday():
    assert due_at(at(2026, 2, 13, 18, 0), 1, "working_days") == at(2026, 2, 24, 17, 0)


@pytest.mark.parametrize(
    ("received", "value", "due"),
    [
        (at(2026, 3, 10, 10, 0), 0, at(2026, 3, 10, 17, 0)),
        (at(2026, 3, 10, 10, 0), 1, at(2026, 3, 11, 17, 0)),  # the day of reception is not counted
        (at(2026, 4, 24, 10, 0), 1, at(2026, 4, 28, 17, 0)),  # Hùng Kings: Monday 27/4 off
        (at(2026, 4, 25, 10, 0), 1, at(2026, 4, 29, 17, 0)),  # a Saturday before it: counted from 28/4
        (at(2026, 4, 29, 10, 0), 1, at(2026, 5, 4, 17, 0)),  # 30/4–1/5 and the weekend
        (at(2026, 4, 30, 10, 0), 1, at(2026, 5, 5, 17, 0)),  # online on 30/4: counted from 4/5
        (at(2026, 8, 21, 10, 0), 1, at(2026, 8, 22, 17, 0)),  # due on the make-up Saturday
        (at(2026, 8, 28, 10, 0), 3, at(2026, 9, 7, 17, 0)),  # 3/9, 4/9, 7/9
        (at(2026, 11, 23, 10, 0), 1, at(2026, 11, 25, 17, 0)),  # Culture Day 24/11
        (at(2026, 2, 9, 9, 0), 17, at(2026, 3, 11, 17, 0)),  # first land registration, online
    ],
)
def test_working_days_end_at_closing_time_of_the_last_day(received, value, due):
    assert due_at(received, value, "working_days") == due


def test_the_processing_time_may_be_a_decimal_a_float_or_an_integer():
    received = at(2026, 2, 9, 9, 0)
    assert {due_at(received, v, "working_days") for v in (17, 17.0, Decimal("17.0"), "17")} == {
        at(2026, 3, 11, 17, 0)
    }


def test_half_a_working_day_is_half_an_office_day_after_the_whole_days():
    received = at(2026, 3, 10, 10, 0)
    # An office day is 9 h 30 (07:30–17:00): half of it is 4 h 45 from the next opening.
    assert due_at(received, Decimal("0.5"), "working_days") == at(2026, 3, 11, 12, 15)
    assert due_at(received, Decimal("1.5"), "working_days") == at(2026, 3, 12, 12, 15)
    # Across Tết: the half day runs on the Monday after.
    assert due_at(at(2026, 2, 13, 10, 0), 0.5, "working_days") == at(2026, 2, 23, 12, 15)


def test_a_longer_processing_time_is_never_due_earlier():
    received = at(2026, 8, 27, 16, 0)
    dues = [due_at(received, Decimal(tenths) / 10, "working_days") for tenths in range(0, 60, 5)]
    assert dues == sorted(dues)


@pytest.mark.parametrize(("value", "unit"), [(1, "weeks"), (-1, "working_days")])
def test_an_unknown_unit_or_a_negative_time_is_refused(value, unit):
    with pytest.raises(ValueError):
        due_at(at(2026, 3, 10, 10, 0), value, unit)


# --- Calendar days -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "value", "due"),
    [
        (at(2026, 3, 9, 10, 0), 3, at(2026, 3, 12, 17, 0)),
        (at(2026, 3, 9, 10, 0), 5, at(2026, 3, 16, 17, 0)),  # lands on Saturday 14/3 → Monday
        (at(2026, 2, 13, 10, 0), 5, at(2026, 2, 23, 17, 0)),  # lands in Tết → the Monday after
        (at(2026, 2, 13, 10, 0), 10, at(2026, 2, 23, 17, 0)),
        (at(2026, 4, 22, 10, 0), 10, at(2026, 5, 4, 17, 0)),  # 2/5 is a Saturday after 30/4–1/5
        (at(2026, 8, 3, 10, 0), 30, at(2026, 9, 3, 17, 0)),  # lands on 2/9
        (at(2026, 3, 7, 10, 0), 3, at(2026, 3, 12, 17, 0)),  # received Saturday: counted from Monday
    ],
)
def test_calendar_days_count_days_off_but_never_end_on_one(received, value, due):
    assert due_at(received, value, "calendar_days") == due


# --- Hours -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "value", "due"),
    [
        (at(2026, 3, 10, 10, 0), 4, at(2026, 3, 10, 14, 0)),
        (at(2026, 3, 10, 10, 0), 7, at(2026, 3, 10, 17, 0)),  # exactly at closing time, not next morning
        (at(2026, 3, 10, 15, 0), 4, at(2026, 3, 11, 9, 30)),  # 2 h today, 2 h tomorrow
        (at(2026, 3, 10, 19, 0), 4, at(2026, 3, 11, 11, 30)),  # received in the evening
        (at(2026, 3, 10, 10, 0), Decimal("0.5"), at(2026, 3, 10, 10, 30)),
        (at(2026, 2, 13, 16, 0), 8, at(2026, 2, 23, 14, 30)),  # 1 h before Tết, 7 h after
        (at(2026, 4, 29, 16, 0), 24, at(2026, 5, 6, 11, 30)),  # 1 h, 9.5 h on 4/5 and 5/5, 4 h on 6/5
        (at(2026, 8, 21, 16, 0), 2, at(2026, 8, 22, 8, 30)),  # the make-up Saturday has office hours
    ],
)
def test_hours_run_only_in_office_hours_of_working_days(received, value, due):
    assert due_at(received, value, "hours") == due


# --- The 15:00 rule (civil status, certification) -------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (at(2026, 3, 10, 14, 59), at(2026, 3, 10, 17, 0)),
        (at(2026, 3, 10, 15, 0), at(2026, 3, 10, 17, 0)),  # "after 15:00" starts after 15:00:00
        (at(2026, 3, 10, 15, 1), at(2026, 3, 11, 17, 0)),
        (at(2026, 3, 10, 6, 45), at(2026, 3, 10, 17, 0)),  # online before the office opens
        (at(2026, 3, 10, 21, 0), at(2026, 3, 11, 17, 0)),
        (at(2026, 3, 7, 10, 0), at(2026, 3, 9, 17, 0)),  # Saturday
        (at(2026, 2, 13, 15, 30), at(2026, 2, 23, 17, 0)),  # the Friday before Tết
        (at(2026, 2, 13, 9, 0), at(2026, 2, 13, 17, 0)),
        (at(2026, 4, 24, 16, 0), at(2026, 4, 28, 17, 0)),  # before Hùng Kings
        (at(2026, 4, 29, 16, 0), at(2026, 5, 4, 17, 0)),  # before 30/4–1/5
        (at(2026, 8, 21, 15, 30), at(2026, 8, 22, 17, 0)),  # the make-up Saturday
        (at(2026, 8, 28, 15, 30), at(2026, 9, 3, 17, 0)),  # before National Day
    ],
)
def test_a_same_day_procedure_received_after_15_00_is_due_the_next_working_day(received, due):
    # The catalogue stores "same day" as 1 working day with the cut-off; 0 means the same.
    assert due_at(received, 1, "working_days", same_day_cutoff=CUTOFF) == due
    assert due_at(received, 0, "working_days", same_day_cutoff=CUTOFF) == due


def test_with_a_cut_off_the_day_of_reception_is_the_first_of_several_days():
    assert due_at(at(2026, 3, 10, 10, 0), 3, "working_days", same_day_cutoff=CUTOFF) == at(2026, 3, 12, 17, 0)
    assert due_at(at(2026, 3, 10, 16, 0), 3, "working_days", same_day_cutoff=CUTOFF) == at(2026, 3, 13, 17, 0)


# --- Early, on time, late ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("finished", "tier"),
    [
        (at(2026, 2, 13, 16, 0), EARLY),  # the working day before the due day
        (at(2026, 2, 13, 20, 0), EARLY),  # signed that evening
        (at(2026, 2, 23, 8, 0), ON_TIME),
        (at(2026, 2, 23, 17, 0), ON_TIME),
        (at(2026, 2, 23, 17, 1), LATE),
        (at(2026, 2, 24, 9, 0), LATE),
        (at(2026, 2, 21, 10, 0), ON_TIME),  # during Tết: as if on the Monday after, the due day
    ],
)
def test_a_result_is_early_on_time_or_late_against_its_due_time(finished, tier):
    due = due_at(at(2026, 2, 12, 10, 0), 2, "working_days")
    assert due == at(2026, 2, 23, 17, 0)
    assert timeliness(finished, due) == tier
