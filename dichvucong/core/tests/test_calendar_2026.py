"""The 2026 calendar of officials (DOMAIN.md §4), as the `holidays` package alone gives it."""

import datetime as dt

import pytest

from dichvucong.core.calendar import (
    add_working_days,
    is_working_day,
    next_working_day,
    package_day_name,
    working_days_between,
)
from dichvucong.core.models import CalendarOverride

pytestmark = pytest.mark.django_db

D = dt.date


def days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


DAYS_OFF_2026 = [
    *days(D(2026, 2, 14), D(2026, 2, 22)),  # Tết: Saturday 14/2 to Sunday 22/2
    D(2026, 4, 26),  # Hùng Kings, on a Sunday…
    D(2026, 4, 27),  # …so Monday off
    D(2026, 4, 30),
    D(2026, 5, 1),
    *days(D(2026, 8, 29), D(2026, 9, 2)),  # National Day: Saturday 29/8 to Wednesday 2/9
    D(2026, 11, 24),  # Vietnamese Culture Day, a holiday from 2026
]
WORKING_DAYS_2026 = [
    D(2026, 2, 13),  # the Friday before Tết
    D(2026, 2, 23),  # the Monday after
    D(2026, 4, 24),
    D(2026, 4, 28),
    D(2026, 4, 29),
    D(2026, 5, 4),
    D(2026, 8, 22),  # Saturday worked in exchange for Monday 31/8
    D(2026, 8, 28),
    D(2026, 9, 3),
    D(2026, 11, 23),
    D(2026, 11, 25),
]


@pytest.mark.parametrize("day", DAYS_OFF_2026, ids=str)
def test_every_2026_day_off_of_officials_is_known_without_any_override(day):
    assert not CalendarOverride.objects.exists()
    assert not is_working_day(day)


@pytest.mark.parametrize("day", WORKING_DAYS_2026, ids=str)
def test_the_days_around_the_2026_holidays_are_working_days(day):
    assert is_working_day(day)


@pytest.mark.parametrize(
    ("day", "name"),
    [
        (D(2026, 2, 17), "Tết Nguyên Đán"),
        (D(2026, 4, 27), "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"),
        (D(2026, 8, 31), "Ngày nghỉ (thay cho ngày 22/08/2026)"),
        (D(2026, 11, 24), "Ngày Văn hóa Việt Nam"),
        (D(2026, 8, 22), "Ngày làm việc bù"),
        (D(2026, 3, 14), "Nghỉ cuối tuần"),
        (D(2026, 3, 10), "Ngày làm việc"),
    ],
)
def test_the_built_in_calendar_names_each_day_in_vietnamese(day, name):
    assert package_day_name(day) == name


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # Friday before Tết → Monday after
        (D(2026, 2, 12), 2, D(2026, 2, 23)),
        (D(2026, 2, 13), 3, D(2026, 2, 25)),
        (D(2026, 4, 24), 1, D(2026, 4, 28)),  # Hùng Kings: Monday 27/4 off
        (D(2026, 4, 23), 3, D(2026, 4, 29)),
        (D(2026, 4, 29), 1, D(2026, 5, 4)),  # 30/4–1/5, then the weekend
        (D(2026, 4, 28), 2, D(2026, 5, 4)),
        (D(2026, 8, 21), 1, D(2026, 8, 22)),  # the make-up Saturday counts
        (D(2026, 8, 27), 2, D(2026, 9, 3)),  # National Day: 29/8–2/9 off
        (D(2026, 8, 28), 1, D(2026, 9, 3)),
        (D(2026, 11, 23), 1, D(2026, 11, 25)),  # Culture Day
        (D(2026, 2, 9), 17, D(2026, 3, 11)),  # first land registration online, across Tết
        (D(2026, 12, 31), 1, D(2027, 1, 4)),  # into the next year: 1/1/2027 is a Friday
    ],
)
def test_adding_working_days_skips_the_2026_holidays(start, count, due):
    assert add_working_days(start, count) == due


def test_the_next_working_day_after_tet_is_monday_23_february():
    assert next_working_day(D(2026, 2, 14), include_today=True) == D(2026, 2, 23)
    assert next_working_day(D(2026, 2, 13)) == D(2026, 2, 23)


@pytest.mark.parametrize(
    ("start", "end", "count"),
    [
        (D(2026, 2, 13), D(2026, 2, 23), 1),
        (D(2026, 2, 13), D(2026, 2, 13), 0),
        (D(2026, 2, 23), D(2026, 2, 13), 0),
        (D(2026, 8, 21), D(2026, 9, 3), 7),  # Saturday 22/8, 24–28/8, 3/9
        (D(2026, 4, 24), D(2026, 5, 4), 3),  # 28/4, 29/4, 4/5
        (D(2025, 12, 31), D(2026, 12, 31), 249),  # 261 weekdays − 13 holidays + Saturday 22/8
    ],
)
def test_working_days_between_counts_the_end_but_not_the_start(start, end, count):
    assert working_days_between(start, end) == count


@pytest.mark.parametrize("start", [D(2026, 2, 13), D(2026, 4, 25), D(2026, 8, 21), D(2026, 11, 20)], ids=str)
def test_counting_working_days_undoes_adding_them(start):
    for count in range(30):
        assert working_days_between(start, add_working_days(start, count)) == count
