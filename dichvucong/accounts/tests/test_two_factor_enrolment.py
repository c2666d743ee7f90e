"""Setting up an authenticator app (QR code rendered on the server), recovery codes, turning 2FA off."""

import re
from base64 import b32encode
from binascii import unhexlify

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.models import SecurityEvent, SecurityEventType
from dichvucong.accounts.services.two_factor import PENDING_KEY_SESSION_KEY, recovery_codes_regenerate

from .officials import make_people, sign_in_verified, totp_code

pytestmark = pytest.mark.django_db
ENROL = "accounts:two_factor_enrol"


@pytest.fixture
def people():
    return make_people()


def code_for_key(key_hex: str, *, steps_ahead: int = 0) -> str:
    return f"{totp(unhexlify(key_hex), 30, -steps_ahead * 30, 6, 0):06d}"


def test_the_set_up_page_shows_a_server_rendered_svg_qr_code_and_the_key_in_text(client, people):
    hoa = people.admin_hoa
    client.force_login(hoa)
    response = client.get(reverse(ENROL))
    assert response.status_code == 200
    body = response.content.decode()
    svg = re.search(r"<svg role=\"img\"[^>]*>.*?</svg>", body, re.S)
    assert svg is not None
    assert "<title>Mã QR để thêm tài khoản vào ứng dụng xác thực</title>" in svg.group(0)
    assert "<path" in svg.group(0) and "style=" not in svg.group(0) and "<script" not in svg.group(0)
    key = client.session[PENDING_KEY_SESSION_KEY]
    secret = b32encode(unhexlify(key)).decode()
    assert " ".join(secret[i : i + 4] for i in range(0, 32, 4)) in re.sub(r"</?span>", "", body)
    assert "no-store" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert client.get(reverse(ENROL)).status_code == 200
    assert client.session[PENDING_KEY_SESSION_KEY] == key  # a reload does not change the scanned key
    assert not TOTPDevice.objects.filter(user=hoa).exists()  # nothing stored before confirmation


def test_a_wrong_first_code_sets_nothing_up(client, people):
    hoa = people.admin_hoa
    client.force_login(hoa)
    client.get(reverse(ENROL))
    key = client.session[PENDING_KEY_SESSION_KEY]
    wrong = f"{(int(code_for_key(key)) + 1) % 1000000:06d}"
    response = client.post(reverse(ENROL), {"otp_token": wrong})
    assert response.status_code == 200
    assert "Mã không đúng" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=hoa).exists()
    assert not SecurityEvent.objects.filter(
        user=hoa, event_type=SecurityEventType.TWO_FACTOR_ENABLED
    ).exists()


def test_the_first_code_turns_two_factor_on_and_shows_ten_recovery_codes_once(client, people):
    hoa = people.admin_hoa
    client.force_login(hoa)
    client.get(reverse(ENROL))
    key = client.session[PENDING_KEY_SESSION_KEY]
    response = client.post(
        reverse(ENROL), {"otp_token": code_for_key(key), "next": reverse("accounts:staff_list")}
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    device = TOTPDevice.objects.get(user=hoa)
    assert device.confirmed and device.key == key
    tokens = list(StaticToken.objects.filter(device__user=hoa).values_list("token", flat=True))
    assert len(tokens) == 10
    body = response.content.decode()
    for token in tokens:
        assert f"{token[:4]}-{token[4:]}" in body
    assert (
        SecurityEvent.objects.filter(user=hoa, event_type=SecurityEventType.TWO_FACTOR_ENABLED).count() == 1
    )
    assert PENDING_KEY_SESSION_KEY not in client.session
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("accounts:staff_list")).status_code == 200
    # The same code cannot be replayed at the next sign-in.
    assert device.last_t >= 0


def test_a_verified_official_moving_to_a_new_phone_replaces_the_app_and_the_recovery_codes(client, people):
    binh = people.receptionist_binh
    old_device = sign_in_verified(client, binh)
    old_codes = recovery_codes_regenerate(user=binh)
    client.get(reverse(ENROL))
    key = client.session[PENDING_KEY_SESSION_KEY]
    assert client.post(reverse(ENROL), {"otp_token": code_for_key(key)}).status_code == 200
    device = TOTPDevice.objects.get(user=binh)
    assert device.pk != old_device.pk and device.key == key
    assert not StaticToken.objects.filter(token__in=old_codes).exists()
    event = SecurityEvent.objects.filter(user=binh, event_type=SecurityEventType.TWO_FACTOR_ENABLED).first()
    assert event.detail == {"replaced_device": True}
    assert client.get(reverse("accounts:agency_choose")).status_code == 200


def test_new_recovery_codes_replace_the_old_ones(client, people):
    binh = people.receptionist_binh
    sign_in_verified(client, binh)
    old = set(recovery_codes_regenerate(user=binh))
    response = client.post(reverse("accounts:two_factor_recovery_codes"))
    assert response.status_code == 200
    new = set(StaticToken.objects.filter(device__user=binh).values_list("token", flat=True))
    assert len(new) == 10 and not new & old
    assert StaticDevice.objects.filter(user=binh).count() == 1
    assert (
        SecurityEvent.objects.filter(
            user=binh, event_type=SecurityEventType.RECOVERY_CODES_REGENERATED
        ).count()
        == 2
    )


def test_a_citizen_turns_two_factor_off_with_a_current_code(client, people):
    an = people.citizen_an
    device = sign_in_verified(client, an)
    recovery_codes_regenerate(user=an)
    response = client.post(
        reverse("accounts:two_factor_disable"), {"otp_token": totp_code(device, steps_ahead=1)}
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=an).exists()
    assert not StaticDevice.objects.filter(user=an).exists()
    assert (
        SecurityEvent.objects.filter(user=an, event_type=SecurityEventType.TWO_FACTOR_DISABLED).count() == 1
    )
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_a_wrong_code_does_not_turn_two_factor_off(client, people, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    an = people.citizen_an
    device = sign_in_verified(client, an)
    wrong = f"{(int(totp_code(device)) + 3) % 1000000:06d}"
    response = client.post(reverse("accounts:two_factor_disable"), {"otp_token": wrong})
    assert response.status_code == 400
    assert TOTPDevice.objects.filter(user=an).exists()
    assert SecurityEvent.objects.filter(user=an, event_type=SecurityEventType.OTP_FAILED).count() == 1
    assert not SecurityEvent.objects.filter(
        user=an, event_type=SecurityEventType.TWO_FACTOR_DISABLED
    ).exists()


def test_an_official_cannot_turn_two_factor_off(client, people):
    binh = people.receptionist_binh
    device = sign_in_verified(client, binh)
    response = client.post(
        reverse("accounts:two_factor_disable"), {"otp_token": totp_code(device, steps_ahead=1)}
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=binh).exists()
    assert not SecurityEvent.objects.filter(
        user=binh, event_type=SecurityEventType.TWO_FACTOR_DISABLED
    ).exists()
    page = client.get(reverse("accounts:two_factor_manage")).content.decode()
    assert reverse("accounts:two_factor_disable") not in page


def test_the_security_page_summarises_two_factor(client, people):
    an = people.citizen_an
    client.force_login(an)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Chưa bật" in page and reverse("accounts:two_factor_manage") in page
    sign_in_verified(client, an)
    recovery_codes_regenerate(user=an)
    page = client.get(reverse("accounts:security")).content.decode()
    assert "Đang bật" in page and "Còn 10 mã khôi phục" in page
