from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from dichvucong.accounts.tests.factories import make_citizen
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.services.drafts import draft_create
from dichvucong.notifications.models import Outbox

from .drafts import birth_offering

pytestmark = pytest.mark.django_db


def _draft_aged(user, days):
    draft = draft_create(user=user, offering=birth_offering())
    Dossier.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=days))
    return draft


def test_an_owner_is_warned_before_a_draft_expires_then_it_is_deleted(settings):
    settings.DRAFT_RETENTION_DAYS, settings.DRAFT_WARNING_DAYS = 30, 5
    citizen = make_citizen()
    fresh, ageing = _draft_aged(citizen, 3), _draft_aged(citizen, 27)
    _draft_aged(citizen, 31)

    call_command("dossiers_purge_drafts", verbosity=0)

    assert set(Dossier.objects.values_list("pk", flat=True)) == {fresh.pk, ageing.pk}
    warned = Outbox.objects.filter(event="draft_expiring", recipient=citizen)
    assert warned.exists() and {row.context["draft"] for row in warned} == {str(ageing.public_id)}
    ageing.refresh_from_db()
    assert ageing.draft_warned_at is not None
    assert timezone.now() - ageing.updated_at > timedelta(days=26)  # the warning is not a change

    call_command("dossiers_purge_drafts", verbosity=0)
    assert Outbox.objects.filter(event="draft_expiring").count() == warned.count()  # warned once
