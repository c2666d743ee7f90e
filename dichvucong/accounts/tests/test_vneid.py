"""VNeID sign-in without a provider: reading claims, the account service, the views and the backend when
VNeID is not (or only half) configured. The whole code flow against a real OpenID provider is in
tests/oidc_provider/test_vneid_sign_in.py."""

import datetime as dt
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth import authenticate
from django.test import RequestFactory
from django.utils import timezone

from dichvucong.accounts.models import (
    AssuranceLevel,
    IdentityProvider,
    SecurityEvent,
    SecurityEventType,
    User,
)
from dichvucong.accounts.services.vneid import (
    VNeIDIdentity,
    VNeIDRefused,
    assurance_level_from_claim,
    birth_date_from_claim,
    vneid_identity_from_claims,
    vneid_user_sync,
)
from dichvucong.accounts.vneid import VNeIDBackend

AN = "001090012345"


@pytest.fixture
def vneid_configured(settings):
    settings.OIDC_RP_CLIENT_ID = "dichvucong"
    settings.OIDC_RP_CLIENT_SECRET = "bi-mat"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://vneid.example/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://vneid.example/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://vneid.example/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = "https://vneid.example/jwks"
    settings.VNEID_ENABLED = True
    return settings


@pytest.mark.parametrize(
    ("claim", "level"),
    [
        ("2", 2),
        ("1", 1),
        (2, 2),
        (1, 1),
        ("vneid:level2", 2),
        ("urn:vneid:loa:1 ", 1),
        (["vneid:level1", "vneid:level2"], 2),
        ("12", 0),
        ("3", 0),
        (3, 0),
        (True, 0),
        ("", 0),
        (None, 0),
    ],
)
def test_the_assurance_level_is_read_from_numbers_and_acr_values(claim, level):
    assert assurance_level_from_claim(claim) == level


@pytest.mark.parametrize(
    ("claim", "date"),
    [
        ("1990-05-17", dt.date(1990, 5, 17)),
        ("17/05/1990", dt.date(1990, 5, 17)),
        ("7/5/1990", dt.date(1990, 5, 7)),
        ("31/02/1990", None),
        ("1990", None),
        ("0000-05-17", None),
        ("2999-01-01", None),
        ("", None),
        (None, None),
    ],
)
def test_the_birth_date_is_read_from_iso_and_vietnamese_dates(claim, date):
    assert birth_date_from_claim(claim) == date


def test_claims_are_validated_and_normalised():
    identity = vneid_identity_from_claims(
        {
            "personal_id": " 001 090 012 345 ",
            "name": "  Nguyễn   Văn An ",
            "birthdate": "17/05/1990",
            "phone_number": "0912.345.678",
            "acr": "vneid:level2",
        }
    )
    assert identity == VNeIDIdentity(AN, "Nguyễn Văn An", dt.date(1990, 5, 17), "+84912345678", 2)


def test_an_invalid_phone_claim_is_left_out_rather_than_refusing_the_sign_in():
    assert vneid_identity_from_claims({"personal_id": AN, "phone_number": "12345"}).phone == ""


@pytest.mark.parametrize(
    ("claims", "reason"),
    [
        ({}, "missing_personal_id"),
        ({"personal_id": "  "}, "missing_personal_id"),
        ({"personal_id": "123456789012"}, "invalid_personal_id"),
        ({"personal_id": 1090012345}, "invalid_personal_id"),  # a number loses its leading zeros
    ],
)
def test_claims_without_a_valid_personal_id_are_refused(claims, reason):
    with pytest.raises(VNeIDRefused) as refused:
        vneid_identity_from_claims(claims)
    assert refused.value.reason == reason


def test_claim_names_come_from_the_settings(settings):
    settings.VNEID_CLAIM_PERSONAL_ID = "so_dinh_danh"
    settings.VNEID_CLAIM_FULL_NAME = "ho_ten"
    settings.VNEID_CLAIM_LEVEL = "muc_dinh_danh"
    identity = vneid_identity_from_claims({"so_dinh_danh": AN, "ho_ten": "Nguyễn Văn An", "muc_dinh_danh": 1})
    assert (identity.personal_id, identity.full_name, identity.assurance_level) == (AN, "Nguyễn Văn An", 1)


@pytest.mark.django_db
def test_the_first_sign_in_creates_the_account_and_the_next_ones_update_it():
    identity = VNeIDIdentity(AN, "Nguyễn Văn An", dt.date(1990, 5, 17), "+84912345678", 1)
    user, created = vneid_user_sync(identity=identity)
    assert created
    assert (user.username, user.identity_provider, user.gender, user.assurance_level) == (
        AN,
        IdentityProvider.VNEID,
        "male",
        AssuranceLevel.LEVEL_1,
    )
    verified_at = user.phone_verified_at

    again, created = vneid_user_sync(identity=VNeIDIdentity(AN, "Nguyễn Văn An", None, "+84912345678", 2))

    assert not created and again.pk == user.pk
    again.refresh_from_db()
    assert (again.birth_date, again.assurance_level, again.phone_verified_at) == (
        dt.date(1990, 5, 17),
        2,
        verified_at,
    )
    assert SecurityEvent.objects.filter(user=user, event_type=SecurityEventType.REGISTERED).count() == 1


@pytest.mark.django_db
def test_a_deactivated_account_is_refused_and_left_unchanged():
    user = User.objects.create_user(
        username=AN, personal_id=AN, full_name="Cũ", is_active=False, last_login=timezone.now()
    )
    with pytest.raises(VNeIDRefused) as refused:
        vneid_user_sync(identity=VNeIDIdentity(AN, "Nguyễn Văn An", assurance_level=2))
    assert refused.value.reason == "inactive_account" and refused.value.user == user
    user.refresh_from_db()
    assert (user.full_name, user.assurance_level, user.is_active) == ("Cũ", 0, False)


@pytest.mark.django_db
def test_a_personal_id_used_as_another_account_s_username_is_refused():
    User.objects.create_user(username=AN, personal_id=None)
    with pytest.raises(VNeIDRefused) as refused:
        vneid_user_sync(identity=VNeIDIdentity(AN))
    assert refused.value.reason == "account_conflict"
    assert not User.objects.filter(personal_id=AN).exists()


# --- Views ------------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_vneid_button_appears_on_the_sign_in_page_only_when_configured(
    client, settings, vneid_configured
):
    settings.VNEID_ENABLED = False
    assert "Đăng nhập bằng VNeID" not in client.get("/tai-khoan/dang-nhap/").content.decode()

    settings.VNEID_ENABLED = True
    page = client.get("/tai-khoan/dang-nhap/?next=/thu-tuc/").content.decode()
    assert "Đăng nhập bằng VNeID" in page
    assert 'href="/tai-khoan/vneid/dang-nhap/?next=/thu-tuc/"' in page


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/tai-khoan/vneid/dang-nhap/", "/tai-khoan/vneid/callback/?code=a&state=b"])
def test_the_vneid_addresses_do_not_exist_while_vneid_is_not_configured(client, settings, path):
    settings.VNEID_ENABLED = False
    assert client.get(path).status_code == 404
    assert not SecurityEvent.objects.exists()


@pytest.mark.django_db
def test_starting_a_vneid_sign_in_sends_the_browser_to_the_provider_with_a_state_and_a_nonce(
    client, vneid_configured
):
    response = client.get("/tai-khoan/vneid/dang-nhap/?next=/thu-tuc/")

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == "https://vneid.example/authorize"
    query = {key: values[0] for key, values in parse_qs(location.query).items()}
    assert query["client_id"] == "dichvucong" and query["response_type"] == "code"
    assert query["redirect_uri"] == "http://testserver/tai-khoan/vneid/callback/"
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert client.session["oidc_states"][query["state"]]["nonce"] == query["nonce"]
    assert client.session["oidc_login_next"] == "/thu-tuc/"


@pytest.mark.django_db
def test_a_callback_without_a_code_is_refused_with_a_clear_page(client, vneid_configured):
    response = client.get("/tai-khoan/vneid/callback/")
    assert response.status_code == 400
    assert "Phiên đăng nhập VNeID không còn hiệu lực" in response.content.decode()
    assert SecurityEvent.objects.get().detail == {"reason": "missing_code"}


@pytest.mark.django_db
def test_an_error_callback_does_not_sign_out_whoever_is_signed_in(client, vneid_configured):
    user = User.objects.create_user(username=AN, personal_id=AN)
    client.force_login(user)

    response = client.get("/tai-khoan/vneid/callback/?error=access_denied&state=abc")

    assert response.status_code == 400
    assert "Bạn chưa hoàn tất đăng nhập bằng VNeID" in response.content.decode()
    assert client.session["_auth_user_id"] == str(user.pk)
    assert SecurityEvent.objects.get().detail == {"reason": "access_denied", "error": "access_denied"}


# --- The backend ----------------------------------------------------------------------------------------


def test_the_backend_is_inert_while_vneid_is_not_configured(settings):
    settings.VNEID_ENABLED = False
    backend = VNeIDBackend()
    assert backend.authenticate(RequestFactory().get("/?code=a&state=b"), nonce="n") is None
    assert backend.get_user(1) is None


def test_requests_to_the_provider_time_out_unless_configured_otherwise(settings):
    assert VNeIDBackend.get_settings("OIDC_TIMEOUT", None) == 10
    settings.OIDC_TIMEOUT = 3
    assert VNeIDBackend.get_settings("OIDC_TIMEOUT", None) == 3


def test_a_half_configured_vneid_is_switched_off_instead_of_breaking_every_sign_in(vneid_configured, caplog):
    vneid_configured.OIDC_OP_JWKS_ENDPOINT = None  # RS256 needs the provider's keys
    backend = VNeIDBackend()
    assert not backend.enabled
    assert "VNeID sign-in is switched off" in caplog.text


@pytest.mark.django_db
def test_a_password_sign_in_never_reaches_the_vneid_backend(vneid_configured, monkeypatch):
    def no_network(*args, **kwargs):
        raise AssertionError("a password sign-in must not call the identity provider")

    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", no_network)
    request = RequestFactory().post("/tai-khoan/dang-nhap/?code=a&state=b")
    assert authenticate(request, username=AN, password="Mat-khau-2026") is None
