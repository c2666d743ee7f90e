import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from dichvucong.accounts.models import OneTimeCode, SecurityEvent, User
from dichvucong.core import sms
from dichvucong.directory.models import AdministrativeUnit

from .factories import make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()


def _form(**overrides):
    data = {
        "full_name": "Trần Thị Bình",
        "personal_id": "031185000123",
        "birth_date": "1985-03-04",
        "gender": "female",
        "phone": "0912 345 678",
        "email": "binh.tran@example.vn",
        "address_province": AdministrativeUnit.objects.get(code="31").pk,
        "address_commune": AdministrativeUnit.objects.get(code="10993").pk,
        "address_street": "Thôn Đông",
        "password1": "Hoa-sen-nở-2026!",
        "password2": "Hoa-sen-nở-2026!",
        "consent": "on",
    }
    data.update(overrides)
    return data


def _last_code():
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def test_registration_creates_an_inactive_account_and_sends_the_phone_code_and_email_link(client):
    response = client.post("/tai-khoan/dang-ky/", _form())
    assert response.status_code == 302 and response["Location"] == "/tai-khoan/dang-ky/xac-minh/"

    user = User.objects.get(personal_id="031185000123")
    assert (user.username, user.full_name, user.phone, user.email) == (
        "031185000123",
        "Trần Thị Bình",
        "+84912345678",
        "binh.tran@example.vn",
    )
    assert user.is_active is False and user.phone_verified_at is None and user.email_verified_at is None
    assert user.password.startswith("argon2$argon2id$")
    assert sms.outbox[-1].to == "+84912345678"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["binh.tran@example.vn"]
    page = client.get("/tai-khoan/dang-ky/xac-minh/").content.decode()
    assert "09xx xxx 678" in page


def test_the_phone_code_activates_the_account_then_the_citizen_signs_in(client):
    client.post("/tai-khoan/dang-ky/", _form())
    response = client.post("/tai-khoan/dang-ky/xac-minh/", {"code": _last_code()})
    assert response["Location"] == "/tai-khoan/dang-nhap/"
    user = User.objects.get(personal_id="031185000123")
    assert user.is_active and user.phone_verified_at is not None
    response = client.post(
        "/tai-khoan/dang-nhap/", {"username": "031185000123", "password": "Hoa-sen-nở-2026!"}
    )
    assert response.status_code == 302
    assert SecurityEvent.objects.filter(user=user, event_type="sign_in").exists()


def test_the_email_link_verifies_the_address_once(client):
    client.post("/tai-khoan/dang-ky/", _form())
    link = re.search(r"http://\S+/tai-khoan/xac-minh-email/\S+/", mail.outbox[0].body).group(0)
    path = link.split("127.0.0.1:8000")[1] if "127.0.0.1:8000" in link else "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 302
    assert User.objects.get(personal_id="031185000123").email_verified_at is not None
    assert client.get(path).status_code == 400  # single use


def test_a_wrong_or_expired_code_does_not_activate_the_account(client):
    client.post("/tai-khoan/dang-ky/", _form())
    code = _last_code()
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    page = client.post("/tai-khoan/dang-ky/xac-minh/", {"code": wrong}).content.decode()
    assert "Mã không đúng hoặc đã hết hạn" in page
    OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.post("/tai-khoan/dang-ky/xac-minh/", {"code": code})
    assert User.objects.get(personal_id="031185000123").is_active is False


def test_a_code_stops_working_after_too_many_attempts(client, settings):
    client.post("/tai-khoan/dang-ky/", _form())
    code = _last_code()
    for _ in range(settings.OTP_MAX_ATTEMPTS):
        client.post("/tai-khoan/dang-ky/xac-minh/", {"code": "000000" if code != "000000" else "111111"})
    client.post("/tai-khoan/dang-ky/xac-minh/", {"code": code})
    assert User.objects.get(personal_id="031185000123").is_active is False


def test_resending_codes_is_limited_per_hour(client, settings):
    client.post("/tai-khoan/dang-ky/", _form())
    for _ in range(settings.OTP_MAX_SENDS_PER_HOUR + 2):
        client.post("/tai-khoan/dang-ky/xac-minh/", {"resend": "1"})
    assert len(sms.outbox) == settings.OTP_MAX_SENDS_PER_HOUR
    page = client.get("/tai-khoan/dang-ky/xac-minh/").content.decode()
    assert "quá nhiều mã" in page


def test_an_id_already_registered_gets_the_same_answer_and_its_owner_is_told(client):
    owner = make_citizen(personal_id="031185000123", email="owner@example.vn")
    response = client.post("/tai-khoan/dang-ky/", _form(email="someone.else@example.vn"))
    assert response["Location"] == "/tai-khoan/dang-ky/xac-minh/"
    assert User.objects.filter(personal_id="031185000123").count() == 1
    assert mail.outbox[-1].to == ["owner@example.vn"]
    assert sms.outbox == []
    page = client.get("/tai-khoan/dang-ky/xac-minh/").content.decode()
    assert "09xx xxx 678" in page  # the same page as a real registration
    owner.refresh_from_db()
    assert owner.email == "owner@example.vn"


@pytest.mark.parametrize(
    ("overrides", "field_message"),
    [
        ({"personal_id": "031185000"}, "đúng 12 chữ số"),
        ({"personal_id": "031085000123"}, "giới tính"),  # digit 0 = male, the form says female
        ({"birth_date": "1986-03-04"}, "năm sinh"),
        ({"phone": "0123456"}, "Số điện thoại không hợp lệ"),
        ({"email": "khong-phai-email"}, "thư điện tử không hợp lệ"),
        ({"address_commune": ""}, "Chọn xã, phường"),
        ({"password2": "Khác-hẳn-2026!"}, "không khớp"),
        ({"password1": "matkhau", "password2": "matkhau"}, "quá ngắn"),
        ({"password1": "BinhTran-2026!", "password2": "BinhTran-2026!"}, "họ tên"),
        ({"consent": ""}, "đồng ý xử lý dữ liệu"),
        ({"birth_date": "2999-01-01"}, "tương lai"),
    ],
)
def test_invalid_input_is_explained_next_to_the_field_and_what_was_typed_is_kept(
    client, overrides, field_message
):
    response = client.post("/tai-khoan/dang-ky/", _form(**overrides))
    assert response.status_code == 200
    page = response.content.decode()
    assert field_message in page
    assert 'value="Trần Thị Bình"' in page  # the name is kept
    assert "Hoa-sen-nở-2026!" not in page  # passwords are not sent back
    assert not User.objects.filter(personal_id="031185000123").exists()


def test_a_commune_of_another_province_is_refused(client):
    other = AdministrativeUnit.objects.get(code="12127")  # Phường Thượng Hồng, Hưng Yên
    page = client.post("/tai-khoan/dang-ky/", _form(address_commune=other.pk)).content.decode()
    assert "Chọn xã, phường" in page or "không thuộc tỉnh" in page


def test_the_commune_list_follows_the_province(client):
    province = AdministrativeUnit.objects.get(code="31")
    html = client.get("/tai-khoan/don-vi-hanh-chinh/", {"address_province": province.pk}).content.decode()
    assert "Xã Thượng Hồng" in html and "Phường Thượng Hồng" not in html
    assert client.get("/tai-khoan/don-vi-hanh-chinh/", {"address_province": "x'; --"}).status_code == 200


def test_the_registration_page_shows_the_security_advice(client):
    page = client.get("/tai-khoan/dang-ky/").content.decode()
    assert "chữ cái, chữ số và ký tự đặc biệt" in page and "xóa lịch sử duyệt web" in page
