"""Late dossiers (form 4 extensions and their history), the inbox of an agency's desk (buckets, counts,
search, scoping) and its query plans (indexed, ordered by the index)."""

import datetime as dt

import pytest
from django.db import connection
from freezegun import freeze_time

from dichvucong.core.calendar import office_day_end
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services.transitions import transition_error_message
from dichvucong.dossiers.workflow import GuardFailed, InvalidTransition, State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.models import Extension
from dichvucong.processing.permissions import NotPermitted
from dichvucong.processing.selectors import (
    Bucket,
    _bucket_queryset,
    dossier_extensions,
    dossier_get_for_agency,
    dossier_search_for_agency,
    dossier_steps,
    dossiers_due_before,
    inbox_counts,
    inbox_list,
)
from dichvucong.processing.services.deadlines import dossier_extend

from .helpers import dossier_in

pytestmark = pytest.mark.django_db
TUESDAY_9AM = "2026-03-03 02:00:00"


def extend(people, dossier, **kwargs):
    kwargs.setdefault("official", people.specialist_chi)
    kwargs.setdefault("approver", people.approver_dung)
    kwargs.setdefault("reason", "Cần xác minh nơi cư trú của người mẹ.")
    return dossier_extend(dossier_id=dossier.pk, agency=people.competent, **kwargs)


# --- Extensions (form 4) ---------------------------------------------------------------------------------


def test_an_extension_sets_a_new_appointment_keeps_the_history_and_tells_the_citizen(people):
    with freeze_time(TUESDAY_9AM):
        dossier = dossier_in(people, State.IN_PROGRESS)
    first_due = dossier.due_date
    first = extend(people, dossier, new_due=dt.date(2026, 3, 6))
    second = extend(people, dossier, new_due=dt.date(2026, 3, 10), reason="Chờ kết quả xác minh.")
    dossier.refresh_from_db()
    assert dossier.due_date == office_day_end(dt.date(2026, 3, 10)) and dossier.state == State.IN_PROGRESS
    assert [(e.number, e.previous_due, e.new_due) for e in dossier_extensions(dossier)] == [
        (1, first_due, office_day_end(dt.date(2026, 3, 6))),
        (2, office_day_end(dt.date(2026, 3, 6)), office_day_end(dt.date(2026, 3, 10))),
    ]
    assert (first.requested_by, first.approved_by) == (people.specialist_chi, people.approver_dung)
    assert second.reason == "Chờ kết quả xác minh."
    assert dossier_steps(dossier)[-1].due_at == dossier.due_date  # the return step moved with it
    notice = Outbox.objects.filter(
        event="dossier_extended", recipient=people.citizen_an, channel="inapp"
    ).last()
    assert notice.context["new_due"] == "10/03/2026" and notice.context["reason"] == "Chờ kết quả xác minh."
    assert dossier.events.filter(action="extend").count() == 2


def test_an_extension_is_signed_by_a_leader_of_the_agency(people):
    dossier = dossier_in(people, State.IN_PROGRESS)
    with pytest.raises(GuardFailed) as refused:
        extend(people, dossier, approver=None, new_due=dossier.due_date + dt.timedelta(days=3))
    assert transition_error_message(refused.value) == "Văn bản gia hạn cần lãnh đạo ký duyệt."
    with pytest.raises(NotPermitted):
        extend(
            people, dossier, approver=people.official_giang, new_due=dossier.due_date + dt.timedelta(days=3)
        )
    own = extend(
        people,
        dossier,
        official=people.approver_dung,
        approver=None,
        new_due=dossier.due_date + dt.timedelta(days=3),
    )
    assert own.approved_by == people.approver_dung


def test_the_new_appointment_must_be_later_and_the_count_may_be_capped(people, settings):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    with pytest.raises(GuardFailed) as refused:
        extend(people, dossier, new_due=dossier.due_date)
    assert transition_error_message(refused.value) == "Ngày hẹn trả mới phải sau ngày hẹn hiện tại."
    settings.PROCESSING_MAX_EXTENSIONS = 1
    extend(people, dossier, new_due=dossier.due_date + dt.timedelta(days=2))
    with pytest.raises(GuardFailed):
        extend(people, Dossier.objects.get(pk=dossier.pk), new_due=dossier.due_date + dt.timedelta(days=9))
    assert Extension.objects.filter(dossier=dossier).count() == 1


def test_there_is_no_extension_once_the_result_is_ready(people):
    dossier = dossier_in(people, State.RESULT_READY)
    with pytest.raises(InvalidTransition):
        extend(people, dossier, new_due=dossier.due_date + dt.timedelta(days=2))
    assert not Extension.objects.filter(dossier=dossier).exists()


# --- Inbox ----------------------------------------------------------------------------------------------


@pytest.fixture
def desk(people):
    """Dossiers of agency A in every state, received on Tuesday 3/3 09:00 (Khai sinh: due 17:00)."""
    with freeze_time(TUESDAY_9AM):
        return {state: dossier_in(people, state) for state in State.values if state != State.DRAFT}


def test_each_bucket_lists_the_dossiers_on_the_agencys_desk(people, desk):
    now = dt.datetime(2026, 3, 3, 3, tzinfo=dt.UTC)  # 10:00, before the 17:00 deadline
    chi, dung, binh = people.specialist_chi, people.approver_dung, people.receptionist_binh
    counts = inbox_counts(official=chi, agency=people.competent, now=now)
    assert counts[Bucket.IN_PROGRESS] == 1 and counts[Bucket.WAITING_CITIZEN] == 1
    assert counts[Bucket.WAITING_PAYMENT] == 1 and counts[Bucket.NEW] == 0
    assert counts[Bucket.DUE_SOON] == 3  # in progress, awaiting payment, awaiting approval (clock running)
    assert counts[Bucket.OVERDUE] == 0
    assert counts[Bucket.ALL] == 5  # + supplement requested, + result ready (issuance step)
    assert counts[Bucket.ASSIGNED_TO_ME] == 3
    assert [d.pk for d in inbox_list(official=dung, agency=people.competent, bucket=Bucket.MY_APPROVAL)] == [
        desk[State.AWAITING_APPROVAL].pk
    ]
    reception = inbox_counts(official=binh, agency=people.reception, now=now)
    assert reception[Bucket.NEW] == 1 and reception[Bucket.RECEIVED] == 1
    assert reception[Bucket.IN_PROGRESS] == 0 and reception[Bucket.ALL] == 1
    later = dt.datetime(2026, 3, 4, 3, tzinfo=dt.UTC)
    overdue = inbox_list(official=chi, agency=people.competent, bucket=Bucket.OVERDUE, now=later)
    assert {d.state for d in overdue} == {State.IN_PROGRESS, State.AWAITING_PAYMENT, State.AWAITING_APPROVAL}


def test_an_agency_sees_nothing_of_another_agencys_dossiers(people, desk):
    counts = inbox_counts(official=people.official_giang, agency=people.other)
    assert set(counts.values()) == {0}
    code = desk[State.IN_PROGRESS].code
    assert dossier_get_for_agency(official=people.official_giang, agency=people.other, code=code) is None
    assert not dossier_search_for_agency(official=people.official_giang, agency=people.other, query=code)
    # A role elsewhere does not open agency A's inbox either.
    assert set(inbox_counts(official=people.official_giang, agency=people.competent).values()) == {0}
    assert not inbox_list(official=people.official_giang, agency=people.competent).exists()


def test_search_finds_by_code_personal_id_phone_and_name_within_the_agency(people, desk):
    citizen = people.citizen_an
    dossier = desk[State.IN_PROGRESS]

    def search(query):
        return set(
            dossier_search_for_agency(official=people.receptionist_binh, agency=people.reception, query=query)
        )

    assert search(dossier.code) == {dossier}
    assert search(dossier.code.lower()) == {dossier}
    everything = set(Dossier.objects.exclude(state=State.DRAFT))
    assert search(citizen.personal_id) == everything
    assert search("0" + citizen.phone[3:6] + " " + citizen.phone[6:]) == everything
    assert search("văn an") == everything
    assert search("Không Có Ai") == set()
    assert (
        dossier_get_for_agency(official=people.specialist_chi, agency=people.competent, code=dossier.code)
        == dossier
    )


def test_the_deadline_scan_lists_running_dossiers_due_before_a_moment(people, desk):
    later = dt.datetime(2026, 3, 4, 3, tzinfo=dt.UTC)
    assert {d.state for d in dossiers_due_before(later)} == {
        State.RECEIVED,
        State.IN_PROGRESS,
        State.AWAITING_PAYMENT,
        State.AWAITING_APPROVAL,
    }
    assert not dossiers_due_before(dt.datetime(2026, 3, 3, 3, tzinfo=dt.UTC)).exists()


def _plan(queryset) -> str:
    """The plan of `queryset`. On PostgreSQL a table of a few rows makes any plan cheap (the planner may
    take the foreign-key index and sort one row), so scans and sorts are priced out: what remains shows
    that an index serves the query in order, as the 1,000,000-row benchmark's plans do (bench/inbox.py)."""
    if connection.vendor == "postgresql":
        switches = ("enable_seqscan", "enable_bitmapscan", "enable_sort")
        with connection.cursor() as cursor:
            for switch in switches:
                cursor.execute(f"SET {switch} = off")
        try:
            return queryset.explain()
        finally:
            with connection.cursor() as cursor:
                for switch in switches:
                    cursor.execute(f"RESET {switch}")
    return queryset.explain()


@pytest.mark.parametrize("bucket", [b for b in Bucket.ALL_BUCKETS if b != Bucket.NEW])
def test_inbox_buckets_read_a_partial_index_in_due_date_order(people, bucket):
    """No scan of the table and no sort: the page comes from the index in order (100,000 open
    dossiers in one agency stay as fast as ten)."""
    dossier_in(people, State.IN_PROGRESS)
    plan = _plan(
        _bucket_queryset(
            bucket, official=people.specialist_chi, agency=people.competent, now=dt.datetime.now(dt.UTC)
        )[:20]
    )
    assert "dossier_desk_" in plan or "dossier_assigned_desk_due_idx" in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
    assert "SCAN dossiers_dossier" not in plan and "Seq Scan" not in plan, plan


def test_the_deadline_scan_reads_the_open_due_index(people):
    plan = _plan(dossiers_due_before(dt.datetime.now(dt.UTC))[:100])
    assert (
        "dossier_open_due_idx" in plan and "Seq Scan" not in plan and "SCAN dossiers_dossier" not in plan
    ), plan


def test_search_by_the_beginning_of_a_code_and_never_across_agencies(people, desk):
    """A code's beginning lists the agency's dossiers of that day; another agency's official typing a
    whole code of this agency finds nothing (the code's index is read first, the scope after)."""
    dossier = desk[State.IN_PROGRESS]
    found = dossier_search_for_agency(
        official=people.receptionist_binh, agency=people.reception, query=dossier.code[:-2]
    )
    assert dossier in set(found)
    elsewhere = dossier_search_for_agency(
        official=people.official_giang, agency=people.other, query=dossier.code
    )
    assert not elsewhere
