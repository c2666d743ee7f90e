"""Officials cannot reach any page but the two-factor ones until they give a code; citizens only have to
once they turned two-factor authentication on."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.models import SecurityEvent, SecurityEventType, StaffMembership, StaffRole

from .officials import OFFICIAL_PASSWORD, make_people, sign_in_verified, totp_code, totp_device_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    return make_people()


def sign_in_with_password(client, user):
    user.set_password(OFFICIAL_PASSWORD)
    user.save()
    response = client.post(
        reverse("accounts:sign_in"), {"username": user.username, "password": OFFICIAL_PASSWORD}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return response


def blocked_paths():
    return [
        "/",
        "/thu-tuc/",
        reverse("accounts:profile"),
        reverse("accounts:security"),
        reverse("accounts:two_factor_manage"),
        reverse("accounts:agency_choose"),
        reverse("accounts:staff_list"),
        "/quan-tri/",
    ]


def test_an_official_who_typed_the_password_is_sent_to_the_code_page_from_every_page(client, people):
    sign_in_with_password(client, people.receptionist_binh)
    verify = reverse("accounts:two_factor_verify")
    for path in blocked_paths():
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == f"{verify}?{urlencode({'next': path})}", path


def test_an_unverified_official_cannot_write_either(client, people):
    binh = people.receptionist_binh
    sign_in_with_password(client, binh)
    before = StaticToken.objects.count()
    response = client.post(reverse("accounts:two_factor_recovery_codes"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:two_factor_verify")  # no `next` for a POST
    assert StaticToken.objects.count() == before
    assert not SecurityEvent.objects.filter(event_type=SecurityEventType.TWO_FACTOR_ENABLED).exists()


def test_the_code_page_sign_out_health_language_and_static_files_stay_open(client, people):
    binh = people.receptionist_binh
    sign_in_with_password(client, binh)
    assert client.get(reverse("accounts:two_factor_verify")).status_code == 200
    assert client.get("/health/").status_code == 200
    assert client.get("/static/css/app.css").status_code == 200
    response = client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.post(reverse("accounts:sign_out")).status_code == 302
    assert SecurityEvent.objects.filter(user=binh, event_type=SecurityEventType.SIGN_OUT).count() == 1
    assert "_auth_user_id" not in client.session


def test_htmx_requests_of_an_unverified_official_are_redirected_by_header(client, people):
    sign_in_with_password(client, people.receptionist_binh)
    response = client.get("/thu-tuc/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith(reverse("accounts:two_factor_verify"))


def test_an_official_without_an_authenticator_app_is_sent_to_set_one_up(client, people):
    hoa = people.admin_hoa
    sign_in_with_password(client, hoa)
    enrol = reverse("accounts:two_factor_enrol")
    response = client.get(reverse("accounts:staff_list"))
    assert response["Location"] == f"{enrol}?{urlencode({'next': reverse('accounts:staff_list')})}"
    assert client.get(reverse("accounts:two_factor_verify"))["Location"].startswith(enrol)
    page = client.get(enrol)
    assert page.status_code == 200
    assert "Cán bộ bắt buộc dùng xác thực hai lớp" in page.content.decode()


def test_a_password_alone_cannot_set_up_a_new_phone_when_one_is_already_set_up(client, people):
    """GIVEN an official with an authenticator app WHEN someone with only the password opens the set-up
    page and posts a code of a new key THEN they are sent to the code page and no device is added."""
    binh = people.receptionist_binh
    sign_in_with_password(client, binh)
    response = client.get(reverse("accounts:two_factor_enrol"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    response = client.post(reverse("accounts:two_factor_enrol"), {"otp_token": "123456"})
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    assert TOTPDevice.objects.filter(user=binh).count() == 1


def test_an_official_who_gave_the_code_gets_through(client, people):
    binh = people.receptionist_binh
    sign_in_with_password(client, binh)
    response = client.post(
        reverse("accounts:two_factor_verify"),
        {"otp_token": totp_code(totp_device_for(binh)), "next": reverse("accounts:agency_choose")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("accounts:agency_choose")
    assert client.get("/").status_code == 200
    assert client.get(reverse("accounts:agency_choose")).status_code == 200
    assert client.get(reverse("accounts:staff_list")).status_code == 403  # a receptionist, not an admin


def test_a_citizen_without_two_factor_is_not_asked_for_a_code(client, people):
    sign_in_with_password(client, people.citizen_an)
    for path in ("/", "/thu-tuc/", reverse("accounts:profile"), reverse("accounts:two_factor_manage")):
        assert client.get(path).status_code == 200, path


def test_a_citizen_who_turned_two_factor_on_must_give_a_code_at_sign_in(client, people):
    an = people.citizen_an
    totp_device_for(an)
    sign_in_with_password(client, an)
    response = client.get(reverse("accounts:profile"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))
    client.post(reverse("accounts:two_factor_verify"), {"otp_token": totp_code(totp_device_for(an))})
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_role_granted_during_a_citizen_session_still_needs_two_factor_for_the_back_office(client, people):
    an = people.citizen_an
    sign_in_with_password(client, an)
    assert client.get("/").status_code == 200
    StaffMembership.objects.create(user=an, agency=people.agency_a, role=StaffRole.RECEPTIONIST)
    response = client.get(reverse("accounts:agency_choose"))
    assert response["Location"].startswith(reverse("accounts:two_factor_verify"))


def test_the_test_helper_signs_an_official_in_as_verified(client, people):
    sign_in_verified(client, people.admin_hoa)
    assert client.get(reverse("accounts:staff_list")).status_code == 200
