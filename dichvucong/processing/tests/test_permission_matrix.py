"""The permission matrix, one combination per test, through the services: every back-office action ×
every staff role × the dossier's own agency or another one. A refusal raises NotPermitted and changes
nothing; an allowed action does what the state table says. The pure function is checked the same way."""

import itertools

import pytest

from dichvucong.accounts.models import StaffRole
from dichvucong.accounts.tests.factories import make_citizen
from dichvucong.accounts.tests.officials import make_official
from dichvucong.directory.models import Agency
from dichvucong.documents.models import FileKind
from dichvucong.documents.services import stored_file_create_from_bytes
from dichvucong.documents.tests.corpus import pdf_bytes
from dichvucong.dossiers.models import Dossier, DossierEvent
from dichvucong.dossiers.tests.factories import SUPPLEMENT_ITEMS, default_offering, make_dossier
from dichvucong.dossiers.workflow import Outcome, State
from dichvucong.processing.permissions import BACK_OFFICE_ACTIONS, NotPermitted, action_roles, official_may
from dichvucong.processing.selectors import dossier_get_for_agency
from dichvucong.processing.services import approval, deadlines, delivery, payment, reception, steps

from .helpers import step

pytestmark = pytest.mark.django_db
R, S, A, ADMIN = StaffRole.RECEPTIONIST, StaffRole.SPECIALIST, StaffRole.APPROVER, StaffRole.AGENCY_ADMIN


def pooled(people, state) -> Dossier:
    """A dossier in `state` whose current step is in its pool (no one holds it), through the services."""
    dossier = make_dossier(people.citizen_an)
    if state == State.SUBMITTED:
        return dossier
    dossier = step(people, dossier, "receive")
    if state == State.RECEIVED:
        steps.step_assign(dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception)
        return Dossier.objects.get(pk=dossier.pk)
    steps.dossier_forward(dossier_id=dossier.pk, official=people.receptionist_binh, agency=people.reception)
    chi, committee = people.specialist_chi, people.competent
    if state == State.AWAITING_PAYMENT:
        payment.dossier_request_payment(dossier_id=dossier.pk, official=chi, agency=committee, amount=8000)
    if state in (State.AWAITING_APPROVAL, State.RESULT_READY):
        approval.dossier_submit_for_approval(dossier_id=dossier.pk, official=chi, agency=committee)
    if state == State.RESULT_READY:
        approval.dossier_approve(
            dossier_id=dossier.pk, official=people.approver_dung, agency=committee, outcome=Outcome.GRANTED
        )
    dossier = Dossier.objects.get(pk=dossier.pk)
    assert dossier.state == state and dossier.assigned_to is None
    return dossier


def _result_file(dossier):
    return stored_file_create_from_bytes(
        owner=None, content=pdf_bytes(), filename="kq.pdf", kind=FileKind.RESULT
    )


# action: (state of the dossier, the agency whose officials it belongs to, roles allowed, the call)
CASES = {
    "receive": (
        State.SUBMITTED,
        "reception",
        {R},
        lambda d, o, a, p: reception.dossier_receive(dossier_id=d.pk, official=o, agency=a),
    ),
    "refuse": (
        State.SUBMITTED,
        "reception",
        {R},
        lambda d, o, a, p: reception.dossier_refuse(
            dossier_id=d.pk, official=o, agency=a, reason="Sai thẩm quyền."
        ),
    ),
    "request_supplement": (
        State.IN_PROGRESS,
        "competent",
        {R, S},
        lambda d, o, a, p: reception.dossier_ask_for_supplement(
            dossier_id=d.pk, official=o, agency=a, items=SUPPLEMENT_ITEMS
        ),
    ),
    "forward": (
        State.RECEIVED,
        "reception",
        {R},
        lambda d, o, a, p: steps.dossier_forward(dossier_id=d.pk, official=o, agency=a),
    ),
    "assign": (
        State.IN_PROGRESS,
        "competent",
        {S, A},  # receptionists may assign only steps of their own role
        lambda d, o, a, p: steps.step_assign(dossier_id=d.pk, official=o, agency=a, assignee=None),
    ),
    "hand_over": (
        State.RESULT_READY,
        "competent",
        {S, A},
        lambda d, o, a, p: steps.step_hand_over(dossier_id=d.pk, official=o, agency=a),
    ),
    "transfer": (
        State.IN_PROGRESS,
        "competent",
        {S, A},
        lambda d, o, a, p: steps.dossier_transfer(
            dossier_id=d.pk, official=o, agency=a, to_agency=p.other, note="Phối hợp."
        ),
    ),
    "add_note": (
        State.IN_PROGRESS,
        "competent",
        {R, S, A},
        lambda d, o, a, p: steps.internal_note_add(dossier_id=d.pk, official=o, agency=a, body="Ghi chú."),
    ),
    "request_payment": (
        State.IN_PROGRESS,
        "competent",
        {S},
        lambda d, o, a, p: payment.dossier_request_payment(
            dossier_id=d.pk, official=o, agency=a, amount=8000
        ),
    ),
    "payment_received": (
        State.AWAITING_PAYMENT,
        "reception",
        {R},
        lambda d, o, a, p: payment.dossier_payment_received_at_desk(dossier_id=d.pk, official=o, agency=a),
    ),
    "submit_for_approval": (
        State.IN_PROGRESS,
        "competent",
        {S},
        lambda d, o, a, p: approval.dossier_submit_for_approval(dossier_id=d.pk, official=o, agency=a),
    ),
    "send_back": (
        State.AWAITING_APPROVAL,
        "competent",
        {A},
        lambda d, o, a, p: approval.dossier_send_back(
            dossier_id=d.pk, official=o, agency=a, reason="Làm lại."
        ),
    ),
    "approve": (
        State.AWAITING_APPROVAL,
        "competent",
        {A},
        lambda d, o, a, p: approval.dossier_approve(
            dossier_id=d.pk, official=o, agency=a, outcome=Outcome.GRANTED
        ),
    ),
    "stop": (
        State.IN_PROGRESS,
        "competent",
        {S, A},
        lambda d, o, a, p: approval.dossier_stop(dossier_id=d.pk, official=o, agency=a, reason="Dừng."),
    ),
    "extend": (
        State.IN_PROGRESS,
        "competent",
        {S, A},
        lambda d, o, a, p: deadlines.dossier_extend(
            dossier_id=d.pk,
            official=o,
            agency=a,
            reason="Xác minh.",
            new_due=d.due_date.date().replace(year=d.due_date.year + 1),
            approver=p.approver_dung if a == p.competent else None,
        ),
    ),
    "return_result": (
        State.RESULT_READY,
        "reception",
        {R},
        lambda d, o, a, p: delivery.dossier_return_result(
            dossier_id=d.pk, official=o, agency=a, method="post", tracking_number="EA1"
        ),
    ),
    "attach_result": (
        State.RESULT_READY,
        "competent",
        {R, S, A},
        lambda d, o, a, p: delivery.dossier_result_attach(
            dossier_id=d.pk, official=o, agency=a, stored_file=_result_file(d)
        ),
    ),
}


def test_the_matrix_covers_every_back_office_action_on_a_dossier():
    assert set(CASES) | {"walk_in", "submit_at_desk", "view"} == set(BACK_OFFICE_ACTIONS)


@pytest.mark.parametrize(
    ("action", "role", "side"), list(itertools.product(sorted(CASES), [R, S, A, ADMIN], ["own", "other"]))
)
def test_an_action_is_allowed_exactly_for_its_roles_in_the_dossiers_agency(people, action, role, side):
    state, owner, allowed_roles, call = CASES[action]
    dossier = pooled(people, state)
    agency = people[owner] if side == "own" else people.other
    official = make_official(f"matrix.{role}", full_name="Cán bộ Kiểm thử", agency=agency, roles=[role])
    before = (dossier.state, dossier.lock_version, DossierEvent.objects.filter(dossier=dossier).count())
    if side == "own" and role in allowed_roles:
        call(dossier, official, agency, people)
        dossier.refresh_from_db()
        assert DossierEvent.objects.filter(dossier=dossier).count() > before[2] or action == "add_note"
        assert dossier.lock_version > before[1] or action == "add_note"
    else:
        with pytest.raises(NotPermitted) as refused:
            call(dossier, official, agency, people)
        assert refused.value.message
        dossier.refresh_from_db()
        assert (
            dossier.state,
            dossier.lock_version,
            DossierEvent.objects.filter(dossier=dossier).count(),
        ) == before


@pytest.mark.parametrize(("role", "side"), list(itertools.product([R, S, A, ADMIN], ["own", "other"])))
def test_only_a_receptionist_of_the_province_creates_a_walk_in_dossier(people, role, side):
    outside = (
        Agency.objects.exclude(province=people.reception.province).filter(code__endswith=".ttpvhcc").first()
    )
    agency = people.reception if side == "own" else outside
    official = make_official(f"walkin.{role}", full_name="Cán bộ Kiểm thử", agency=agency, roles=[role])
    citizen = make_citizen(full_name="Lý Văn Minh")
    create = lambda: reception.walk_in_dossier_create(  # noqa: E731
        official=official,
        agency=agency,
        offering=default_offering(),
        applicant=reception.WalkInApplicant(personal_id=citizen.personal_id),
    )
    if role == R and side == "own":
        assert create().state == State.RECEIVED
    elif role == R:
        with pytest.raises(reception.WalkInError):  # a receptionist, but of another province
            create()
    else:
        with pytest.raises(NotPermitted):
            create()


@pytest.mark.parametrize(
    ("role", "side"), list(itertools.product([R, S, A, ADMIN], ["reception", "competent", "other"]))
)
def test_officials_read_only_their_agencys_dossiers(people, role, side):
    dossier = pooled(people, State.IN_PROGRESS)
    agency = people[side]
    official = make_official(f"view.{role}", full_name="Cán bộ Kiểm thử", agency=agency, roles=[role])
    found = dossier_get_for_agency(official=official, agency=agency, code=dossier.code)
    assert (found == dossier) == (role != ADMIN and side != "other")


@pytest.mark.parametrize(("action", "roles"), [(a, action_roles(a)) for a in BACK_OFFICE_ACTIONS])
def test_the_pure_rule_needs_a_role_and_the_agency(action, roles):
    for role in [R, S, A, ADMIN]:
        assert official_may(roles={role}, action=action, agency_id=1, dossier_agencies={1, 2}) == (
            role in roles
        )
        assert not official_may(roles={role}, action=action, agency_id=3, dossier_agencies={1, 2})
        assert not official_may(roles={role}, action=action, agency_id=None, dossier_agencies={1, 2})
