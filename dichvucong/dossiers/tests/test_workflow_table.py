"""The state table: every allowed and forbidden (transition × state × actor) combination, written out
here independently of workflow.py (table-driven), then a hypothesis state machine over the table."""

import datetime as dt
import itertools

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from dichvucong.dossiers.workflow import (
    CLOCK_RUNNING_STATES,
    DESK_STATES,
    OPEN_STATES,
    PREVIOUS,
    SAME,
    SYNC_CODE,
    TERMINAL_STATES,
    TRANSITIONS,
    Actor,
    GuardFailed,
    InvalidTransition,
    Outcome,
    State,
    transition_check,
    transition_target,
    transitions_available,
)

S = State
APPLICANT, RECEPTIONIST, SPECIALIST, APPROVER, SYSTEM = (
    Actor.APPLICANT,
    Actor.RECEPTIONIST,
    Actor.SPECIALIST,
    Actor.APPROVER,
    Actor.SYSTEM,
)
AFTER_RECEPTION = [S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT, S.AWAITING_APPROVAL]
RUNNING = [S.RECEIVED, S.IN_PROGRESS, S.AWAITING_PAYMENT, S.AWAITING_APPROVAL]
ON_DESK = [*AFTER_RECEPTION, S.RESULT_READY]
NOT_DRAFT = [s for s in S.values if s != S.DRAFT]


def _rows(name, states, actors, target):
    return {
        (name, state, actor): (state if target == SAME else target) for state in states for actor in actors
    }


# (transition, state, actor) → the state it leads to. Everything else is forbidden.
ALLOWED = {
    **_rows("submit", [S.DRAFT], [APPLICANT], S.SUBMITTED),
    **_rows("submit_at_desk", [S.DRAFT], [RECEPTIONIST], S.SUBMITTED),
    **_rows("receive", [S.SUBMITTED], [RECEPTIONIST], S.RECEIVED),
    **_rows("refuse", [S.SUBMITTED], [RECEPTIONIST], S.REFUSED),
    **_rows(
        "request_supplement",
        [S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS],
        [RECEPTIONIST, SPECIALIST],
        S.SUPPLEMENT_REQUESTED,
    ),
    **_rows(
        "withdraw",
        [S.SUBMITTED, S.RECEIVED, S.IN_PROGRESS, S.SUPPLEMENT_REQUESTED, S.AWAITING_PAYMENT],
        [APPLICANT],
        S.WITHDRAWN,
    ),
    **_rows("forward", [S.RECEIVED], [RECEPTIONIST], S.IN_PROGRESS),
    **_rows("request_payment", [S.IN_PROGRESS], [SPECIALIST], S.AWAITING_PAYMENT),
    **_rows("payment_received", [S.AWAITING_PAYMENT], [SYSTEM, APPLICANT, RECEPTIONIST], S.IN_PROGRESS),
    **_rows("submit_for_approval", [S.IN_PROGRESS], [SPECIALIST], S.AWAITING_APPROVAL),
    **_rows("send_back", [S.AWAITING_APPROVAL], [APPROVER], S.IN_PROGRESS),
    **_rows("approve", [S.AWAITING_APPROVAL], [APPROVER], S.RESULT_READY),
    **_rows("stop", AFTER_RECEPTION, [SPECIALIST, APPROVER], S.STOPPED),
    **_rows("return_result", [S.RESULT_READY], [RECEPTIONIST, SYSTEM], S.RETURNED),
    **_rows("extend", RUNNING, [SPECIALIST, APPROVER], SAME),
    **_rows("assign", ON_DESK, [RECEPTIONIST, SPECIALIST, APPROVER], SAME),
    **_rows("hand_over", [S.IN_PROGRESS, S.AWAITING_APPROVAL, S.RESULT_READY], [SPECIALIST, APPROVER], SAME),
    **_rows("transfer", AFTER_RECEPTION, [SPECIALIST, APPROVER], SAME),
    **_rows("add_note", NOT_DRAFT, [RECEPTIONIST, SPECIALIST, APPROVER], SAME),
    **_rows("rate", [S.RETURNED], [APPLICANT], SAME),
    **_rows("attach_result", [S.RESULT_READY], [RECEPTIONIST, SPECIALIST, APPROVER], SAME),
}
# The facts that satisfy each guard (the guards themselves are tested below).
GOOD_FACTS = {
    "refuse": {"reason": "Hồ sơ không thuộc thẩm quyền."},
    "request_supplement": {"items": [{"name": "Giấy chứng sinh", "reason": "Ảnh mờ."}]},
    "request_payment": {"amount": 8000},
    "send_back": {"reason": "Thiếu chữ ký."},
    "approve": {"outcome": Outcome.GRANTED},
    "stop": {"reason": "Người yêu cầu đã chết."},
    "return_result": {"method": "online"},
    "extend": {
        "reason": "Cần xác minh thêm.",
        "new_due": dt.datetime(2026, 3, 10, 17, tzinfo=dt.UTC),
        "due": dt.datetime(2026, 3, 5, 17, tzinfo=dt.UTC),
        "approver": 1,
    },
    "transfer": {"to_agency": 2, "from_agency": 1},
    "add_note": {"body": "Đã gọi điện cho người nộp."},
}


def test_the_spec_names_every_transition_of_the_table():
    assert {name for name, _state, _actor in ALLOWED} | {"submit_supplement"} == set(TRANSITIONS)


@pytest.mark.parametrize(
    ("name", "state", "actor"),
    [c for c in itertools.product(TRANSITIONS, State.values, Actor.values) if c[0] != "submit_supplement"],
)
def test_every_transition_is_allowed_exactly_where_the_table_says(name, state, actor):
    expected = ALLOWED.get((name, state, actor))
    if expected is None:
        with pytest.raises(InvalidTransition):
            transition_target(name, state=state, actor=actor)
        with pytest.raises(InvalidTransition):
            transition_check(name, state=state, actor=actor, **GOOD_FACTS.get(name, {}))
    else:
        assert transition_target(name, state=state, actor=actor) == expected
        assert transition_check(name, state=state, actor=actor, **GOOD_FACTS.get(name, {})) == expected


@pytest.mark.parametrize("previous", [State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS])
def test_a_supplement_returns_the_dossier_where_it_was(previous):
    target = transition_target(
        "submit_supplement", state=State.SUPPLEMENT_REQUESTED, actor=Actor.APPLICANT, previous_state=previous
    )
    assert target == previous
    assert TRANSITIONS["submit_supplement"].target == PREVIOUS


@pytest.mark.parametrize(("state", "actor"), list(itertools.product(State.values, Actor.values)))
def test_submit_supplement_is_the_applicants_and_only_while_a_supplement_is_awaited(state, actor):
    if state == State.SUPPLEMENT_REQUESTED and actor == Actor.APPLICANT:
        assert transition_target("submit_supplement", state=state, actor=actor, previous_state=S.RECEIVED)
    else:
        with pytest.raises(InvalidTransition):
            transition_target("submit_supplement", state=state, actor=actor, previous_state=S.RECEIVED)


@pytest.mark.parametrize("previous", sorted(set(State.values) - (OPEN_STATES - {State.SUPPLEMENT_REQUESTED})))
def test_a_supplement_cannot_return_to_a_closed_state(previous):
    with pytest.raises(InvalidTransition):
        transition_target(
            "submit_supplement",
            state=State.SUPPLEMENT_REQUESTED,
            actor=Actor.APPLICANT,
            previous_state=previous,
        )


def test_every_state_but_draft_maps_to_one_of_the_ten_portal_codes():
    assert set(SYNC_CODE) == set(State.values)
    codes = {code for state, code in SYNC_CODE.items() if state != State.DRAFT}
    assert codes == set(range(1, 11))


def test_terminal_states_keep_only_notes_and_the_rating():
    for state in TERMINAL_STATES:
        for actor in Actor.values:
            for transition in transitions_available(state, actor):
                assert not transition.changes_state
                assert transition.name in {"add_note", "rate"}


def test_the_state_groups_are_consistent():
    assert CLOCK_RUNNING_STATES < OPEN_STATES
    assert State.SUPPLEMENT_REQUESTED not in CLOCK_RUNNING_STATES
    assert (OPEN_STATES - {State.SUBMITTED}) | {State.RESULT_READY} == DESK_STATES
    assert not TERMINAL_STATES & (OPEN_STATES | {State.RESULT_READY, State.DRAFT})


# --- Guards ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "state", "actor", "facts"),
    [
        ("refuse", S.SUBMITTED, RECEPTIONIST, {"reason": "  "}),
        ("request_supplement", S.RECEIVED, RECEPTIONIST, {"items": []}),
        ("request_supplement", S.RECEIVED, RECEPTIONIST, {"items": [{"name": "Giấy chứng sinh"}]}),
        ("request_supplement", S.RECEIVED, RECEPTIONIST, {"items": [{"name": "", "reason": "Mờ"}]}),
        ("request_payment", S.IN_PROGRESS, SPECIALIST, {"amount": 0}),
        ("request_payment", S.IN_PROGRESS, SPECIALIST, {"amount": -5}),
        ("request_payment", S.IN_PROGRESS, SPECIALIST, {"amount": "8000"}),
        ("request_payment", S.IN_PROGRESS, SPECIALIST, {"amount": True}),
        ("send_back", S.AWAITING_APPROVAL, APPROVER, {}),
        ("approve", S.AWAITING_APPROVAL, APPROVER, {"outcome": "maybe"}),
        ("approve", S.AWAITING_APPROVAL, APPROVER, {"outcome": Outcome.NOT_GRANTED}),
        ("stop", S.IN_PROGRESS, SPECIALIST, {"reason": ""}),
        ("return_result", S.RESULT_READY, RECEPTIONIST, {"method": "pigeon"}),
        ("return_result", S.RESULT_READY, RECEPTIONIST, {"method": "post"}),
        ("return_result", S.RESULT_READY, RECEPTIONIST, {"method": "desk"}),
        ("extend", S.IN_PROGRESS, SPECIALIST, {**GOOD_FACTS["extend"], "reason": ""}),
        (
            "extend",
            S.IN_PROGRESS,
            SPECIALIST,
            {**GOOD_FACTS["extend"], "new_due": GOOD_FACTS["extend"]["due"]},
        ),
        ("extend", S.IN_PROGRESS, SPECIALIST, {**GOOD_FACTS["extend"], "approver": None}),
        ("transfer", S.IN_PROGRESS, SPECIALIST, {"to_agency": 1, "from_agency": 1}),
        ("add_note", S.IN_PROGRESS, SPECIALIST, {"body": " "}),
        ("rate", S.RETURNED, APPLICANT, {"already_rated": True}),
    ],
)
def test_a_guard_refuses_bad_facts_with_a_message(name, state, actor, facts):
    with pytest.raises(GuardFailed) as refused:
        transition_check(name, state=state, actor=actor, **facts)
    assert str(refused.value.message).strip()


def test_not_granted_passes_with_a_reason_and_post_with_a_tracking_number():
    assert (
        transition_check(
            "approve",
            state=S.AWAITING_APPROVAL,
            actor=APPROVER,
            outcome=Outcome.NOT_GRANTED,
            reason="Sai đối tượng",
        )
        == S.RESULT_READY
    )
    assert (
        transition_check(
            "return_result", state=S.RESULT_READY, actor=RECEPTIONIST, method="post", tracking_number="EE1"
        )
        == S.RETURNED
    )


# --- Hypothesis: random walks over the table ------------------------------------------------------------


class TableMachine(RuleBasedStateMachine):
    """A dossier driven by random (transition, actor) pairs through the table alone: every move the
    table allows matches the spec, every other one is refused and changes nothing."""

    def __init__(self):
        super().__init__()
        self.state = State.DRAFT
        self.before_supplement = None
        self.clock_paused = False

    @rule(data=st.data())
    def move_as_the_spec_allows(self, data):
        """Walk deep: pick one of the moves the spec allows from here (the table must agree)."""
        allowed = sorted((n, a) for n, s, a in ALLOWED if s == self.state)
        if self.state == State.SUPPLEMENT_REQUESTED:
            allowed.append(("submit_supplement", APPLICANT))
        if allowed:
            self.fire(*data.draw(st.sampled_from(allowed)))

    @rule(name=st.sampled_from(sorted(TRANSITIONS)), actor=st.sampled_from(Actor.values))
    def fire(self, name, actor):
        expected = ALLOWED.get((name, self.state, actor))
        if name == "submit_supplement" and self.state == State.SUPPLEMENT_REQUESTED and actor == APPLICANT:
            expected = self.before_supplement
        try:
            target = transition_check(
                name,
                state=self.state,
                actor=actor,
                previous_state=self.before_supplement,
                **GOOD_FACTS.get(name, {}),
            )
        except InvalidTransition:
            assert expected is None, (name, self.state, actor)
            return
        assert target == expected, (name, self.state, actor)
        if name == "request_supplement":
            self.before_supplement, self.clock_paused = self.state, True
        elif target != State.SUPPLEMENT_REQUESTED:
            self.before_supplement, self.clock_paused = None, False
        self.state = target

    @invariant()
    def every_state_has_a_sync_code(self):
        assert self.state in SYNC_CODE
        assert (SYNC_CODE[self.state] is None) == (self.state == State.DRAFT)

    @invariant()
    def the_clock_is_paused_exactly_while_a_supplement_is_awaited(self):
        assert self.clock_paused == (self.state == State.SUPPLEMENT_REQUESTED)

    @invariant()
    def a_terminal_state_offers_no_way_out(self):
        if self.state in TERMINAL_STATES:
            for actor in Actor.values:
                assert all(not t.changes_state for t in transitions_available(self.state, actor))


TestTableMachine = TableMachine.TestCase
TestTableMachine.settings = settings(max_examples=300, stateful_step_count=40, deadline=None)
