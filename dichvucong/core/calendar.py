"""Working days in Vietnam: Monday–Friday minus public holidays, with the government's swaps.

Built on the `holidays` package (country VN), which knows Tết, compensatory days and the 2025–2026
swapped Saturdays. The back-office issue adds the administrator-editable override table and the
deadline rules (15:00 cut-off, office hours, supplement pauses); this module is their base.
"""

import datetime as dt
from functools import lru_cache

import holidays


@lru_cache(maxsize=16)
def _vietnam(year: int):
    return holidays.country_holidays("VN", years=[year])


def is_working_day(day: dt.date) -> bool:
    return _vietnam(day.year).is_working_day(day)


def next_working_day(day: dt.date, *, include_today: bool = False) -> dt.date:
    """`day` itself when it is a working day and include_today, else the next working day."""
    if include_today and is_working_day(day):
        return day
    day += dt.timedelta(days=1)
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def add_working_days(start: dt.date, count: int) -> dt.date:
    """The working day `count` working days after `start` (start not counted; count 0 → start)."""
    day = start
    for _ in range(max(0, int(count))):
        day = next_working_day(day)
    return day
