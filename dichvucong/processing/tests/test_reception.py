"""Reception: accept (appointment date, steps), refuse, supplements (pause, resume, second one late),
and the clear refusals of bad input: wrong state, stale page, already done, another agency."""

import datetime as dt

import pytest
from freezegun import freeze_time

from dichvucong.catalog.models import Offering
from dichvucong.core.calendar import add_working_days, office_day_end
from dichvucong.dossiers.models import Channel, Dossier, DossierEvent
from dichvucong.dossiers.services.transitions import (
    StaleDossier,
    dossier_submit_supplement,
    transition_error_message,
)
from dichvucong.dossiers.tests.factories import SUPPLEMENT_ITEMS, make_dossier
from dichvucong.dossiers.workflow import AlreadyDone, GuardFailed, InvalidTransition, State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.models import DossierStep
from dichvucong.processing.permissions import NotPermitted
from dichvucong.processing.selectors import dossier_steps
from dichvucong.processing.services.reception import (
    dossier_ask_for_supplement,
    dossier_receive,
    dossier_refuse,
)
from dichvucong.processing.services.steps import dossier_forward

from .helpers import dossier_in

pytestmark = pytest.mark.django_db
TUESDAY_9AM = "2026-03-03 02:00:00"  # 09:00 in Hà Nội (UTC+7)


def offering(code: str) -> Offering:
    return Offering.objects.get(procedure__code=code, unit__code="10993")


def receive(people, dossier, **kwargs):
    return dossier_receive(
        dossier_id=dossier.pk,
        official=kwargs.pop("official", people.receptionist_binh),
        agency=people.reception,
        **kwargs,
    )


def snapshot(dossier):
    """What must not change when an action is refused."""
    row = Dossier.objects.get(pk=dossier.pk)
    return (row.state, row.lock_version, row.due_date, DossierEvent.objects.filter(dossier=dossier).count())


def day_end(day: dt.date) -> dt.datetime:
    return office_day_end(day)


# --- Accepting -------------------------------------------------------------------------------------------


@freeze_time(TUESDAY_9AM)
@pytest.mark.parametrize(
    ("channel", "days"), [(Channel.ONLINE, 17), (Channel.POSTAL, 20), (Channel.IN_PERSON, 27)]
)
def test_it_sets_the_appointment_from_the_processing_time_of_the_dossiers_channel(people, channel, days):
    dossier = make_dossier(people.citizen_an, offering=offering("1.013978"))
    Dossier.objects.filter(pk=dossier.pk).update(channel=channel)
    received = receive(people, dossier)
    assert received.state == State.RECEIVED
    assert received.received_at == dt.datetime(2026, 3, 3, 2, tzinfo=dt.UTC)
    assert received.due_date == day_end(add_working_days(dt.date(2026, 3, 3), days))
    assert received.handling_agency == people.reception and received.assigned_to == people.receptionist_binh


@pytest.mark.parametrize(("time", "due_day"), [("2026-03-03 07:59:00", 3), ("2026-03-03 08:30:00", 4)])
def test_a_same_day_procedure_received_after_15_00_is_due_the_next_working_day(people, time, due_day):
    """14:59 → the same day, 15:30 → Wednesday (Khai sinh: 15:00 cut-off)."""
    dossier = make_dossier(people.citizen_an)
    with freeze_time(time):
        received = receive(people, dossier)
    assert received.due_date == day_end(dt.date(2026, 3, due_day))


@freeze_time(TUESDAY_9AM)
def test_it_plans_the_steps_with_due_dates_within_the_appointment(people):
    dossier = receive(people, make_dossier(people.citizen_an, offering=offering("1.013978")))
    steps = list(DossierStep.objects.filter(dossier=dossier).order_by("position"))
    assert [s.kind for s in steps] == ["reception", "processing", "approval", "issuance", "return"]
    dues = [s.due_at for s in steps]
    assert dues == sorted(dues) and dues[-1] == dossier.due_date
    assert dues[0] < dues[1] < dues[2] < dossier.due_date
    reception = steps[0]
    assert reception.received_at and reception.finished_at is None
    assert (reception.handed_over_by, reception.assigned_to) == (dossier.applicant, people.receptionist_binh)
    assert all(s.received_at is None for s in steps[1:])


@freeze_time(TUESDAY_9AM)
def test_the_applicant_is_told_and_the_event_keeps_the_appointment_for_the_receipt(people):
    dossier = receive(people, make_dossier(people.citizen_an))
    event = dossier.events.get(action="receive")
    assert (event.from_state, event.to_state, event.actor) == (
        State.SUBMITTED,
        State.RECEIVED,
        people.receptionist_binh,
    )
    assert dt.datetime.fromisoformat(event.detail["due"]) == dossier.due_date
    outbox = Outbox.objects.filter(event="dossier_received", recipient=people.citizen_an)
    assert outbox.exists() and outbox.first().context["due_date"] == "03/03/2026"


# --- Refusing -------------------------------------------------------------------------------------------


def test_refusing_needs_a_reason_and_a_refusal_without_one_changes_nothing(people):
    dossier = make_dossier(people.citizen_an)
    before = snapshot(dossier)
    with pytest.raises(GuardFailed) as refused:
        dossier_refuse(
            dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception, reason=" "
        )
    assert transition_error_message(refused.value) == "Hãy nêu lý do từ chối tiếp nhận."
    assert snapshot(dossier) == before


def test_a_refusal_records_the_reason_for_the_citizen(people):
    dossier = make_dossier(people.citizen_an)
    refused = dossier_refuse(
        dossier_id=dossier.pk,
        official=people.receptionist_binh,
        agency=people.reception,
        reason="Sai thẩm quyền.",
    )
    assert refused.state == State.REFUSED and refused.finished_at
    assert refused.events.get(action="refuse").note == "Sai thẩm quyền."
    assert (
        Outbox.objects.get(event="dossier_refused", recipient=people.citizen_an, channel="inapp").context[
            "reason"
        ]
        == "Sai thẩm quyền."
    )


# --- Supplements -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("items", [[], [{"name": "Giấy chứng sinh", "reason": ""}], [{"reason": "Mờ"}]])
def test_a_supplement_request_without_items_is_refused_and_changes_nothing(people, items):
    dossier = dossier_in(people, State.RECEIVED)
    before = snapshot(dossier)
    with pytest.raises(GuardFailed) as refused:
        dossier_ask_for_supplement(
            dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception, items=items
        )
    assert "ít nhất một giấy tờ" in transition_error_message(refused.value)
    assert snapshot(dossier) == before
    assert not dossier.supplement_requests.exists()


def test_a_request_at_reception_waits_on_the_reception_desk(people):
    dossier = make_dossier(people.citizen_an)
    dossier_ask_for_supplement(
        dossier_id=dossier.pk,
        official=people.receptionist_binh,
        agency=people.reception,
        items=SUPPLEMENT_ITEMS,
    )
    dossier.refresh_from_db()
    assert dossier.state == State.SUPPLEMENT_REQUESTED and dossier.clock_paused_at
    assert dossier.handling_agency == people.reception


def test_a_second_supplement_request_is_recorded_and_counts_as_late(people):
    dossier = dossier_in(people, State.SUPPLEMENT_REQUESTED)
    assert not dossier.counted_late
    dossier_submit_supplement(dossier_id=dossier.pk, user=people.citizen_an)
    second = dossier_ask_for_supplement(
        dossier_id=dossier.pk,
        official=people.specialist_chi,
        agency=people.competent,
        items=SUPPLEMENT_ITEMS[:1],
    )
    dossier.refresh_from_db()
    assert second.number == 2 and dossier.counted_late
    event = dossier.events.filter(action="request_supplement").latest("id")
    assert event.detail["number"] == 2 and event.detail["counts_as_late"] is True


def test_pausing_and_resuming_moves_the_due_date_by_the_working_days_waited(people):
    """GIVEN a 3-working-day procedure received on Tuesday 3/3 at 09:00 (due Friday 6/3 17:00)
    WHEN a supplement is asked on Wednesday 4/3 and given on Monday 9/3
    THEN the due date moves by the 3 working days waited (Thu, Fri, Mon) to Wednesday 11/3 17:00,
    and the steps still to come move with it."""
    dossier = make_dossier(people.citizen_an, offering=offering("1.004873"))
    with freeze_time(TUESDAY_9AM):
        receive(people, dossier)
        dossier_forward(
            dossier_id=dossier.pk,
            official=people.receptionist_binh,
            agency=people.reception,
            assignee=people.specialist_chi,
        )
    dossier.refresh_from_db()
    assert dossier.due_date == day_end(dt.date(2026, 3, 6))
    planned_before = {row.step.pk: row.due_at for row in dossier_steps(dossier, now=dossier.received_at)}
    with freeze_time("2026-03-04 03:00:00"):
        dossier_ask_for_supplement(
            dossier_id=dossier.pk,
            official=people.specialist_chi,
            agency=people.competent,
            items=SUPPLEMENT_ITEMS,
        )
    dossier.refresh_from_db()
    assert dossier.clock_paused_at == dt.datetime(2026, 3, 4, 3, tzinfo=dt.UTC)
    assert dossier.due_date == day_end(dt.date(2026, 3, 6))  # unchanged while paused
    with freeze_time("2026-03-09 03:00:00"):
        dossier_submit_supplement(dossier_id=dossier.pk, user=people.citizen_an)
        dossier.refresh_from_db()
        rows = dossier_steps(dossier)
    assert dossier.state == State.IN_PROGRESS and dossier.clock_paused_at is None
    assert dossier.due_date == day_end(dt.date(2026, 3, 11))
    event = dossier.events.get(action="submit_supplement")
    assert dt.datetime.fromisoformat(event.detail["previous_due"]) == day_end(dt.date(2026, 3, 6))
    last = rows[-1]
    assert last.step.kind == "return" and last.due_at == dossier.due_date
    assert all(row.due_at >= planned_before[row.step.pk] for row in rows)


# --- Bad input -------------------------------------------------------------------------------------------


def test_acting_from_a_stale_page_is_refused_and_changes_nothing(people):
    dossier = make_dossier(people.citizen_an)
    before = snapshot(dossier)
    with pytest.raises(StaleDossier) as refused:
        receive(people, dossier, expected_version=dossier.lock_version - 1)
    assert "vừa được cập nhật ở nơi khác" in transition_error_message(refused.value)
    assert snapshot(dossier) == before


def test_the_second_official_to_accept_is_told_it_is_already_done(people):
    dossier = make_dossier(people.citizen_an)
    shown = dossier.lock_version
    receive(people, dossier, expected_version=shown)
    for version in (shown, None):  # from the same page, or without a version
        with pytest.raises(AlreadyDone) as refused:
            receive(people, dossier, official=people.receptionist_em, expected_version=version)
        message = transition_error_message(refused.value)
        assert "Tiếp nhận hồ sơ" in message and "Trần Thị Bình" in message
    assert dossier.events.filter(action="receive").count() == 1


def test_acting_in_the_wrong_state_gets_a_clear_message_and_changes_nothing(people):
    dossier = dossier_in(people, State.RETURNED)
    before = snapshot(dossier)
    with pytest.raises(InvalidTransition) as refused:
        dossier_refuse(
            dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception, reason="x"
        )
    assert transition_error_message(refused.value) == (
        "Không thực hiện được thao tác này với hồ sơ ở trạng thái hiện tại."
    )
    assert snapshot(dossier) == before


def test_an_official_of_another_agency_cannot_accept_and_learns_nothing_more(people):
    dossier = make_dossier(people.citizen_an)
    receive(people, make_dossier(people.citizen_an))  # another dossier was accepted: no "already done" leak
    before = snapshot(dossier)
    with pytest.raises(NotPermitted) as refused:
        dossier_receive(dossier_id=dossier.pk, official=people.official_giang, agency=people.other)
    assert refused.value.message == "Hồ sơ này không thuộc cơ quan bạn đang làm việc."
    assert snapshot(dossier) == before
