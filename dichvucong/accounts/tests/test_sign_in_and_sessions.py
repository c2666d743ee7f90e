import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from dichvucong.accounts.models import SecurityEvent, User

from .factories import PASSWORD, make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen_an():
    return make_citizen(full_name="Nguyễn Văn An", personal_id="031090123456")


def _sign_in(client, username="031090123456", password=PASSWORD, **extra):
    return client.post("/tai-khoan/dang-nhap/", {"username": username, "password": password}, **extra)


def test_signing_in_rotates_the_session_and_records_time_and_ip(client, citizen_an):
    client.get("/tai-khoan/dang-nhap/")
    before = client.session.session_key
    response = _sign_in(client, REMOTE_ADDR="203.0.113.7")
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/"
    assert client.session.session_key != before
    citizen_an.refresh_from_db()
    assert citizen_an.last_login_ip == "203.0.113.7"
    event = SecurityEvent.objects.get(user=citizen_an, event_type="sign_in")
    assert event.ip_address == "203.0.113.7" and event.detail == {"method": "password"}


def test_a_wrong_password_gets_one_generic_answer_and_is_logged(client, citizen_an):
    page = _sign_in(client, password="Sai-mật-khẩu-1!").content.decode()
    unknown = _sign_in(client, username="001090999999").content.decode()
    message = "Số định danh, tên đăng nhập hoặc mật khẩu không đúng."
    assert message in page and message in unknown
    assert SecurityEvent.objects.filter(event_type="sign_in_failed").count() == 2
    assert not SecurityEvent.objects.filter(detail__has_key="password").exists()


def test_five_failures_lock_the_username_from_that_address_for_15_minutes(client, citizen_an):
    """GIVEN five wrong passwords for one username from one IP
    WHEN the right password is then given
    THEN sign-in is refused with the unlock time, until 15 minutes have passed."""
    for _ in range(5):
        _sign_in(client, password="Sai-mật-khẩu-1!")
    response = _sign_in(client)
    assert response.status_code == 429
    page = response.content.decode()
    assert "tạm khóa 15 phút" in page and "Bạn có thể đăng nhập lại sau" in page
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(event_type="locked_out").exists()

    other_ip = Client(REMOTE_ADDR="198.51.100.20")
    assert _sign_in(other_ip).status_code == 302  # another address is not locked out

    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert _sign_in(client).status_code == 302


def test_the_sign_in_page_shows_the_security_advice_and_no_vneid_button_when_not_configured(client):
    page = client.get("/tai-khoan/dang-nhap/").content.decode()
    assert "chữ cái, chữ số và ký tự đặc biệt" in page
    assert "Đăng nhập bằng VNeID" not in page


def test_an_old_password_brings_a_reminder_at_sign_in(client, citizen_an):
    User.objects.filter(pk=citizen_an.pk).update(password_changed_at=timezone.now() - timedelta(days=181))
    response = _sign_in(client, follow=True)
    assert "hơn 180 ngày" in response.content.decode()


def test_a_next_address_on_another_site_is_ignored(client, citizen_an):
    response = client.post(
        "/tai-khoan/dang-nhap/",
        {"username": "031090123456", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/tai-khoan/"


def test_a_citizen_session_ends_after_30_idle_minutes(client, citizen_an):
    _sign_in(client)
    session = client.session
    session["last_activity"] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/tai-khoan/").status_code == 200
    session = client.session
    session["last_activity"] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/tai-khoan/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
    assert "_auth_user_id" not in client.session


def test_an_official_session_ends_after_15_idle_minutes(client, citizen_an):
    _sign_in(client)
    session = client.session
    session["is_official"] = True
    session["last_activity"] = int(time.time()) - 16 * 60
    session.save()
    assert client.get("/tai-khoan/").status_code == 302


def test_a_session_ends_at_the_absolute_limit_even_when_active(client, citizen_an, settings):
    _sign_in(client)
    session = client.session
    session["signed_in_at"] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session.save()
    assert client.get("/tai-khoan/").status_code == 302


def test_signing_out_of_all_devices_ends_every_session(citizen_an):
    phone, laptop = Client(), Client()
    _sign_in(phone)
    _sign_in(laptop)
    assert laptop.get("/tai-khoan/").status_code == 200
    phone.post("/tai-khoan/bao-mat/dang-xuat-moi-thiet-bi/")
    assert laptop.get("/tai-khoan/").status_code == 302
    assert phone.get("/tai-khoan/").status_code == 302
    assert SecurityEvent.objects.filter(user=citizen_an, event_type="sign_out_everywhere").count() == 1


def test_signing_out_needs_a_post_and_is_logged(client, citizen_an):
    _sign_in(client)
    assert client.get("/tai-khoan/dang-xuat/").status_code == 405
    client.post("/tai-khoan/dang-xuat/")
    assert "_auth_user_id" not in client.session
    assert SecurityEvent.objects.filter(user=citizen_an, event_type="sign_out").exists()
