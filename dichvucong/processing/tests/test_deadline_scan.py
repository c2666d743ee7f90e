"""The deadline scan (`manage.py processing_scan_deadlines`): the officials responsible for dossiers due
soon or overdue are alerted once a day, only for dossiers whose clock runs, reading an index."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from freezegun import freeze_time

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.officials import make_official
from dichvucong.dossiers.tests.factories import SUPPLEMENT_ITEMS
from dichvucong.dossiers.workflow import State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.services.deadlines import dossier_extend
from dichvucong.processing.services.reception import dossier_ask_for_supplement
from dichvucong.processing.services.steps import dossier_forward

from .helpers import dossier_in

pytestmark = pytest.mark.django_db
HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(day: int, hour: int, month: int = 11) -> dt.datetime:
    """A moment of November 2026 in Vietnam (Monday 2/11 … Friday 6/11 are working days)."""
    return dt.datetime(2026, month, day, hour, tzinfo=HANOI)


def scan(*args) -> str:
    out = io.StringIO()
    call_command("processing_scan_deadlines", *args, stdout=out)
    return out.getvalue()


def alerts(event=None):
    rows = Outbox.objects.filter(event__in=("dossier_due_soon", "dossier_overdue"), channel="inapp")
    if event:
        rows = rows.filter(event=event)
    return sorted((row.event, row.subject_id, row.recipient.username) for row in rows)


@pytest.fixture
def scenario(people):
    """GIVEN on Monday 2/11 a dossier received (due that day) and one received and then waiting for a
    supplement; on Wednesday 4/11 one received (due that day) and one received then extended to 20/11;
    and a returned one."""
    with freeze_time(at(2, 9)):
        overdue = dossier_in(people, State.RECEIVED)
        waiting = dossier_in(people, State.RECEIVED)
        dossier_ask_for_supplement(
            dossier_id=waiting.pk,
            official=people.receptionist_binh,
            agency=people.reception,
            items=SUPPLEMENT_ITEMS,
        )
        returned = dossier_in(people, State.RETURNED)
    with freeze_time(at(4, 9)):
        due_today = dossier_in(people, State.RECEIVED)
        later = dossier_in(people, State.IN_PROGRESS)
        dossier_extend(
            dossier_id=later.pk,
            official=people.approver_dung,
            agency=people.competent,
            reason="Chờ xác minh.",
            new_due=dt.date(2026, 11, 20),
        )
    return {
        "overdue": overdue,
        "waiting": waiting,
        "returned": returned,
        "due_today": due_today,
        "later": later,
    }


def test_the_scan_alerts_the_holders_of_due_and_overdue_dossiers_only(people, scenario):
    with freeze_time(at(4, 10)):
        output = scan()
    assert "Sắp đến hạn: 1; quá hạn: 1; đã nhắc: 2" in output
    assert alerts() == [
        ("dossier_due_soon", scenario["due_today"].code, "binh.tran"),
        ("dossier_overdue", scenario["overdue"].code, "binh.tran"),
    ]
    row = Outbox.objects.get(event="dossier_due_soon", channel="inapp")
    assert row.context["days_left"] == 0 and row.context["due_date"] == "04/11/2026 17:00"


def test_the_scan_alerts_once_a_day(people, scenario):
    with freeze_time(at(4, 10)):
        scan()
    with freeze_time(at(4, 16)):
        output = scan()
    assert "đã nhắc: 0; đã nhắc trong ngày trước đó: 2" in output
    assert len(alerts()) == 2
    with freeze_time(at(5, 8)):  # the next day both are overdue and told again
        scan()
    assert len(alerts("dossier_overdue")) == 3


def test_whoever_holds_the_step_is_alerted_else_everyone_of_its_pool(people, scenario):
    make_official("hai.le", full_name="Lê Văn Hải", agency=people.competent, roles=[StaffRole.SPECIALIST])
    with freeze_time(at(4, 9)):
        pooled = dossier_in(people, State.RECEIVED)
        dossier_forward(dossier_id=pooled.pk, official=people.receptionist_binh, agency=people.reception)
    with freeze_time(at(4, 10)):
        scan()
    assert {r[2] for r in alerts("dossier_due_soon") if r[1] == pooled.code} == {"chi.pham", "hai.le"}
    # Due at the close of the last day of the window counts: the extended one, on Thursday 19/11.
    with freeze_time(at(19, 10)):
        scan("--days", "1")
    later = scenario["later"]
    assert {r[2] for r in alerts("dossier_due_soon") if r[1] == later.code} == {"chi.pham"}


def test_the_scan_reads_the_due_date_index_and_explains_its_plan(people, scenario):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a test table is tiny: make the planner show the index path
            cursor.execute("SET enable_seqscan = off")
            cursor.execute("SET enable_bitmapscan = off")
    try:
        output = scan("--explain")
    finally:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("RESET enable_seqscan")
                cursor.execute("RESET enable_bitmapscan")
    assert output.count("dossier_open_due_idx") >= 2, output
    assert "SCAN dossiers_dossier\n" not in output and "Seq Scan" not in output, output
    assert not alerts()
