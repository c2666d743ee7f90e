"""Sign-in with VNeID through the whole authorization code flow, against a real OpenID provider
(django-oidc-provider, tests/oidc_provider) running in its own process: no mock between the portal
and the provider. The portal runs on pytest-django's live server."""

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from dichvucong.accounts.models import (
    AssuranceLevel,
    IdentityProvider,
    SecurityEvent,
    SecurityEventType,
    User,
)

from .agent import Agent, with_query
from .claims import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)

AN = "001090012345"  # personal ID of the provider's person "an" (level 2)
BINH = "079195001234"  # of "binh" (level 1)


def signed_in_user_id(agent: Agent) -> int | None:
    session = Session.objects.filter(session_key=agent.session_key or "").first()
    user_id = session.get_decoded().get("_auth_user_id") if session else None
    return int(user_id) if user_id else None


def refusals() -> list[dict]:
    return [e.detail for e in SecurityEvent.objects.filter(event_type=SecurityEventType.OIDC_REFUSED)]


def test_the_first_vneid_sign_in_creates_the_account_from_the_claims_and_signs_in(vneid, live_server):
    agent = Agent(live_server.url)

    response = agent.sign_in_with_vneid("an")

    assert response.status_code == 302 and response.headers["Location"] == "/tai-khoan/"
    user = User.objects.get(personal_id=AN)
    assert (user.username, user.full_name, user.birth_date, user.phone, user.gender) == (
        AN,
        "Nguyễn Văn An",
        dt.date(1990, 5, 17),
        "+84912345678",
        "male",
    )
    assert user.phone_verified_at is not None
    assert user.identity_provider == IdentityProvider.VNEID
    assert user.assurance_level == AssuranceLevel.LEVEL_2
    assert not user.has_usable_password()
    assert user.last_login is not None and user.last_login_ip == "127.0.0.1"
    assert signed_in_user_id(agent) == user.pk
    events = SecurityEvent.objects.filter(user=user).order_by("id")
    assert [(e.event_type, e.detail) for e in events] == [
        (SecurityEventType.REGISTERED, {"method": "vneid"}),
        (SecurityEventType.SIGN_IN, {"method": "vneid"}),
    ]
    assert refusals() == []


def test_a_second_sign_in_matches_the_same_account_and_brings_it_up_to_date(vneid, live_server):
    Agent(live_server.url).sign_in_with_vneid("an")
    User.objects.filter(personal_id=AN).update(
        full_name="Nguyen Van An", phone="+84901234567", assurance_level=AssuranceLevel.LEVEL_1
    )
    other_browser = Agent(live_server.url)

    response = other_browser.sign_in_with_vneid("an", next="/thu-tuc/")

    assert response.status_code == 302 and response.headers["Location"] == "/thu-tuc/"
    user = User.objects.get(personal_id=AN)  # one account, not two
    assert (user.full_name, user.phone, user.assurance_level) == ("Nguyễn Văn An", "+84912345678", 2)
    assert signed_in_user_id(other_browser) == user.pk
    assert SecurityEvent.objects.filter(user=user, event_type=SecurityEventType.SIGN_IN).count() == 2
    assert SecurityEvent.objects.filter(user=user, event_type=SecurityEventType.REGISTERED).count() == 1


def test_vneid_signs_in_to_the_portal_account_registered_with_the_same_personal_id(vneid, live_server):
    account = User.objects.create_user(
        username=BINH,
        personal_id=BINH,
        password="Mat-khau-cua-Binh-2026",
        full_name="Tran Thi Binh",
        phone="+84911111111",
        phone_verified_at=timezone.now(),
    )
    agent = Agent(live_server.url)

    assert agent.sign_in_with_vneid("binh").status_code == 302

    assert list(User.objects.filter(personal_id=BINH).values_list("pk", flat=True)) == [account.pk]
    account.refresh_from_db()
    # Birth date sent as dd/mm/yyyy, phone in international format, level "1".
    assert (account.full_name, account.birth_date, account.phone, account.assurance_level) == (
        "Trần Thị Bình",
        dt.date(1995, 5, 17),
        "+84987654321",
        AssuranceLevel.LEVEL_1,
    )
    assert account.identity_provider == IdentityProvider.LOCAL
    assert signed_in_user_id(agent) == account.pk
    # The registered phone was not VNeID's: whoever set the password may not be Bình, so it is disabled.
    assert not account.has_usable_password()
    link = SecurityEvent.objects.get(user=account, event_type="vneid_linked")
    assert link.detail == {"password_disabled": True}


def test_a_first_vneid_link_keeps_the_password_when_the_phone_is_vneids_but_ends_other_sessions(
    vneid, live_server
):
    account = User.objects.create_user(
        username=BINH,
        personal_id=BINH,
        password="Mat-khau-cua-Binh-2026!",
        full_name="Tran Thi Binh",
        phone="+84987654321",
        phone_verified_at=timezone.now(),
    )
    version = account.session_version

    assert Agent(live_server.url).sign_in_with_vneid("binh").status_code == 302

    account.refresh_from_db()
    assert account.has_usable_password() and account.session_version == version + 1
    assert SecurityEvent.objects.get(user=account, event_type="vneid_linked").detail == {
        "password_disabled": False
    }
    # A second VNeID sign-in is not a first link.
    assert Agent(live_server.url).sign_in_with_vneid("binh").status_code == 302
    assert SecurityEvent.objects.filter(user=account, event_type="vneid_linked").count() == 1


def test_vneid_takes_over_a_registration_whose_phone_was_never_verified(vneid, live_server):
    """Someone typed An's personal ID into the registration form and never verified the phone: An's VNeID
    sign-in proves the ID is An's, so the account becomes An's without that person's password or e-mail."""
    pending = User.objects.create_user(
        username=AN,
        personal_id=AN,
        password="Mat-khau-ke-khac-2026",
        email="ke.khac@example.com",
        is_active=False,
    )

    assert Agent(live_server.url).sign_in_with_vneid("an").status_code == 302

    pending.refresh_from_db()
    assert pending.is_active and not pending.has_usable_password()
    assert (pending.email, pending.full_name, pending.assurance_level) == ("", "Nguyễn Văn An", 2)
    assert SecurityEvent.objects.get(user=pending, event_type=SecurityEventType.REGISTERED).detail == {
        "method": "vneid",
        "unfinished_registration": True,
    }


def test_a_callback_with_a_tampered_state_is_refused_with_a_clear_page_and_logged(vneid, live_server, caplog):
    agent = Agent(live_server.url)
    callback = agent.sign_in_at_provider(agent.start_vneid_sign_in(), "an")
    code = parse_qs(urlsplit(callback).query)["code"][0]

    response = agent.get(with_query(callback, state="x" * 32))

    assert response.status_code == 400
    assert "Phiên đăng nhập VNeID không còn hiệu lực" in response.text
    assert "Đăng nhập bằng tài khoản của Cổng" in response.text
    assert not User.objects.filter(personal_id=AN).exists()
    assert signed_in_user_id(agent) is None
    event = SecurityEvent.objects.get(event_type=SecurityEventType.OIDC_REFUSED)
    assert event.detail == {"reason": "bad_state", "pending_sign_ins": 1}
    assert event.ip_address == "127.0.0.1" and event.user is None
    assert code not in str(event.detail)  # never a code or a token in the log
    assert f"mã tham chiếu {event.pk}" in response.text
    assert re.search(r"VNeID sign-in refused \(bad_state\)", caplog.text)


def test_a_callback_used_twice_or_in_another_browser_is_refused(vneid, live_server):
    agent = Agent(live_server.url)
    callback = agent.sign_in_at_provider(agent.start_vneid_sign_in(), "an")
    assert agent.get(callback).status_code == 302  # signed in
    stranger = Agent(live_server.url)  # e.g. someone who got hold of the callback address

    replayed, stolen = agent.get(callback), stranger.get(callback)

    assert (replayed.status_code, stolen.status_code) == (400, 400)
    assert signed_in_user_id(stranger) is None
    assert refusals() == [
        {"reason": "bad_state", "pending_sign_ins": 0},
        {"reason": "bad_state", "pending_sign_ins": 0},
    ]


def test_a_code_issued_for_another_sign_in_of_the_browser_fails_the_nonce_check(vneid, settings, live_server):
    # Without PKCE, so that the portal's own nonce check is what refuses it (with PKCE, the provider
    # refuses the swapped code first: next test).
    settings.OIDC_USE_PKCE = False
    agent = Agent(live_server.url)
    first, second = agent.start_vneid_sign_in(), agent.start_vneid_sign_in()
    callback = agent.sign_in_at_provider(first, "an")
    second_state = parse_qs(urlsplit(second).query)["state"][0]

    # The code of the first sign-in delivered with the state of the second (a code injection).
    response = agent.get(with_query(callback, state=second_state))

    assert response.status_code == 403
    assert "Không xác minh được thông tin từ VNeID" in response.text
    assert refusals() == [{"reason": "bad_nonce"}]
    assert not User.objects.filter(personal_id=AN).exists()
    assert signed_in_user_id(agent) is None


def test_with_pkce_the_sign_in_works_and_a_swapped_code_is_refused_by_the_provider(
    vneid, settings, live_server
):
    settings.OIDC_USE_PKCE = True
    assert Agent(live_server.url).sign_in_with_vneid("an").status_code == 302
    agent = Agent(live_server.url)
    first, second = agent.start_vneid_sign_in(), agent.start_vneid_sign_in()
    assert "code_challenge" in first
    callback = agent.sign_in_at_provider(first, "binh")

    response = agent.get(with_query(callback, state=parse_qs(urlsplit(second).query)["state"][0]))

    assert response.status_code == 502
    assert refusals() == [{"reason": "token_refused", "status": 400, "error": "invalid_grant"}]
    assert not User.objects.filter(personal_id=BINH).exists()


@pytest.mark.parametrize(
    ("setting", "value", "reason"),
    [
        # The portal trusts a JWKS whose key is not the one the provider signs with.
        ("OIDC_OP_JWKS_ENDPOINT", "/test/jwks-foreign-key/", "bad_signature"),
        # The ID token is changed on the way (level 1 → 2) keeping the provider's signature.
        ("OIDC_OP_TOKEN_ENDPOINT", "/test/token/altered/", "bad_signature"),
        # ... or re-issued without a signature (alg "none").
        ("OIDC_OP_TOKEN_ENDPOINT", "/test/token/unsigned/", "wrong_algorithm"),
        # Correctly signed, but the portal expects another issuer.
        ("OIDC_OP_ISSUER", "https://vneid.gov.vn", "wrong_issuer"),
    ],
)
def test_an_id_token_the_portal_cannot_trust_is_refused(vneid, settings, live_server, setting, value, reason):
    setattr(settings, setting, vneid.url + value if value.startswith("/") else value)
    agent = Agent(live_server.url)

    response = agent.sign_in_with_vneid("binh")

    assert response.status_code == 403
    assert "Không xác minh được thông tin từ VNeID" in response.text
    assert [refusal["reason"] for refusal in refusals()] == [reason]
    assert not User.objects.filter(personal_id=BINH).exists()
    assert signed_in_user_id(agent) is None


@pytest.mark.parametrize(
    ("person", "reason"),
    [("khong-dinh-danh", "missing_personal_id"), ("dinh-danh-sai", "invalid_personal_id")],
)
def test_claims_without_a_valid_personal_id_are_refused(vneid, live_server, person, reason):
    users_before = User.objects.count()
    agent = Agent(live_server.url)

    response = agent.sign_in_with_vneid(person)

    assert response.status_code == 403
    assert "VNeID không cung cấp số định danh cá nhân hợp lệ" in response.text
    assert refusals() == [{"reason": reason, "claim": "personal_id"}]
    assert User.objects.count() == users_before
    assert signed_in_user_id(agent) is None


def test_declining_at_vneid_brings_the_citizen_back_to_a_page_that_says_so(vneid, live_server):
    agent = Agent(live_server.url)

    response = agent.get(agent.sign_in_at_provider(agent.start_vneid_sign_in(), "an", decline=True))

    assert response.status_code == 400
    assert "Bạn chưa hoàn tất đăng nhập bằng VNeID" in response.text
    assert refusals() == [{"reason": "access_denied", "error": "access_denied"}]


@pytest.mark.browser
def test_the_refusal_page_is_accessible(vneid, live_server, page, assert_accessible):
    page.goto(live_server.url + "/tai-khoan/vneid/callback/?code=a&state=b")
    assert page.get_by_role("heading", level=1).inner_text() == "Phiên đăng nhập VNeID không còn hiệu lực"
    assert_accessible(page, "VNeID refusal")


@pytest.mark.browser
def test_a_citizen_signs_in_with_vneid_in_a_real_browser(vneid, live_server, page):
    page.goto(live_server.url + "/tai-khoan/dang-nhap/")
    page.get_by_role("link", name="Đăng nhập bằng VNeID").click()

    page.wait_for_url(re.compile(re.escape(vneid.url) + r"/login/"))
    page.get_by_label("Tài khoản định danh").fill("an")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập VNeID").click()
    page.get_by_role("button", name="Authorize").click()  # the provider's consent page

    page.wait_for_url(live_server.url + "/tai-khoan/")
    user = User.objects.get(personal_id=AN)
    assert user.assurance_level == AssuranceLevel.LEVEL_2
    session_cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    session = Session.objects.get(session_key=session_cookie["value"])
    assert session.get_decoded()["_auth_user_id"] == str(user.pk)
