import base64
import time

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import TOTP

from dichvucong.accounts.management.commands.accounts_load_demo import (
    CITIZEN_PASSWORD,
    DEMO_TOTP_SECRET,
    OFFICIAL_PASSWORD,
)
from dichvucong.accounts.models import Organization, StaffMembership, User

pytestmark = pytest.mark.django_db


def test_demo_accounts_are_refused_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("accounts_load_demo", verbosity=0)
    assert not User.objects.filter(username="quantri").exists()


def test_demo_accounts_are_created_once(settings):
    settings.DEBUG = True
    call_command("accounts_load_demo", verbosity=0)
    call_command("accounts_load_demo", verbosity=0)
    assert User.objects.filter(username="031090123456", phone_verified_at__isnull=False).count() == 1
    assert Organization.objects.get(tax_code="0201234569").members.get().user.username == "031090123456"
    roles = set(StaffMembership.objects.filter(agency__code="10993.ttpvhcc").values_list("role", flat=True))
    assert roles == {"receptionist", "agency_admin"}


def test_a_demo_official_signs_in_with_the_documented_password_and_code(client, settings):
    settings.DEBUG = True
    call_command("accounts_load_demo", verbosity=0)
    client.post("/tai-khoan/dang-nhap/", {"username": "tiepnhan.thuonghong", "password": OFFICIAL_PASSWORD})
    assert client.get("/mot-cua/can-bo/")["Location"].startswith("/tai-khoan/xac-thuc-hai-lop/")
    totp = TOTP(base64.b32decode(DEMO_TOTP_SECRET))
    totp.time = time.time()
    client.post("/tai-khoan/xac-thuc-hai-lop/", {"otp_token": f"{totp.token():06d}"})
    assert client.get("/mot-cua/chon-co-quan/").status_code in (200, 302)
    assert "_auth_user_id" in client.session
    assert client.session.get("otp_device_id")


def test_a_demo_citizen_signs_in_with_the_documented_password(client, settings):
    settings.DEBUG = True
    call_command("accounts_load_demo", verbosity=0)
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "031090123456", "password": CITIZEN_PASSWORD}
    )
    assert response["Location"] == "/tai-khoan/"
