"""The time budget of the steps (processing.budget): shares and fixed days of the dossier's total."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dichvucong.core.calendar import (
    clock_start,
    due_at,
    office_day_end,
    office_day_start,
    office_time_between,
)
from dichvucong.processing.budget import due_after_pauses, office_day, step_due_dates

pytestmark = pytest.mark.django_db  # the calendar reads its override table
TZ = dt.timezone(dt.timedelta(hours=7))
DEFAULT = [(10, None), (60, None), (20, None), (10, None), (0, None)]


def test_the_default_shares_split_a_five_day_procedure_in_office_time():
    start = office_day_start(dt.date(2026, 3, 2))  # Monday 07:30
    due = office_day_end(dt.date(2026, 3, 6))  # Friday 17:00: five office days
    dues = step_due_dates(start, due, DEFAULT)
    day = office_day()
    assert office_time_between(start, dues[0]) == day * 0.5
    assert office_time_between(start, dues[1]) == day * 3.5
    assert office_time_between(start, dues[2]) == day * 4.5
    assert dues[3] == dues[4] == due


def test_fixed_days_come_first_and_shares_split_the_rest():
    start = office_day_start(dt.date(2026, 3, 2))
    due = office_day_end(dt.date(2026, 3, 6))
    dues = step_due_dates(start, due, [(None, Decimal(1)), (50, None), (50, None), (None, Decimal(0))])
    assert dues[0] == office_day_end(dt.date(2026, 3, 2))
    assert office_time_between(start, dues[1]) == office_day() * 3
    assert dues[2] == dues[3] == due


def test_without_a_legal_time_there_are_no_due_dates():
    assert step_due_dates(office_day_start(dt.date(2026, 3, 2)), None, DEFAULT) == [None] * 5


budgets = st.lists(
    st.one_of(
        st.tuples(st.integers(0, 100), st.none()),
        st.tuples(st.none(), st.decimals(0, 30, places=1, allow_nan=False, allow_infinity=False)),
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=200, deadline=None)
@given(
    received=st.datetimes(
        min_value=dt.datetime(2026, 1, 1), max_value=dt.datetime(2026, 12, 20), timezones=st.just(TZ)
    ),
    days=st.decimals(0, 40, places=1, allow_nan=False, allow_infinity=False),
    budgets=budgets,
)
def test_step_due_dates_never_decrease_and_end_with_the_dossier(received, days, budgets):
    due = due_at(received, days, "working_days")
    dues = step_due_dates(clock_start(received), due, budgets)
    assert len(dues) == len(budgets)
    assert dues == sorted(dues)
    assert dues[-1] == due
    assert all(d <= due for d in dues)


def test_a_pause_moves_a_due_date_only_if_it_began_after_the_date_was_set():
    due = office_day_end(dt.date(2026, 3, 6))
    set_at = dt.datetime(2026, 3, 3, 9, tzinfo=TZ)
    pauses = [
        (dt.datetime(2026, 3, 2, 9, tzinfo=TZ), dt.datetime(2026, 3, 3, 8, tzinfo=TZ)),  # before: ignored
        (
            dt.datetime(2026, 3, 4, 10, tzinfo=TZ),
            dt.datetime(2026, 3, 9, 10, tzinfo=TZ),
        ),  # Thu, Fri, Mon lost
    ]
    now = dt.datetime(2026, 3, 10, 9, tzinfo=TZ)
    assert due_after_pauses(due, set_at, pauses, until=now) == office_day_end(dt.date(2026, 3, 11))
    assert due_after_pauses(due, set_at, pauses[:1], until=now) == due
    assert due_after_pauses(None, set_at, pauses, until=now) is None
