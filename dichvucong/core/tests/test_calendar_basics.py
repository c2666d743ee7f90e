import datetime as dt

import pytest

from dichvucong.core.calendar import add_working_days, is_working_day, next_working_day

# The calendar reads the administrators' override table (core.CalendarOverride).
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (dt.date(2026, 2, 16), False),  # Tết 2026
        (dt.date(2026, 2, 23), True),
        (dt.date(2026, 4, 27), False),  # Hùng Kings, observed on Monday
        (dt.date(2026, 8, 22), True),  # Saturday worked in exchange for Monday 31/8
        (dt.date(2026, 8, 31), False),
        (dt.date(2026, 11, 24), False),  # Vietnamese Culture Day, from 2026
        (dt.date(2026, 11, 28), False),  # an ordinary Saturday
    ],
)
def test_working_days_follow_the_2026_calendar(day, working):
    assert is_working_day(day) is working


def test_adding_working_days_skips_weekends_and_holidays():
    assert add_working_days(dt.date(2026, 4, 24), 1) == dt.date(2026, 4, 28)  # Fri → Tue (27/4 off)
    assert add_working_days(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 23)  # across Tết
    assert add_working_days(dt.date(2026, 8, 21), 1) == dt.date(2026, 8, 22)  # the swapped Saturday
    assert add_working_days(dt.date(2026, 11, 27), 0) == dt.date(2026, 11, 27)


def test_the_next_working_day_may_be_today():
    assert next_working_day(dt.date(2026, 11, 27), include_today=True) == dt.date(2026, 11, 27)
    assert next_working_day(dt.date(2026, 11, 28), include_today=True) == dt.date(2026, 11, 30)
