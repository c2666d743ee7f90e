"""Two officials acting at the same moment (two threads, two database connections): one transition, one
event, and one clear refusal. PostgreSQL: the row lock; SQLite: IMMEDIATE transactions serialise."""

import threading

import pytest
from django.db import close_old_connections

from dichvucong.dossiers.models import DossierEvent
from dichvucong.dossiers.services.transitions import transition_error_message
from dichvucong.dossiers.tests.factories import make_dossier
from dichvucong.dossiers.workflow import AlreadyDone, InvalidTransition, Outcome, State
from dichvucong.processing.models import DossierStep
from dichvucong.processing.services.approval import dossier_approve, dossier_stop
from dichvucong.processing.services.reception import dossier_receive

from .helpers import dossier_in, make_people


def run_at_once(*actions):
    barrier, outcomes = threading.Barrier(len(actions)), [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            outcomes[index] = action()
        except InvalidTransition as exc:
            outcomes[index] = exc
        finally:
            close_old_connections()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_two_receptionists_accepting_at_once_make_one_event_and_one_already_done(reference_data):
    people = make_people()
    dossier = make_dossier(people.citizen_an)
    version = dossier.lock_version

    def accept(official):
        return lambda: dossier_receive(
            dossier_id=dossier.pk, official=official, agency=people.reception, expected_version=version
        )

    outcomes = run_at_once(accept(people.receptionist_binh), accept(people.receptionist_em))
    refused = [o for o in outcomes if isinstance(o, InvalidTransition)]
    assert len(refused) == 1 and isinstance(refused[0], AlreadyDone)
    assert "đã được" in transition_error_message(refused[0])
    assert DossierEvent.objects.filter(dossier=dossier, action="receive").count() == 1
    assert DossierStep.objects.filter(dossier=dossier, kind="reception").count() == 1
    dossier.refresh_from_db()
    assert dossier.state == State.RECEIVED and dossier.lock_version == version + 1


@pytest.mark.django_db(transaction=True)
def test_approving_and_stopping_at_once_leave_exactly_one_of_them(reference_data):
    people = make_people()
    dossier = dossier_in(people, State.AWAITING_APPROVAL)
    version = dossier.lock_version
    outcomes = run_at_once(
        lambda: dossier_approve(
            dossier_id=dossier.pk,
            official=people.approver_dung,
            agency=people.competent,
            outcome=Outcome.GRANTED,
            expected_version=version,
        ),
        lambda: dossier_stop(
            dossier_id=dossier.pk,
            official=people.specialist_chi,
            agency=people.competent,
            reason="Dừng theo đề nghị.",
            expected_version=version,
        ),
    )
    assert sum(isinstance(o, InvalidTransition) for o in outcomes) == 1
    dossier.refresh_from_db()
    assert dossier.state in (State.RESULT_READY, State.STOPPED)
    assert DossierEvent.objects.filter(dossier=dossier, action__in=["approve", "stop"]).count() == 1
