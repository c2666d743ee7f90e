"""Every state reached through the real services, with the invariants each service keeps."""

import pytest

from dichvucong.dossiers.models import DossierEvent
from dichvucong.dossiers.workflow import SYNC_CODE, State
from dichvucong.processing.models import DossierStep

from .helpers import PATH, dossier_in

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", sorted(PATH))
def test_each_state_is_reached_by_services_with_one_event_per_state_change(people, state):
    dossier = dossier_in(people, state)
    changes = DossierEvent.objects.filter(dossier=dossier).exclude(to_state="")
    path = [e.to_state for e in changes.order_by("created_at", "id")]
    assert path[-1] == state
    assert len(path) == len(PATH[State(state)]) + 1  # the submission, then one per service
    for before, after in zip(path, path[1:], strict=False):
        assert before != after
    assert SYNC_CODE[State(state)] is not None
    assert (dossier.clock_paused_at is not None) == (state == State.SUPPLEMENT_REQUESTED)
    assert (
        dossier.lock_version
        == len(path)
        + DossierEvent.objects.filter(dossier=dossier, to_state="")
        .exclude(action__in=["supplement_file_added", "supplement_file_removed", "message"])
        .count()
    )


def test_the_happy_path_keeps_form_6_from_reception_to_return(people):
    dossier = dossier_in(people, State.RETURNED)
    rows = list(DossierStep.objects.filter(dossier=dossier).order_by("received_at", "id"))
    assert [r.kind for r in rows] == ["reception", "processing", "approval", "issuance", "return"]
    assert all(r.received_at and r.finished_at and r.timeliness for r in rows)
    reception, processing, approval = rows[:3]
    assert reception.handed_over_by == dossier.applicant and reception.assigned_to == people.receptionist_binh
    assert (
        processing.handed_over_by == people.receptionist_binh
        and processing.assigned_to == people.specialist_chi
    )
    assert approval.handed_over_by == people.specialist_chi and approval.assigned_to == people.approver_dung
    assert [r.agency for r in rows] == [
        people.reception,
        people.competent,
        people.competent,
        people.competent,
        people.reception,
    ]
    assert dossier.returned_at and dossier.finished_at and dossier.outcome == "granted"
