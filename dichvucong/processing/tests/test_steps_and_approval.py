"""Processing: forward, assignment to a person or the pool, hand-over between steps, transfer between
units, internal notes, payment, approval (granted, not granted, sent back) and stop — with form 6."""

import pytest

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.officials import make_official
from dichvucong.dossiers.models import DossierEvent
from dichvucong.dossiers.services.transitions import dossier_payment_received, transition_error_message
from dichvucong.dossiers.tests.factories import make_dossier
from dichvucong.dossiers.workflow import GuardFailed, Outcome, State
from dichvucong.notifications.models import Outbox
from dichvucong.processing.models import DossierStep, InternalNote
from dichvucong.processing.permissions import NotPermitted
from dichvucong.processing.selectors import Bucket, dossier_internal_notes, dossier_steps, inbox_list
from dichvucong.processing.services.approval import (
    dossier_approve,
    dossier_send_back,
    dossier_stop,
    dossier_submit_for_approval,
)
from dichvucong.processing.services.payment import dossier_payment_received_at_desk, dossier_request_payment
from dichvucong.processing.services.steps import (
    dossier_forward,
    dossier_transfer,
    internal_note_add,
    step_assign,
    step_hand_over,
)

from .helpers import dossier_in

pytestmark = pytest.mark.django_db


def current(dossier) -> DossierStep:
    return DossierStep.objects.get(dossier=dossier, received_at__isnull=False, finished_at__isnull=True)


def test_forwarding_to_the_pool_tells_every_specialist_and_anyone_of_them_may_take_it(people):
    colleague = make_official(
        "lan.ho", full_name="Hồ Thị Lan", agency=people.competent, roles=[StaffRole.SPECIALIST]
    )
    dossier = dossier_in(people, State.RECEIVED)
    step = dossier_forward(dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception)
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS and dossier.handling_agency == people.competent
    assert step.assigned_to is None and dossier.assigned_to is None
    told = set(Outbox.objects.filter(event="dossier_assigned").values_list("recipient", flat=True))
    assert {people.specialist_chi.pk, colleague.pk} <= told
    step_assign(dossier_id=dossier.pk, official=colleague, agency=people.competent, assignee=colleague)
    dossier.refresh_from_db()
    assert dossier.assigned_to == colleague and current(dossier).assigned_to == colleague
    assert list(inbox_list(official=colleague, agency=people.competent, bucket=Bucket.ASSIGNED_TO_ME)) == [
        dossier
    ]
    with pytest.raises(NotPermitted):  # held by Lan now: Chi may not take it or act on it
        step_assign(
            dossier_id=dossier.pk,
            official=people.specialist_chi,
            agency=people.competent,
            assignee=people.specialist_chi,
        )
    with pytest.raises(NotPermitted) as refused:
        dossier_submit_for_approval(
            dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent
        )
    assert "Hồ Thị Lan" in refused.value.message


def test_a_leader_assigns_to_someone_with_the_steps_role_only(people):
    dossier = dossier_in(people, State.IN_PROGRESS)
    with pytest.raises(NotPermitted):
        step_assign(
            dossier_id=dossier.pk,
            official=people.approver_dung,
            agency=people.competent,
            assignee=people.receptionist_binh,
        )
    step_assign(dossier_id=dossier.pk, official=people.approver_dung, agency=people.competent, assignee=None)
    dossier.refresh_from_db()
    assert dossier.assigned_to is None and dossier.events.filter(action="assign").count() == 1


def test_hand_over_is_for_steps_in_the_same_state_only(people):
    dossier = dossier_in(people, State.IN_PROGRESS)
    with pytest.raises(GuardFailed) as refused:
        step_hand_over(dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent)
    assert "trình ký" in transition_error_message(refused.value)
    dossier = dossier_in(people, State.RESULT_READY)
    issued = step_hand_over(dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent)
    dossier.refresh_from_db()
    assert issued.kind == "return" and issued.agency == people.reception
    assert dossier.state == State.RESULT_READY and dossier.handling_agency == people.reception
    assert list(
        inbox_list(official=people.receptionist_binh, agency=people.reception, bucket=Bucket.RESULT_READY)
    ) == [dossier]


def test_a_transfer_moves_the_step_to_another_unit_which_may_then_act(people):
    dossier = dossier_in(people, State.IN_PROGRESS)
    step = dossier_transfer(
        dossier_id=dossier.pk,
        official=people.specialist_chi,
        agency=people.competent,
        to_agency=people.other,
        note="Xin ý kiến phối hợp.",
    )
    dossier.refresh_from_db()
    assert step.agency == people.other and dossier.handling_agency == people.other
    rows = [row.step for row in dossier_steps(dossier) if row.step.received_at]
    assert [(r.kind, r.agency.code) for r in rows[-2:]] == [
        ("processing", "10993.ubnd"),
        ("processing", "10507.ttpvhcc"),
    ]
    assert rows[-2].result_note == "Xin ý kiến phối hợp."
    assert list(
        inbox_list(official=people.official_giang, agency=people.other, bucket=Bucket.IN_PROGRESS)
    ) == [dossier]
    with pytest.raises(NotPermitted):  # no longer on the committee's desk
        dossier_submit_for_approval(
            dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent
        )
    dossier_submit_for_approval(dossier_id=dossier.pk, official=people.official_giang, agency=people.other)
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_APPROVAL and dossier.handling_agency == people.competent
    with pytest.raises(GuardFailed):
        dossier_transfer(
            dossier_id=dossier.pk,
            official=people.approver_dung,
            agency=people.competent,
            to_agency=people.competent,
            note="",
        )


def test_internal_notes_stay_among_officials(people):
    dossier = dossier_in(people, State.IN_PROGRESS)
    note = internal_note_add(
        dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent, body="Đã gọi điện."
    )
    assert dossier_internal_notes(dossier) == [note]
    assert not DossierEvent.objects.filter(dossier=dossier, note__contains="Đã gọi điện").exists()
    with pytest.raises(GuardFailed):
        internal_note_add(
            dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent, body=" "
        )
    with pytest.raises(NotPermitted):
        internal_note_add(
            dossier_id=dossier.pk, official=people.official_giang, agency=people.other, body="x"
        )
    assert InternalNote.objects.count() == 1


def test_a_payment_request_waits_for_the_payment_then_processing_resumes(people):
    dossier = dossier_in(people, State.IN_PROGRESS)
    with pytest.raises(GuardFailed):
        dossier_request_payment(
            dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent, amount=0
        )
    dossier_request_payment(
        dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent, amount=1_250_000
    )
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_PAYMENT and dossier.amount_due == 1_250_000
    assert (
        Outbox.objects.get(event="payment_requested", recipient=people.citizen_an, channel="inapp").context[
            "amount"
        ]
        == "1.250.000 đ"
    )
    assert list(
        inbox_list(official=people.specialist_chi, agency=people.competent, bucket=Bucket.WAITING_PAYMENT)
    ) == [dossier]
    dossier_payment_received_at_desk(
        dossier_id=dossier.pk,
        official=people.receptionist_binh,
        agency=people.reception,
        receipt_number="BL-0001",
    )
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS and dossier.paid_at
    assert dossier.events.get(action="payment_received").detail["reference"] == "BL-0001"


def test_the_payments_app_resumes_a_dossier_as_the_system(people):
    dossier = dossier_in(people, State.AWAITING_PAYMENT)
    dossier_payment_received(dossier_id=dossier.pk, reference="VNP-123")
    dossier.refresh_from_db()
    event = dossier.events.get(action="payment_received")
    assert dossier.state == State.IN_PROGRESS and (event.actor, event.actor_role) == (None, "system")


def test_sending_back_adds_a_rework_row_for_the_specialist_who_submitted(people):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    with pytest.raises(GuardFailed):
        dossier_send_back(
            dossier_id=dossier.pk, official=people.approver_dung, agency=people.competent, reason=""
        )
    rework = dossier_send_back(
        dossier_id=dossier.pk,
        official=people.approver_dung,
        agency=people.competent,
        reason="Thiếu trích lục.",
    )
    dossier.refresh_from_db()
    assert dossier.state == State.IN_PROGRESS and rework.assigned_to == people.specialist_chi
    assert rework.kind == "processing" and rework.handed_over_by == people.approver_dung
    again = dossier_submit_for_approval(
        dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent
    )
    kinds = [row.step.kind for row in dossier_steps(dossier) if row.step.received_at]
    assert kinds == ["reception", "processing", "approval", "processing", "approval"]
    assert again.assigned_to is None  # the approvers' pool


def test_not_granted_needs_the_reason_which_the_citizen_reads(people):
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    with pytest.raises(GuardFailed) as refused:
        dossier_approve(
            dossier_id=dossier.pk,
            official=people.approver_dung,
            agency=people.competent,
            outcome=Outcome.NOT_GRANTED,
        )
    assert transition_error_message(refused.value) == "Hãy nêu lý do không giải quyết."
    dossier_approve(
        dossier_id=dossier.pk,
        official=people.approver_dung,
        agency=people.competent,
        outcome=Outcome.NOT_GRANTED,
        reason="Người yêu cầu không thuộc đối tượng.",
    )
    dossier.refresh_from_db()
    assert (
        dossier.state == State.RESULT_READY and dossier.outcome == Outcome.NOT_GRANTED and dossier.finished_at
    )
    assert dossier.events.get(action="approve").note == "Người yêu cầu không thuộc đối tượng."
    assert Outbox.objects.filter(event="result_ready", recipient=people.citizen_an).exists()


@pytest.mark.parametrize(
    "state", [State.RECEIVED, State.SUPPLEMENT_REQUESTED, State.AWAITING_PAYMENT, State.AWAITING_APPROVAL]
)
def test_stopping_records_the_reason_ends_the_step_and_releases_the_clock(people, state):
    dossier = dossier_in(people, state)
    dossier_stop(
        dossier_id=dossier.pk, official=people.approver_dung, agency=people.competent, reason="Trùng hồ sơ."
    )
    dossier.refresh_from_db()
    assert dossier.state == State.STOPPED and dossier.stopped_at and dossier.clock_paused_at is None
    assert dossier.events.get(action="stop").note == "Trùng hồ sơ."
    assert not DossierStep.objects.filter(
        dossier=dossier, received_at__isnull=False, finished_at__isnull=True
    ).exists()
    assert Outbox.objects.filter(event="dossier_stopped", recipient=people.citizen_an).exists()


def test_a_dossier_received_before_the_back_office_existed_still_moves_on(people):
    """Dossiers without planned steps (imported, or made by the dossiers factories) get rows as they go."""
    dossier = make_dossier(people.citizen_an, received=True)
    step = dossier_forward(
        dossier_id=dossier.pk,
        official=people.receptionist_binh,
        agency=people.reception,
        assignee=people.specialist_chi,
    )
    assert (step.kind, step.role, step.agency) == ("processing", "specialist", people.competent)
    dossier_submit_for_approval(
        dossier_id=dossier.pk, official=people.specialist_chi, agency=people.competent
    )
    dossier.refresh_from_db()
    assert dossier.state == State.AWAITING_APPROVAL and current(dossier).role == "approver"
