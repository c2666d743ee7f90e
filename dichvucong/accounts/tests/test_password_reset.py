import re
from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from dichvucong.accounts.models import OneTimeCode, SecurityEvent
from dichvucong.core import sms

from .factories import PASSWORD, make_citizen

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Cánh-đồng-lúa-2026!"


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()


@pytest.fixture
def citizen_an():
    return make_citizen(personal_id="031090123456", phone="+84912345678", email="an@example.vn")


def _reset_link_path():
    link = re.search(r"(/tai-khoan/quen-mat-khau/[^/\s]+/[^/\s]+/)", mail.outbox[-1].body)
    return link.group(1)


def test_a_reset_link_by_email_sets_a_new_password_once(client, citizen_an):
    page = client.post("/tai-khoan/quen-mat-khau/", {"channel": "email", "identifier": "an@example.vn"})
    assert "Nếu địa chỉ bạn nhập thuộc một tài khoản" in page.content.decode()
    path = _reset_link_path()
    response = client.post(path, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response["Location"] == "/tai-khoan/dang-nhap/"
    citizen_an.refresh_from_db()
    assert citizen_an.check_password(NEW_PASSWORD)
    assert client.get(path).status_code == 400  # the link is single use
    assert SecurityEvent.objects.filter(user=citizen_an, event_type="password_reset").exists()


def test_an_expired_reset_link_is_refused(client, citizen_an, settings):
    client.post("/tai-khoan/quen-mat-khau/", {"channel": "email", "identifier": "an@example.vn"})
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert client.get(_reset_link_path()).status_code == 400


def test_a_reset_by_sms_code_sets_a_new_password(client, citizen_an):
    response = client.post("/tai-khoan/quen-mat-khau/", {"channel": "sms", "identifier": "0912 345 678"})
    assert response["Location"] == "/tai-khoan/quen-mat-khau/sms/"
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    assert sms.outbox[-1].to == "+84912345678"
    response = client.post(
        "/tai-khoan/quen-mat-khau/sms/", {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response["Location"] == "/tai-khoan/dang-nhap/"
    citizen_an.refresh_from_db()
    assert citizen_an.check_password(NEW_PASSWORD)


def test_an_expired_or_wrong_sms_code_is_refused(client, citizen_an):
    client.post("/tai-khoan/quen-mat-khau/", {"channel": "sms", "identifier": "0912345678"})
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page = client.post(
        "/tai-khoan/quen-mat-khau/sms/", {"code": wrong, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    ).content.decode()
    assert "Mã không đúng hoặc đã hết hạn" in page
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.post(
        "/tai-khoan/quen-mat-khau/sms/", {"code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    citizen_an.refresh_from_db()
    assert citizen_an.check_password(PASSWORD)


def test_the_new_password_must_follow_the_policy(client, citizen_an):
    client.post("/tai-khoan/quen-mat-khau/", {"channel": "email", "identifier": "an@example.vn"})
    page = client.post(_reset_link_path(), {"password1": PASSWORD, "password2": PASSWORD}).content.decode()
    assert "Không dùng lại" in page


def test_nothing_tells_whether_an_address_is_registered(client, citizen_an):
    known = client.post("/tai-khoan/quen-mat-khau/", {"channel": "email", "identifier": "an@example.vn"})
    unknown = client.post("/tai-khoan/quen-mat-khau/", {"channel": "email", "identifier": "ai-do@example.vn"})
    assert known.status_code == unknown.status_code == 200
    strip = lambda html: re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)  # noqa: E731
    assert strip(known.content.decode()) == strip(unknown.content.decode())
    assert len(mail.outbox) == 1
    known_sms = client.post("/tai-khoan/quen-mat-khau/", {"channel": "sms", "identifier": "0912345678"})
    unknown_sms = Client().post("/tai-khoan/quen-mat-khau/", {"channel": "sms", "identifier": "0987654321"})
    assert known_sms["Location"] == unknown_sms["Location"] == "/tai-khoan/quen-mat-khau/sms/"


def test_reset_requests_are_rate_limited_per_account(client, citizen_an):
    for _ in range(8):
        client.post("/tai-khoan/quen-mat-khau/", {"channel": "email", "identifier": "an@example.vn"})
    assert len(mail.outbox) == 5


def test_changing_the_password_needs_the_current_one_and_keeps_the_session(client, citizen_an):
    client.post("/tai-khoan/dang-nhap/", {"username": "031090123456", "password": PASSWORD})
    page = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": "Sai-rồi-123!", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ).content.decode()
    assert "Mật khẩu hiện tại không đúng" in page
    response = client.post(
        "/tai-khoan/doi-mat-khau/",
        {"old_password": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response["Location"] == "/tai-khoan/bao-mat/"
    assert client.get("/tai-khoan/").status_code == 200  # still signed in
    assert SecurityEvent.objects.filter(user=citizen_an, event_type="password_changed").exists()
