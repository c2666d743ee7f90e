"""An official with roles in several agencies works in one at a time, chosen once per session."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils.http import urlencode

from dichvucong.accounts.models import StaffMembership, StaffRole
from dichvucong.accounts.selectors import (
    ACTIVE_AGENCY_SESSION_KEY,
    agencies_for_official,
    membership_get_active,
)

from .officials import make_people, sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    people = make_people()
    # Hòa administers A and receives dossiers at B.
    StaffMembership.objects.create(user=people.admin_hoa, agency=people.agency_b, role=StaffRole.RECEPTIONIST)
    return people


def request_of(user, session=None):
    request = RequestFactory().get("/")
    request.user, request.session = user, session if session is not None else {}
    return request


def test_an_official_of_one_agency_works_there_without_choosing(people):
    active = membership_get_active(request_of(people.receptionist_binh))
    assert active.agency == people.agency_a and active.roles == {StaffRole.RECEPTIONIST}
    assert membership_get_active(request_of(people.citizen_an)) is None


def test_an_official_of_two_agencies_is_asked_to_choose_first(client, people):
    sign_in_verified(client, people.admin_hoa)
    response = client.get(reverse("accounts:staff_list"))
    assert response["Location"] == (
        f"{reverse('accounts:agency_choose')}?{urlencode({'next': reverse('accounts:staff_list')})}"
    )
    page = client.get(reverse("accounts:agency_choose")).content.decode()
    assert people.agency_a.name in page and people.agency_b.name in page
    assert list(agencies_for_official(people.admin_hoa)) == sorted(
        [people.agency_a, people.agency_b], key=lambda agency: agency.name
    )


def test_the_chosen_agency_scopes_the_roles_of_the_session(client, people):
    sign_in_verified(client, people.admin_hoa)
    response = client.post(
        reverse("accounts:agency_choose"),
        {"agency": people.agency_a.pk, "next": reverse("accounts:staff_list")},
    )
    assert response["Location"] == reverse("accounts:staff_list")
    assert client.session[ACTIVE_AGENCY_SESSION_KEY] == people.agency_a.pk
    assert "binh.tran" in client.get(reverse("accounts:staff_list")).content.decode()

    client.post(reverse("accounts:agency_choose"), {"agency": people.agency_b.pk})
    assert client.session[ACTIVE_AGENCY_SESSION_KEY] == people.agency_b.pk
    assert client.get(reverse("accounts:staff_list")).status_code == 403  # a receptionist at B


@pytest.mark.parametrize("value", ["", "abc", "999999999"])
def test_an_agency_that_is_not_one_of_the_official_is_refused(client, people, value):
    sign_in_verified(client, people.admin_hoa)
    assert client.post(reverse("accounts:agency_choose"), {"agency": value}).status_code == 403
    assert ACTIVE_AGENCY_SESSION_KEY not in client.session


def test_a_chosen_agency_whose_roles_were_revoked_is_dropped(people):
    session = {ACTIVE_AGENCY_SESSION_KEY: people.agency_a.pk}
    StaffMembership.objects.filter(user=people.admin_hoa, agency=people.agency_a).update(is_active=False)
    active = membership_get_active(request_of(people.admin_hoa, session))
    assert active.agency == people.agency_b  # the only agency left
    assert ACTIVE_AGENCY_SESSION_KEY not in session


def test_citizens_have_no_agency_to_choose(client, people):
    client.force_login(people.citizen_an)
    assert client.get(reverse("accounts:agency_choose")).status_code == 403
    assert client.post(reverse("accounts:agency_choose"), {"agency": people.agency_a.pk}).status_code == 403
    assert ACTIVE_AGENCY_SESSION_KEY not in client.session
