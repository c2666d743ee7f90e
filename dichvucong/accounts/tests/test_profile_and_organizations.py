import json
import re

import pytest
from django.core import mail
from django.test import Client

from dichvucong.accounts.models import Organization, OrganizationMember, SecurityEvent
from dichvucong.core import sms
from dichvucong.directory.models import AdministrativeUnit

from .factories import PASSWORD, make_citizen

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    sms.outbox.clear()


@pytest.fixture
def citizen_an():
    return make_citizen(
        full_name="Nguyễn Văn An", personal_id="031090123456", phone="+84912345678", email="an@example.vn"
    )


@pytest.fixture
def citizen_binh():
    return make_citizen(
        full_name="Trần Thị Bình", personal_id="031185000123", phone="+84987654321", email="binh@example.vn"
    )


def _signed_in(user):
    client = Client(REMOTE_ADDR="203.0.113.9")
    response = client.post("/tai-khoan/dang-nhap/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_the_profile_shows_the_previous_sign_in_time_and_address(citizen_an):
    _signed_in(citizen_an)
    page = _signed_in(citizen_an).get("/tai-khoan/").content.decode()
    assert "Nguyễn Văn An" in page and "031090123456" in page and "0912 345 678" in page
    assert "IP 203.0.113.9" in page
    assert "Xã Thượng Hồng, Thành phố Hải Phòng" in page


def test_the_security_page_lists_recent_sign_ins(citizen_an):
    client = _signed_in(citizen_an)
    Client().post("/tai-khoan/dang-nhap/", {"username": citizen_an.username, "password": "Sai-mật-khẩu-1!"})
    page = client.get("/tai-khoan/bao-mat/").content.decode()
    assert "Đăng nhập thành công" in page and "203.0.113.9" in page


def test_a_new_email_is_unverified_until_its_link_is_opened(citizen_an, django_capture_on_commit_callbacks):
    client = _signed_in(citizen_an)
    province, commune = (
        AdministrativeUnit.objects.get(code="31"),
        AdministrativeUnit.objects.get(code="10993"),
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            "/tai-khoan/lien-he/",
            {
                "email": "an.moi@example.vn",
                "phone": "0912345678",
                "address_province": province.pk,
                "address_commune": commune.pk,
                "address_street": "Số 2",
            },
        )
    citizen_an.refresh_from_db()
    assert (citizen_an.email, citizen_an.email_verified_at, citizen_an.address_street) == (
        "an.moi@example.vn",
        None,
        "Số 2",
    )
    assert mail.outbox[-1].to == ["an.moi@example.vn"]
    path = re.search(r"(/tai-khoan/xac-minh-email/\S+/)", mail.outbox[-1].body).group(1)
    client.get(path)
    citizen_an.refresh_from_db()
    assert citizen_an.email_verified_at is not None
    event = SecurityEvent.objects.get(user=citizen_an, event_type="contact_changed")
    assert event.detail["new"] == "an***@example.vn"


def test_a_new_phone_is_saved_only_after_its_code(citizen_an):
    client = _signed_in(citizen_an)
    province, commune = (
        AdministrativeUnit.objects.get(code="31"),
        AdministrativeUnit.objects.get(code="10993"),
    )
    response = client.post(
        "/tai-khoan/lien-he/",
        {
            "email": "an@example.vn",
            "phone": "0977 111 222",
            "address_province": province.pk,
            "address_commune": commune.pk,
        },
    )
    assert response["Location"] == "/tai-khoan/lien-he/xac-minh-dien-thoai/"
    citizen_an.refresh_from_db()
    assert citizen_an.phone == "+84912345678"
    assert sms.outbox[-1].to == "+84977111222"
    code = re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)
    client.post("/tai-khoan/lien-he/xac-minh-dien-thoai/", {"code": code})
    citizen_an.refresh_from_db()
    assert citizen_an.phone == "+84977111222"


def test_notification_preferences_are_saved_but_compulsory_ones_stay_on(citizen_an):
    client = _signed_in(citizen_an)
    client.post("/tai-khoan/thong-bao/", {"dossier_received": ["email"], "supplement_requested": []})
    citizen_an.refresh_from_db()
    assert citizen_an.notification_preferences["dossier_received"] == ["email"]
    assert "supplement_requested" not in citizen_an.notification_preferences
    page = client.get("/tai-khoan/thong-bao/").content.decode()
    assert 'name="supplement_requested" value="sms" checked disabled' in page


def test_a_citizen_downloads_their_own_data_as_json(citizen_an):
    response = _signed_in(citizen_an).get("/tai-khoan/du-lieu-ca-nhan.json")
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["personal_id"] == "031090123456"
    assert data["account"]["address"]["commune"] == "Xã Thượng Hồng"
    assert any(e["event"] == "sign_in" for e in data["security_events"])
    assert "password" not in json.dumps(data)
    assert SecurityEvent.objects.filter(user=citizen_an, event_type="data_exported").exists()


def test_closing_the_account_needs_the_password(citizen_an):
    client = _signed_in(citizen_an)
    page = client.post("/tai-khoan/dong-tai-khoan/", {"password": "Sai-rồi-123!"}).content.decode()
    assert "Mật khẩu hiện tại không đúng" in page
    client.post("/tai-khoan/dong-tai-khoan/", {"password": PASSWORD})
    citizen_an.refresh_from_db()
    assert citizen_an.closure_requested_at is not None


@pytest.mark.parametrize(
    "path",
    [
        "/tai-khoan/",
        "/tai-khoan/lien-he/",
        "/tai-khoan/bao-mat/",
        "/tai-khoan/du-lieu-ca-nhan.json",
        "/tai-khoan/thong-bao/",
        "/tai-khoan/doanh-nghiep/",
    ],
)
def test_account_pages_need_a_signed_in_user(client, path):
    response = client.get(path)
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")


def test_a_citizen_never_sees_another_citizens_data(citizen_an, citizen_binh):
    client = _signed_in(citizen_binh)
    for path in (
        "/tai-khoan/",
        "/tai-khoan/bao-mat/",
        "/tai-khoan/du-lieu-ca-nhan.json",
        "/tai-khoan/lien-he/",
    ):
        body = client.get(path).content.decode()
        assert "031090123456" not in body and "Nguyễn Văn An" not in body and "an@example.vn" not in body


def _register_company(client):
    province, commune = (
        AdministrativeUnit.objects.get(code="31"),
        AdministrativeUnit.objects.get(code="10993"),
    )
    return client.post(
        "/tai-khoan/doanh-nghiep/",
        {
            "name": "Công ty TNHH Hồng Hà",
            "tax_code": "0100109106",
            "address_province": province.pk,
            "address_commune": commune.pk,
        },
    )


def test_a_citizen_registers_a_business_and_adds_a_representative(citizen_an, citizen_binh):
    client = _signed_in(citizen_an)
    response = _register_company(client)
    organization = Organization.objects.get(tax_code="0100109106")
    assert response["Location"] == f"/tai-khoan/doanh-nghiep/{organization.pk}/"
    assert organization.members.get().role == "owner"
    client.post(f"/tai-khoan/doanh-nghiep/{organization.pk}/", {"personal_id": "031185000123"})
    assert OrganizationMember.objects.get(organization=organization, user=citizen_binh).role == "staff"


def test_an_invalid_or_taken_tax_code_is_explained(citizen_an, citizen_binh):
    client = _signed_in(citizen_an)
    province = AdministrativeUnit.objects.get(code="31")
    page = client.post(
        "/tai-khoan/doanh-nghiep/", {"name": "X", "tax_code": "0100109107", "address_province": province.pk}
    ).content.decode()
    assert "chữ số kiểm tra sai" in page
    _register_company(client)
    page = _register_company(_signed_in(citizen_binh)).content.decode()
    assert "đã được đăng ký trên cổng" in page
    assert Organization.objects.count() == 1


def test_only_the_owner_manages_representatives_and_outsiders_see_nothing(citizen_an, citizen_binh):
    owner = _signed_in(citizen_an)
    _register_company(owner)
    organization = Organization.objects.get()
    outsider = make_citizen(full_name="Lê Văn Chí", personal_id="031075000777")
    outsider_client = _signed_in(outsider)
    assert outsider_client.get(f"/tai-khoan/doanh-nghiep/{organization.pk}/").status_code == 404
    owner.post(f"/tai-khoan/doanh-nghiep/{organization.pk}/", {"personal_id": "031185000123"})
    staff = _signed_in(citizen_binh)
    response = staff.post(
        f"/tai-khoan/doanh-nghiep/{organization.pk}/", {"personal_id": "031075000777"}, follow=True
    )
    assert "Chỉ người đại diện theo pháp luật" in response.content.decode()
    assert not organization.members.filter(user=outsider).exists()
    owner_member = organization.members.get(role="owner")
    staff.post(f"/tai-khoan/doanh-nghiep/{organization.pk}/nguoi-dai-dien/{owner_member.pk}/xoa/")
    assert organization.members.count() == 2
