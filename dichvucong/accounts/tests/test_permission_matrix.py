"""The permission matrix of officials' and citizens' data (STYLE.md: one combination per test).

Personas: the agency administrator of A (admin_hoa), a receptionist of A (receptionist_binh), a specialist
of B (official_chi), the agency administrator of B (admin_dung) and two citizens. Every action targets
agency A or its receptionist; a refused action changes no row and shows none of A's data.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts import selectors
from dichvucong.accounts.models import SecurityEvent, SecurityEventType, StaffMembership, StaffRole, User
from dichvucong.accounts.services import staff as staff_services
from dichvucong.accounts.services.security import security_event_log
from dichvucong.accounts.services.two_factor import recovery_codes_regenerate

from .officials import make_people, sign_in_verified

pytestmark = pytest.mark.django_db

PERSONAS = ["admin_hoa", "receptionist_binh", "official_chi", "admin_dung", "citizen_an", "citizen_giang"]
AUDITED = [
    SecurityEventType.ROLE_GRANTED,
    SecurityEventType.ROLE_REVOKED,
    SecurityEventType.TWO_FACTOR_RESET,
    SecurityEventType.PASSWORD_RESET_REQUESTED,
]


@pytest.fixture
def people():
    return make_people()


def _request(people, action):
    """(method, URL, data) of one action on agency A."""
    binh, agency_a = people.receptionist_binh, people.agency_a
    return {
        "list_staff_of_a": ("get", reverse("accounts:staff_list"), None),
        "read_staff_detail_in_a": ("get", reverse("accounts:staff_detail", args=[binh.pk]), None),
        "grant_role_in_a": (
            "post",
            reverse("accounts:staff_role_grant", args=[binh.pk]),
            {"role": StaffRole.SPECIALIST},
        ),
        "revoke_role_in_a": (
            "post",
            reverse("accounts:staff_role_revoke", args=[binh.pk]),
            {"role": StaffRole.RECEPTIONIST},
        ),
        "reset_two_factor_in_a": ("post", reverse("accounts:staff_two_factor_reset", args=[binh.pk]), {}),
        "issue_activation_link_in_a": ("post", reverse("accounts:staff_activation_link", args=[binh.pk]), {}),
        "choose_a_as_active_agency": ("post", reverse("accounts:agency_choose"), {"agency": agency_a.pk}),
    }[action]


# Expected status of each action for each persona (actions in the order of ACTIONS).
ACTIONS = [
    "list_staff_of_a",
    "read_staff_detail_in_a",
    "grant_role_in_a",
    "revoke_role_in_a",
    "reset_two_factor_in_a",
    "issue_activation_link_in_a",
    "choose_a_as_active_agency",
]
EXPECTED = {
    #                    list  detail grant revoke reset  link  choose
    "admin_hoa": (200, 200, 302, 302, 302, 200, 302),
    "receptionist_binh": (403, 403, 403, 403, 403, 403, 302),
    "official_chi": (403, 403, 403, 403, 403, 403, 403),
    # B's administrator sees B's own staff list; A's staff members do not exist for them.
    "admin_dung": (200, 404, 404, 404, 404, 404, 403),
    "citizen_an": (403, 403, 403, 403, 403, 403, 403),
    "citizen_giang": (403, 403, 403, 403, 403, 403, 403),
}
ALLOWED = {("admin_hoa", action) for action in ACTIONS} | {("receptionist_binh", "choose_a_as_active_agency")}


def snapshot(people):
    """Everything an action on agency A could change."""
    binh = User.objects.get(pk=people.receptionist_binh.pk)
    return {
        "memberships": list(
            StaffMembership.objects.filter(agency=people.agency_a)
            .order_by("pk")
            .values_list("user", "role", "is_active")
        ),
        "devices": list(TOTPDevice.objects.filter(user=binh).values_list("pk", "key")),
        "binh": (binh.password, binh.session_version),
        "events": SecurityEvent.objects.filter(event_type__in=AUDITED).count(),
    }


MATRIX = [(persona, action, EXPECTED[persona][i]) for persona in PERSONAS for i, action in enumerate(ACTIONS)]


@pytest.mark.parametrize(("persona", "action", "status"), MATRIX)
def test_permission_matrix(client, people, persona, action, status):
    actor = people[persona]
    sign_in_verified(client, actor) if actor.is_official else client.force_login(actor)
    before = snapshot(people)
    method, url, data = _request(people, action)
    response = getattr(client, method)(url, data) if method == "post" else client.get(url)
    assert response.status_code == status
    if (persona, action) in ALLOWED:
        return
    assert snapshot(people) == before
    assert client.session.get(selectors.ACTIVE_AGENCY_SESSION_KEY) != people.agency_a.pk
    if persona != "receptionist_binh":
        body = response.content.decode()
        assert "binh.tran" not in body and "Trần Thị Bình" not in body


def test_the_administrator_of_a_lists_a_staff_and_nobody_else(client, people):
    sign_in_verified(client, people.admin_hoa)
    body = client.get(reverse("accounts:staff_list")).content.decode()
    assert "binh.tran" in body and "hoa.le" in body
    assert "chi.pham" not in body and "dung.vu" not in body and people.citizen_an.username not in body


def test_the_administrator_of_b_lists_only_b_staff(client, people):
    sign_in_verified(client, people.admin_dung)
    body = client.get(reverse("accounts:staff_list")).content.decode()
    assert "chi.pham" in body and "dung.vu" in body
    assert "binh.tran" not in body and "hoa.le" not in body


def test_allowed_actions_of_the_administrator_of_a_change_exactly_what_they_say(client, people):
    binh, agency_a = people.receptionist_binh, people.agency_a
    sign_in_verified(client, people.admin_hoa)
    for action in ("grant_role_in_a", "revoke_role_in_a", "reset_two_factor_in_a"):
        method, url, data = _request(people, action)
        client.post(url, data)
    roles = dict(StaffMembership.objects.filter(user=binh, agency=agency_a).values_list("role", "is_active"))
    assert roles == {StaffRole.RECEPTIONIST: False, StaffRole.SPECIALIST: True}
    assert not TOTPDevice.objects.filter(user=binh).exists()
    binh.refresh_from_db()
    assert binh.session_version == 1
    logged = list(
        SecurityEvent.objects.filter(user=binh, event_type__in=AUDITED)
        .order_by("pk")
        .values_list("event_type", "detail")
    )
    assert logged == [
        (
            SecurityEventType.ROLE_GRANTED,
            {"agency": agency_a.code, "by": "hoa.le", "role": StaffRole.SPECIALIST},
        ),
        (
            SecurityEventType.ROLE_REVOKED,
            {"agency": agency_a.code, "by": "hoa.le", "role": StaffRole.RECEPTIONIST},
        ),
        (SecurityEventType.TWO_FACTOR_RESET, {"agency": agency_a.code, "by": "hoa.le"}),
    ]


# --- The same matrix one level down: services and selectors refuse on their own -------------------------

SERVICE_CALLS = {
    "grant": lambda actor, p: staff_services.staff_role_grant(
        actor=actor, agency=p.agency_a, user=p.receptionist_binh, role=StaffRole.APPROVER
    ),
    "revoke": lambda actor, p: staff_services.staff_role_revoke(
        actor=actor, agency=p.agency_a, user=p.receptionist_binh, role=StaffRole.RECEPTIONIST
    ),
    "reset": lambda actor, p: staff_services.staff_two_factor_reset(
        actor=actor, agency=p.agency_a, user=p.receptionist_binh
    ),
    "link": lambda actor, p: staff_services.staff_activation_link_issue(
        actor=actor, agency=p.agency_a, user=p.receptionist_binh
    ),
    "create": lambda actor, p: staff_services.staff_create(
        actor=actor,
        agency=p.agency_a,
        username="moi.canbo",
        full_name="Cán Bộ Mới",
        role=StaffRole.RECEPTIONIST,
    ),
}


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin_hoa"])
@pytest.mark.parametrize("call", sorted(SERVICE_CALLS))
def test_services_refuse_anyone_but_the_administrator_of_a(people, persona, call):
    before = snapshot(people)
    with pytest.raises(PermissionDenied):
        SERVICE_CALLS[call](people[persona], people)
    assert snapshot(people) == before
    assert not User.objects.filter(username="moi.canbo").exists()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin_hoa"])
def test_selectors_return_nothing_of_a_to_anyone_but_its_administrator(people, persona):
    actor = people[persona]
    assert not selectors.user_can_manage_agency(actor, people.agency_a)
    assert not selectors.staff_list_for_agency(actor=actor, agency=people.agency_a).exists()
    assert (
        selectors.staff_get_for_agency(
            actor=actor, agency=people.agency_a, user_id=people.receptionist_binh.pk
        )
        is None
    )


def test_selectors_give_the_administrator_of_a_their_staff_with_roles_and_two_factor_state(people):
    staff = list(selectors.staff_list_for_agency(actor=people.admin_hoa, agency=people.agency_a))
    assert [member.username for member in staff] == ["hoa.le", "binh.tran"]  # by full name
    binh = staff[1]
    assert [m.role for m in binh.agency_roles] == [StaffRole.RECEPTIONIST] and binh.has_two_factor


def test_an_official_cannot_open_a_citizen_account_through_the_staff_pages(client, people):
    sign_in_verified(client, people.admin_hoa)
    assert client.get(reverse("accounts:staff_detail", args=[people.citizen_an.pk])).status_code == 404
    response = client.post(
        reverse("accounts:staff_role_grant", args=[people.citizen_an.pk]), {"role": StaffRole.AGENCY_ADMIN}
    )
    assert response.status_code == 404
    assert not StaffMembership.objects.filter(user=people.citizen_an).exists()


# --- Citizens: one never sees another's data --------------------------------------------------------

CITIZEN_PAGES = [
    "accounts:profile",
    "accounts:security",
    "accounts:contact_edit",
    "accounts:notification_preferences",
    "accounts:organizations",
    "accounts:data_export",
    "accounts:two_factor_manage",
]


def _existing_pages():
    urls = []
    for name in CITIZEN_PAGES:
        try:
            urls.append(reverse(name))
        except NoReverseMatch:
            continue
    return urls


def test_a_citizen_sees_none_of_another_citizen_data_on_the_account_pages(client, people):
    an, giang = people.citizen_an, people.citizen_giang
    security_event_log(SecurityEventType.SIGN_IN, user=an, method="password")
    sign_in_verified(client, an)
    recovery_codes_regenerate(user=an)
    client.logout()
    client.force_login(giang)
    pages = _existing_pages()
    assert reverse("accounts:two_factor_manage") in pages
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        for secret in (an.full_name, an.personal_id, an.phone, an.email, an.username):
            assert secret not in body, (url, secret)
        assert "Còn 10 mã khôi phục" not in body


def test_a_citizen_security_history_holds_only_their_own_events(people):
    an, giang = people.citizen_an, people.citizen_giang
    security_event_log(SecurityEventType.SIGN_IN, user=an, method="password")
    security_event_log(SecurityEventType.SIGN_IN, user=giang, method="password")
    assert {e.user_id for e in selectors.security_event_list_for_user(user=giang)} == {giang.pk}
    assert selectors.two_factor_status(giang)["enabled"] is False
