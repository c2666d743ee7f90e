"""The administrators' override table: it wins over the package, and every process sees its changes."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.cache import cache
from django.db import transaction
from freezegun import freeze_time

from dichvucong.core import calendar
from dichvucong.core.calendar import VERSION_KEY, due_at, is_working_day, working_days_between
from dichvucong.core.models import CalendarOverride

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DAY_OFF = CalendarOverride.Kind.DAY_OFF
WORKING_DAY = CalendarOverride.Kind.WORKING_DAY


def at(year, month, day, hour=0, minute=0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=VN)


def override(day: dt.date, kind: str, name: str = "Quyết định của Thủ tướng") -> CalendarOverride:
    return CalendarOverride.objects.create(day=day, kind=kind, name=name, legal_basis="Thông báo số 1/TB-BNV")


@pytest.fixture(autouse=True)
def _forget_what_this_test_cached():
    yield
    # The test's rows vanish in a rollback or a flush, which send no signal: drop this process's copy.
    calendar.clear_process_cache()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Runs the on-commit publication of the test's changes, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


# --- The table wins over the package -------------------------------------------------------------------


def test_an_administrator_added_day_off_shifts_a_due_date():
    received = at(2026, 12, 30, 10, 0)
    assert due_at(received, 1, "working_days") == at(2026, 12, 31, 17, 0)
    override(dt.date(2026, 12, 31), DAY_OFF, "Nghỉ bù Tết Dương lịch")
    # 1/1/2027 is New Year's Day, then a weekend.
    assert due_at(received, 1, "working_days") == at(2027, 1, 4, 17, 0)


def test_an_administrator_added_make_up_saturday_counts_as_a_working_day():
    saturday = dt.date(2027, 1, 9)
    assert not is_working_day(saturday)
    override(saturday, WORKING_DAY, "Làm bù cho ngày 31/12/2026")
    assert is_working_day(saturday)
    assert due_at(at(2027, 1, 8, 10, 0), 1, "working_days") == at(2027, 1, 9, 17, 0)
    assert due_at(at(2027, 1, 8, 18, 0), 0, "working_days") == at(2027, 1, 9, 17, 0)
    assert due_at(at(2027, 1, 8, 16, 0), 2, "hours") == at(2027, 1, 9, 8, 30)


def test_an_override_wins_over_the_holidays_package():
    override(dt.date(2026, 4, 27), WORKING_DAY, "Tỉnh tổ chức làm việc")  # the package says Hùng Kings
    override(dt.date(2026, 8, 22), DAY_OFF, "Không làm bù")  # the package says make-up Saturday
    assert is_working_day(dt.date(2026, 4, 27))
    assert not is_working_day(dt.date(2026, 8, 22))
    assert working_days_between(dt.date(2026, 4, 24), dt.date(2026, 4, 28)) == 2


# --- Changes are seen -------------------------------------------------------------------------------


def test_an_override_is_seen_after_every_edit_and_after_its_deletion(committed):
    saturday = dt.date(2026, 3, 14)
    with committed():
        row = override(saturday, WORKING_DAY)
    assert is_working_day(saturday)
    with committed():
        row.kind = DAY_OFF
        row.save()
    assert not is_working_day(saturday)
    with committed():
        row.kind = WORKING_DAY
        row.save()
    assert is_working_day(saturday)
    with committed():
        CalendarOverride.objects.filter(pk=row.pk).delete()  # the admin's bulk delete
    assert not is_working_day(saturday)


def test_a_change_is_seen_at_once_by_the_transaction_that_makes_it_and_not_kept_if_rolled_back():
    tuesday = dt.date(2026, 3, 10)
    assert is_working_day(tuesday)  # the year is now in the process cache
    with pytest.raises(RuntimeError), transaction.atomic():
        override(tuesday, DAY_OFF)
        assert not is_working_day(tuesday)
        raise RuntimeError
    assert is_working_day(tuesday)


def test_a_year_costs_one_query_then_none(committed, django_assert_num_queries):
    with committed():
        override(dt.date(2026, 3, 10), DAY_OFF)
    year = (dt.date(2025, 12, 31), dt.date(2026, 12, 31))
    with django_assert_num_queries(1):
        assert working_days_between(*year) == 248
    with django_assert_num_queries(0):
        assert working_days_between(*year) == 248
        due_at(at(2026, 2, 9, 9, 0), 17, "working_days")


def test_a_change_made_by_another_process_is_seen_once_the_version_is_checked_again(committed, settings):
    """GIVEN this process has read 2026 with 10/3 as a day off
    WHEN another process makes it a working day and publishes a new version token
    THEN this process keeps its copy until its next version check (5 s), then reads the change."""
    settings.CALENDAR_VERSION_CHECK_SECONDS = 5
    tuesday = dt.date(2026, 3, 10)
    with freeze_time("2026-03-09 09:00:00") as clock:
        with committed():
            override(tuesday, DAY_OFF)
        assert not is_working_day(tuesday)
        # No signal here: the row changes in "another process", which replaces the token.
        CalendarOverride.objects.filter(day=tuesday).update(kind=WORKING_DAY)
        cache.set(VERSION_KEY, "token of the other process")
        clock.tick(dt.timedelta(seconds=2))
        assert not is_working_day(tuesday)
        clock.tick(dt.timedelta(seconds=4))
        assert is_working_day(tuesday)


def test_without_a_shared_cache_a_change_is_seen_after_the_maximum_age(committed, settings):
    settings.CALENDAR_CACHE_MAX_AGE = 300
    tuesday = dt.date(2026, 3, 10)
    with committed():
        override(tuesday, DAY_OFF)
    with freeze_time("2026-03-09 09:00:00") as clock:
        assert not is_working_day(tuesday)
        CalendarOverride.objects.filter(day=tuesday).update(kind=WORKING_DAY)  # token unchanged
        clock.tick(dt.timedelta(seconds=60))
        assert not is_working_day(tuesday)
        clock.tick(dt.timedelta(seconds=241))
        assert is_working_day(tuesday)


def test_a_flushed_cache_makes_every_process_read_the_table_again(committed):
    tuesday = dt.date(2026, 3, 10)
    with committed():
        override(tuesday, DAY_OFF)
    with freeze_time("2026-03-09 09:00:00") as clock:
        assert not is_working_day(tuesday)
        CalendarOverride.objects.filter(day=tuesday).delete()
        cache.clear()
        clock.tick(dt.timedelta(seconds=6))
        assert is_working_day(tuesday)


@pytest.mark.django_db(transaction=True)
def test_a_commit_publishes_a_new_version_and_a_rollback_leaves_nothing_behind(django_assert_num_queries):
    """With real transactions (no test wrapper): the on-commit hook and the forgotten rollback."""
    tuesday = dt.date(2026, 3, 10)
    assert is_working_day(tuesday)
    with pytest.raises(RuntimeError), transaction.atomic():
        override(tuesday, DAY_OFF)
        assert not is_working_day(tuesday)
        raise RuntimeError
    with django_assert_num_queries(0):  # the rolled-back change never entered the process cache
        assert is_working_day(tuesday)

    before = cache.get(VERSION_KEY)
    with transaction.atomic():
        override(tuesday, DAY_OFF)
    assert cache.get(VERSION_KEY) != before
    with django_assert_num_queries(1):
        assert not is_working_day(tuesday)
    with django_assert_num_queries(0):
        assert not is_working_day(tuesday)


def test_calendar_functions_read_overrides_of_both_years_a_deadline_spans():
    override(dt.date(2027, 1, 4), DAY_OFF, "Nghỉ theo quyết định của tỉnh")
    assert calendar.add_working_days(dt.date(2026, 12, 31), 1) == dt.date(2027, 1, 5)


# --- The admin --------------------------------------------------------------------------------------


def test_the_admin_lists_overrides_with_the_built_in_calendar_beside_them(admin_client):
    override(dt.date(2026, 8, 22), DAY_OFF, "Không làm bù")
    page = admin_client.get("/quan-tri/core/calendaroverride/").content.decode()
    assert "Không làm bù" in page
    assert "Ngày làm việc bù" in page  # what the package says of 22/8
    assert "lịch mặc định" in page.lower()


def test_the_admin_adds_a_day_off_that_the_calendar_sees_at_once(admin_client):
    response = admin_client.post(
        "/quan-tri/core/calendaroverride/add/",
        {
            "day": "04/09/2026",
            "kind": DAY_OFF,
            "name": "Nghỉ bù Quốc khánh",
            "legal_basis": "Thông báo số 9/TB-UBND",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    row = CalendarOverride.objects.get()
    assert (row.day, row.kind, row.name) == (dt.date(2026, 9, 4), DAY_OFF, "Nghỉ bù Quốc khánh")
    assert not is_working_day(dt.date(2026, 9, 4))
    assert due_at(at(2026, 8, 28, 10, 0), 1, "working_days") == at(2026, 9, 3, 17, 0)
    assert due_at(at(2026, 8, 28, 10, 0), 2, "working_days") == at(2026, 9, 7, 17, 0)


def test_the_admin_add_form_speaks_vietnamese(admin_client):
    page = admin_client.get("/quan-tri/core/calendaroverride/add/").content.decode()
    for label in ("Ngày nghỉ", "Ngày làm việc bù", "Căn cứ pháp lý", "Tên"):
        assert label in page
