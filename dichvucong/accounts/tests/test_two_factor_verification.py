"""The code at sign-in: real TOTP codes from the device's key, single-use recovery codes, and wrong codes
counting towards the same lockout as wrong passwords."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.models import SecurityEvent, SecurityEventType
from dichvucong.accounts.services.two_factor import recovery_code_display, recovery_codes_regenerate

from .officials import OFFICIAL_PASSWORD, make_people, totp_code, totp_device_for

pytestmark = pytest.mark.django_db
VERIFY = "accounts:two_factor_verify"


@pytest.fixture
def binh():
    """Receptionist of agency A, with an authenticator app."""
    user = make_people().receptionist_binh
    user.set_password(OFFICIAL_PASSWORD)
    user.save()
    return user


def sign_in(client, user):
    response = client.post(
        reverse("accounts:sign_in"), {"username": user.username, "password": OFFICIAL_PASSWORD}
    )
    assert response.status_code == 302
    return response


def send_code(client, code, next_url="/", username=""):
    # The page's form also sends the username (hidden), as a browser would.
    return client.post(reverse(VERIFY), {"otp_token": code, "next": next_url, "username": username})


def events(user, event_type):
    return SecurityEvent.objects.filter(user=user, event_type=event_type)


def test_the_code_computed_from_the_device_key_signs_the_official_in(client, binh):
    device = totp_device_for(binh)
    sign_in(client, binh)
    response = send_code(client, totp_code(device), next_url=reverse("accounts:agency_choose"))
    assert response.status_code == 302 and response["Location"] == reverse("accounts:agency_choose")
    assert client.get(reverse("accounts:agency_choose")).status_code == 200
    device.refresh_from_db()
    assert device.last_used_at is not None and device.last_t >= 0
    assert not events(binh, SecurityEventType.OTP_FAILED).exists()


def test_a_code_typed_with_a_space_is_accepted(client, binh):
    device = totp_device_for(binh)
    sign_in(client, binh)
    code = totp_code(device)
    assert send_code(client, f"{code[:3]} {code[3:]}").status_code == 302
    assert client.get("/").status_code == 200


def test_a_code_already_used_is_refused_the_second_time(client, binh):
    device = totp_device_for(binh)
    code = totp_code(device)
    sign_in(client, binh)
    assert send_code(client, code).status_code == 302
    client.post(reverse("accounts:sign_out"))
    sign_in(client, binh)
    response = send_code(client, code)
    assert response.status_code == 200
    assert "Mã xác thực không đúng" in response.content.decode()
    assert events(binh, SecurityEventType.OTP_FAILED).count() == 1


def test_a_recovery_code_signs_in_once_and_only_once(client, binh):
    codes = recovery_codes_regenerate(user=binh)
    assert len(codes) == 10 and len(set(codes)) == 10
    sign_in(client, binh)
    response = send_code(client, recovery_code_display(codes[0]).upper())
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert StaticToken.objects.filter(device__user=binh).count() == 9
    used = events(binh, SecurityEventType.RECOVERY_CODE_USED).get()
    assert used.detail == {"recovery_codes_left": 9}
    assert codes[0] not in str(used.detail)

    client.post(reverse("accounts:sign_out"))
    sign_in(client, binh)
    TOTPDevice.objects.filter(user=binh).update(throttling_failure_count=0)
    assert send_code(client, codes[0]).status_code == 200
    assert client.get("/").status_code == 302
    assert StaticToken.objects.filter(device__user=binh).count() == 9


def test_five_wrong_codes_lock_the_account_out_like_five_wrong_passwords(client, binh, settings):
    """GIVEN an official who typed the right password WHEN they type five wrong codes THEN the fifth answer
    is the lockout page, they are signed out, each failure is logged and counted by django-axes, and even
    the right password is refused until the cool-off ends."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's back-off is tested separately
    device = totp_device_for(binh)
    sign_in(client, binh)
    wrong = f"{(int(totp_code(device)) + 500000) % 1000000:06d}"
    for attempt in range(1, 5):
        response = send_code(client, wrong, username=binh.username)
        assert response.status_code == 200, attempt
        assert "Mã xác thực không đúng" in response.content.decode()
    response = send_code(client, wrong, username=binh.username)
    assert response.status_code == 429
    assert "tạm khóa" in response.content.decode()

    assert "_auth_user_id" not in client.session
    assert events(binh, SecurityEventType.OTP_FAILED).count() == 5
    assert SecurityEvent.objects.filter(
        event_type=SecurityEventType.LOCKED_OUT, username=binh.username
    ).exists()
    attempt = AccessAttempt.objects.get(username=binh.username)
    assert attempt.failures_since_start == 5
    assert wrong not in attempt.post_data  # the typed code is masked
    response = client.post(
        reverse("accounts:sign_in"), {"username": binh.username, "password": OFFICIAL_PASSWORD}
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_right_code_after_a_few_wrong_ones_clears_the_failures(client, binh, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    device = totp_device_for(binh)
    sign_in(client, binh)
    for _ in range(3):
        send_code(client, "000000" if totp_code(device) != "000000" else "111111")
    assert AccessAttempt.objects.get(username=binh.username).failures_since_start == 3
    assert send_code(client, totp_code(device)).status_code == 302
    assert not AccessAttempt.objects.filter(username=binh.username).exists()


def test_a_code_typed_during_the_back_off_is_not_checked_nor_counted(client, binh):
    device = totp_device_for(binh)
    sign_in(client, binh)
    right = totp_code(device)
    send_code(client, "000000" if right != "000000" else "111111")
    response = send_code(client, right)
    assert response.status_code == 200
    assert "Vui lòng chờ" in response.content.decode()
    assert AccessAttempt.objects.get(username=binh.username).failures_since_start == 1
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_timestamp=timezone.now() - timedelta(seconds=5)
    )
    assert send_code(client, right).status_code == 302


def test_a_code_of_the_wrong_shape_counts_as_a_wrong_code(client, binh, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    sign_in(client, binh)
    response = send_code(client, "xin chào")
    assert response.status_code == 200
    failed = events(binh, SecurityEventType.OTP_FAILED).get()
    assert failed.detail == {"purpose": "two_factor", "kind": "malformed"}
    assert AccessAttempt.objects.get(username=binh.username).failures_since_start == 1


def test_an_account_locked_meanwhile_is_refused_even_with_the_right_code(client, binh):
    device = totp_device_for(binh)
    sign_in(client, binh)
    AccessAttempt.objects.create(
        username=binh.username,
        ip_address="127.0.0.1",
        user_agent="",
        http_accept="",
        path_info="/tai-khoan/dang-nhap/",
        attempt_time=timezone.now(),
        failures_since_start=5,
    )
    response = send_code(client, totp_code(device), username=binh.username)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    device.refresh_from_db()
    assert device.last_used_at is None
