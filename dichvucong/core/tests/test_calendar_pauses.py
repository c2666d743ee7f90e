"""Supplement waits pause the clock: the due date moves by the working time lost, holidays excluded."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from dichvucong.core.calendar import (
    due_at,
    extend_for_pause,
    office_time_between,
    pause_working_days,
)

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


@pytest.fixture(autouse=True)
def _a_now_far_from_the_dates_under_test():
    with freeze_time("2031-07-15 03:00:00"):
        yield


@pytest.mark.parametrize(
    ("paused", "resumed", "lost"),
    [
        (at(2026, 3, 10, 9, 0), at(2026, 3, 10, 16, 0), 0),  # the same day
        (at(2026, 3, 10, 10, 0), at(2026, 3, 11, 10, 0), 1),
        (at(2026, 2, 12, 10, 0), at(2026, 2, 24, 10, 0), 3),  # across Tết: 13/2, 23/2, 24/2
        (at(2026, 4, 24, 15, 0), at(2026, 4, 28, 9, 0), 1),  # across Hùng Kings: only 28/4
        (at(2026, 4, 29, 14, 0), at(2026, 5, 5, 10, 0), 2),  # across 30/4–1/5: 4/5, 5/5
        (at(2026, 8, 21, 10, 0), at(2026, 9, 3, 10, 0), 7),  # 22/8 counts, 29/8–2/9 do not
        (at(2026, 2, 13, 18, 0), at(2026, 2, 23, 8, 0), 0),  # paused after hours, back before work
        (at(2026, 3, 10, 10, 0), at(2026, 3, 10, 19, 0), 1),  # supplement filed in the evening
        (at(2026, 3, 11, 10, 0), at(2026, 3, 10, 10, 0), 0),  # resumed before paused: nothing
    ],
)
def test_a_pause_loses_the_working_days_until_the_clock_resumes(paused, resumed, lost):
    assert pause_working_days(paused, resumed) == lost


def test_a_supplement_wait_across_tet_moves_the_due_date_by_the_working_days_lost_only():
    """GIVEN a 5-working-day dossier received on Tuesday 10/2/2026 (due 24/2, after Tết)
    WHEN a supplement is asked on 11/2 and filed on 25/2
    THEN the five working days lost (12/2, 13/2, 23/2, 24/2, 25/2) move the due date to 3/3."""
    due = due_at(at(2026, 2, 10, 9, 0), 5, "working_days")
    assert due == at(2026, 2, 24, 17, 0)
    paused, resumed = at(2026, 2, 11, 10, 0), at(2026, 2, 25, 9, 0)
    assert pause_working_days(paused, resumed) == 5
    assert extend_for_pause(due, paused, resumed) == at(2026, 3, 3, 17, 0)


def test_a_supplement_wait_across_30_april_moves_the_due_date_past_the_weekend():
    due = due_at(at(2026, 4, 29, 10, 0), 1, "working_days")
    assert due == at(2026, 5, 4, 17, 0)
    assert extend_for_pause(due, at(2026, 4, 29, 14, 0), at(2026, 5, 5, 10, 0)) == at(2026, 5, 6, 17, 0)


def test_a_supplement_wait_across_national_day_counts_the_make_up_saturday():
    due = due_at(at(2026, 8, 20, 10, 0), 2, "working_days")
    assert due == at(2026, 8, 22, 17, 0)  # 21/8, Saturday 22/8
    # Paused Friday 21/8, back Thursday 3/9: 22/8, 24–28/8 and 3/9 are lost.
    assert extend_for_pause(due, at(2026, 8, 21, 10, 0), at(2026, 9, 3, 10, 0)) == at(2026, 9, 4, 17, 0)


def test_a_pause_that_loses_no_working_day_keeps_the_due_date():
    due = at(2026, 3, 12, 17, 0)
    assert extend_for_pause(due, at(2026, 3, 10, 9, 0), at(2026, 3, 10, 16, 0)) == due
    assert extend_for_pause(due, at(2026, 3, 13, 18, 0), at(2026, 3, 16, 7, 0)) == due


def test_an_hours_deadline_moves_by_the_office_time_lost():
    due = due_at(at(2026, 3, 10, 10, 0), 4, "hours")
    assert due == at(2026, 3, 10, 14, 0)
    assert extend_for_pause(due, at(2026, 3, 10, 11, 0), at(2026, 3, 10, 12, 30)) == at(2026, 3, 10, 15, 30)


def test_an_hours_deadline_paused_across_hung_kings_day_moves_by_office_time_only():
    """GIVEN 4 office hours from Friday 24/4 14:00 (3 h that day, 1 h on Tuesday 28/4 → 08:30)
    WHEN paused at 15:00 on Friday and resumed at 08:00 on Tuesday (2 h + 30 min of office time)
    THEN the deadline moves 2 h 30 later, to 11:00 on Tuesday."""
    due = due_at(at(2026, 4, 24, 14, 0), 4, "hours")
    assert due == at(2026, 4, 28, 8, 30)
    paused, resumed = at(2026, 4, 24, 15, 0), at(2026, 4, 28, 8, 0)
    assert office_time_between(paused, resumed) == dt.timedelta(hours=2, minutes=30)
    assert extend_for_pause(due, paused, resumed) == at(2026, 4, 28, 11, 0)


@pytest.mark.parametrize(
    ("start", "end", "hours"),
    [
        (at(2026, 3, 10, 8, 0), at(2026, 3, 10, 9, 0), 1),
        (at(2026, 3, 10, 5, 0), at(2026, 3, 10, 22, 0), 9.5),
        (at(2026, 3, 13, 16, 0), at(2026, 3, 16, 8, 30), 2),  # over a weekend
        (at(2026, 2, 13, 7, 30), at(2026, 2, 23, 17, 0), 19),  # over Tết: two office days
        (at(2026, 3, 10, 9, 0), at(2026, 3, 10, 8, 0), 0),
    ],
)
def test_office_time_counts_only_office_hours_of_working_days(start, end, hours):
    assert office_time_between(start, end) == dt.timedelta(hours=hours)
