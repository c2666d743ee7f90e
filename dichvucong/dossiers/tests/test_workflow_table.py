"""The state table, every allowed and forbidden transition of this issue (table-driven)."""

import itertools

import pytest

from dichvucong.dossiers.workflow import (
    OPEN_STATES,
    PREVIOUS,
    SYNC_CODE,
    TRANSITIONS,
    Actor,
    InvalidTransition,
    State,
    transition_target,
)

ALLOWED = {
    ("submit", State.DRAFT, Actor.APPLICANT): State.SUBMITTED,
    ("receive", State.SUBMITTED, Actor.RECEPTIONIST): State.RECEIVED,
    ("refuse", State.SUBMITTED, Actor.RECEPTIONIST): State.REFUSED,
    ("request_supplement", State.SUBMITTED, Actor.RECEPTIONIST): State.SUPPLEMENT_REQUESTED,
    ("request_supplement", State.RECEIVED, Actor.RECEPTIONIST): State.SUPPLEMENT_REQUESTED,
    ("request_supplement", State.IN_PROGRESS, Actor.RECEPTIONIST): State.SUPPLEMENT_REQUESTED,
    ("request_supplement", State.SUBMITTED, Actor.SPECIALIST): State.SUPPLEMENT_REQUESTED,
    ("request_supplement", State.RECEIVED, Actor.SPECIALIST): State.SUPPLEMENT_REQUESTED,
    ("request_supplement", State.IN_PROGRESS, Actor.SPECIALIST): State.SUPPLEMENT_REQUESTED,
    **{("withdraw", s, Actor.APPLICANT): State.WITHDRAWN for s in OPEN_STATES - {State.AWAITING_APPROVAL}},
}


@pytest.mark.parametrize(
    ("name", "state", "actor"),
    list(itertools.product(TRANSITIONS, State.values, Actor.values)),
)
def test_every_transition_is_allowed_exactly_where_the_table_says(name, state, actor):
    if name == "submit_supplement":
        return  # its target depends on the previous state: next test
    expected = ALLOWED.get((name, state, actor))
    if expected is None:
        with pytest.raises(InvalidTransition):
            transition_target(name, state=state, actor=actor)
    else:
        assert transition_target(name, state=state, actor=actor) == expected


@pytest.mark.parametrize("previous", [State.SUBMITTED, State.RECEIVED, State.IN_PROGRESS])
def test_a_supplement_returns_the_dossier_where_it_was(previous):
    target = transition_target(
        "submit_supplement", state=State.SUPPLEMENT_REQUESTED, actor=Actor.APPLICANT, previous_state=previous
    )
    assert target == previous
    assert TRANSITIONS["submit_supplement"].target == PREVIOUS


def test_a_supplement_cannot_return_to_a_closed_state_or_be_sent_by_an_official():
    with pytest.raises(InvalidTransition):
        transition_target(
            "submit_supplement",
            state=State.SUPPLEMENT_REQUESTED,
            actor=Actor.APPLICANT,
            previous_state=State.RETURNED,
        )
    with pytest.raises(InvalidTransition):
        transition_target(
            "submit_supplement",
            state=State.SUPPLEMENT_REQUESTED,
            actor=Actor.RECEPTIONIST,
            previous_state=State.RECEIVED,
        )


def test_every_state_but_draft_maps_to_one_of_the_ten_portal_codes():
    assert set(SYNC_CODE) == set(State.values)
    codes = {code for state, code in SYNC_CODE.items() if state != State.DRAFT}
    assert codes == set(range(1, 11))
