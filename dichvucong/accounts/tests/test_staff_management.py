"""Agency administrators manage their own staff in the back office: new officials and their first
password, roles granted and revoked (audited), two-factor resets."""

import re
from datetime import datetime, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.activation import staff_activation_tokens
from dichvucong.accounts.models import SecurityEvent, SecurityEventType, StaffMembership, StaffRole, User

from .officials import OFFICIAL_PASSWORD, make_official, make_people, sign_in_verified

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Trung-tâm-Một-cửa-9!"


@pytest.fixture
def people():
    return make_people()


@pytest.fixture
def admin_client(client, people):
    """The agency administrator of A, signed in with two-factor authentication."""
    sign_in_verified(client, people.admin_hoa)
    return client


def events(event_type, **filters):
    return SecurityEvent.objects.filter(event_type=event_type, **filters)


def activation_link(response) -> str:
    match = re.search(r'id="activation-link" class="code" value="([^"]+)"', response.content.decode())
    assert match, response.content.decode()[:3000]
    return match.group(1)


def test_an_administrator_adds_an_official_who_sets_a_password_then_must_enrol(admin_client, people):
    """GIVEN the administrator of A WHEN they add Nguyễn Thị Lan as receptionist THEN an account without a
    usable password exists, the role is granted and audited, and the one-time link shown lets Lan set a
    password (once); her first sign-in then asks her to set up an authenticator app."""
    response = admin_client.post(
        reverse("accounts:staff_create"),
        {
            "username": "Lan.Nguyen",
            "full_name": "Nguyễn Thị Lan",
            "email": "lan.nguyen@example.gov.vn",
            "phone": "0912 345 678",
            "role": StaffRole.RECEPTIONIST,
        },
    )
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    lan = User.objects.get(username="lan.nguyen")
    assert not lan.has_usable_password() and lan.phone == "+84912345678" and lan.personal_id is None
    membership = StaffMembership.objects.get(user=lan)
    assert (membership.agency, membership.role, membership.created_by) == (
        people.agency_a,
        StaffRole.RECEPTIONIST,
        people.admin_hoa,
    )
    assert events(SecurityEventType.ROLE_GRANTED, user=lan).get().detail == {
        "agency": people.agency_a.code,
        "by": "hoa.le",
        "role": StaffRole.RECEPTIONIST,
    }
    link = activation_link(response)
    assert link.startswith("http://testserver/tai-khoan/kich-hoat/")

    lan_client = Client()
    response = lan_client.get(link)
    assert response.status_code == 302 and response["Location"].endswith("/dat-mat-khau/")
    form_url = response["Location"]
    assert lan_client.get(form_url).status_code == 200
    response = lan_client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:sign_in")
    lan.refresh_from_db()
    assert lan.check_password(NEW_PASSWORD) and lan.password_changed_at is not None
    assert events(SecurityEventType.PASSWORD_RESET, user=lan).count() == 1
    assert "không đúng, đã được dùng" in Client().get(link, follow=True).content.decode()

    response = lan_client.post(
        reverse("accounts:sign_in"), {"username": "lan.nguyen", "password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert lan_client.get(reverse("accounts:agency_choose"))["Location"].startswith(
        reverse("accounts:two_factor_enrol")
    )


def test_the_activation_link_works_for_24_hours(people, monkeypatch):
    lan = make_official(
        "lan.nguyen", full_name="Nguyễn Thị Lan", agency=people.agency_a, roles=["receptionist"]
    )
    token = staff_activation_tokens.make_token(lan)
    now = datetime.now()  # what the token generator's _now() returns
    monkeypatch.setattr(staff_activation_tokens, "_now", lambda: now + timedelta(hours=23))
    assert staff_activation_tokens.check_token(lan, token)
    monkeypatch.setattr(staff_activation_tokens, "_now", lambda: now + timedelta(hours=25))
    assert not staff_activation_tokens.check_token(lan, token)


def test_a_password_reset_token_is_not_an_activation_token(people):
    from django.contrib.auth.tokens import default_token_generator

    binh = people.receptionist_binh
    assert not staff_activation_tokens.check_token(binh, default_token_generator.make_token(binh))


def test_a_new_activation_link_replaces_the_previous_one(admin_client, people):
    binh = people.receptionist_binh  # never activated
    first = activation_link(admin_client.post(reverse("accounts:staff_activation_link", args=[binh.pk])))
    second = activation_link(admin_client.post(reverse("accounts:staff_activation_link", args=[binh.pk])))
    assert Client().get(first).status_code == 200  # the "link not valid" page
    assert Client().get(second).status_code == 302
    assert events(SecurityEventType.PASSWORD_RESET_REQUESTED, user=binh).count() == 2


def test_an_activated_account_gets_no_activation_link(admin_client, people):
    binh = people.receptionist_binh
    binh.set_password(OFFICIAL_PASSWORD)
    binh.save()
    response = admin_client.post(reverse("accounts:staff_activation_link", args=[binh.pk]), follow=True)
    assert "Tài khoản đã được kích hoạt" in response.content.decode()
    binh_after = User.objects.get(pk=binh.pk)
    assert binh_after.check_password(OFFICIAL_PASSWORD)
    assert not events(SecurityEventType.PASSWORD_RESET_REQUESTED, user=binh).exists()


def test_no_activation_link_for_an_official_who_also_works_in_an_agency_the_administrator_does_not_manage(
    admin_client, people
):
    mai = make_official("mai.do", full_name="Đỗ Thị Mai", agency=people.agency_a, roles=["specialist"])
    StaffMembership.objects.create(user=mai, agency=people.agency_b, role=StaffRole.APPROVER)
    password_before = mai.password
    response = admin_client.post(reverse("accounts:staff_activation_link", args=[mai.pk]))
    assert response.status_code == 403
    mai.refresh_from_db()
    assert mai.password == password_before
    assert not events(SecurityEventType.PASSWORD_RESET_REQUESTED, user=mai).exists()


def test_an_official_of_another_agency_is_given_a_role_by_username(admin_client, people):
    chi = people.official_chi
    response = admin_client.post(
        reverse("accounts:staff_create"),
        {"username": "chi.pham", "full_name": "", "role": StaffRole.APPROVER},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:staff_detail", args=[chi.pk])
    assert StaffMembership.objects.filter(user=chi, agency=people.agency_a, role=StaffRole.APPROVER).exists()
    chi.refresh_from_db()
    assert chi.full_name == "Phạm Minh Chi"
    assert User.objects.filter(username="chi.pham").count() == 1


@pytest.mark.parametrize(
    ("username", "message"),
    [
        ("nguoi.dan", "Tên đăng nhập này đã được dùng"),  # an account that is not an official's
        ("031090000001", "Tên đăng nhập không hợp lệ"),  # a personal ID number
        ("Lê Lan", "Tên đăng nhập không hợp lệ"),
    ],
)
def test_a_username_that_is_not_a_new_official_username_is_refused(admin_client, people, username, message):
    User.objects.create(username="nguoi.dan", full_name="Người Dân")
    before = StaffMembership.objects.count()
    response = admin_client.post(
        reverse("accounts:staff_create"),
        {"username": username, "full_name": "Lê Lan", "role": "receptionist"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert StaffMembership.objects.count() == before


def test_a_new_account_needs_a_full_name(admin_client):
    response = admin_client.post(
        reverse("accounts:staff_create"), {"username": "lan.nguyen", "role": "receptionist"}
    )
    assert "Nhập họ và tên của cán bộ" in response.content.decode()
    assert not User.objects.filter(username="lan.nguyen").exists()


def test_granting_a_role_already_held_changes_nothing(admin_client, people):
    binh = people.receptionist_binh
    admin_client.post(reverse("accounts:staff_role_grant", args=[binh.pk]), {"role": StaffRole.RECEPTIONIST})
    assert StaffMembership.objects.filter(user=binh).count() == 1
    assert not events(SecurityEventType.ROLE_GRANTED, user=binh).exists()


def test_a_revoked_role_granted_again_reuses_its_row(admin_client, people):
    binh = people.receptionist_binh
    row = StaffMembership.objects.get(user=binh)
    admin_client.post(reverse("accounts:staff_role_revoke", args=[binh.pk]), {"role": StaffRole.RECEPTIONIST})
    row.refresh_from_db()
    assert not row.is_active
    assert client_sees(admin_client, binh, "Không còn vai trò")
    admin_client.post(reverse("accounts:staff_role_grant", args=[binh.pk]), {"role": StaffRole.RECEPTIONIST})
    row.refresh_from_db()
    assert row.is_active and StaffMembership.objects.filter(user=binh).count() == 1
    assert events(SecurityEventType.ROLE_REVOKED, user=binh).count() == 1
    assert events(SecurityEventType.ROLE_GRANTED, user=binh).count() == 1


def client_sees(client, member, text) -> bool:
    return text in client.get(reverse("accounts:staff_detail", args=[member.pk])).content.decode()


def test_the_last_agency_administrator_cannot_be_revoked(admin_client, people):
    hoa = people.admin_hoa
    response = admin_client.post(
        reverse("accounts:staff_role_revoke", args=[hoa.pk]), {"role": StaffRole.AGENCY_ADMIN}, follow=True
    )
    assert "Cơ quan cần ít nhất một cán bộ quản trị" in response.content.decode()
    assert StaffMembership.objects.get(user=hoa, role=StaffRole.AGENCY_ADMIN).is_active
    assert not events(SecurityEventType.ROLE_REVOKED).exists()

    StaffMembership.objects.create(user=people.receptionist_binh, agency=people.agency_a, role="agency_admin")
    admin_client.post(reverse("accounts:staff_role_revoke", args=[hoa.pk]), {"role": StaffRole.AGENCY_ADMIN})
    assert not StaffMembership.objects.get(user=hoa, role=StaffRole.AGENCY_ADMIN).is_active
    assert admin_client.get(reverse("accounts:staff_list")).status_code == 403  # no longer an administrator


def test_resetting_two_factor_signs_the_official_out_and_makes_them_enrol_again(admin_client, people):
    binh = people.receptionist_binh
    binh.set_password(OFFICIAL_PASSWORD)
    binh.save()
    binh_client = Client()
    sign_in_verified(binh_client, binh)
    assert binh_client.get(reverse("accounts:agency_choose")).status_code == 200

    response = admin_client.post(reverse("accounts:staff_two_factor_reset", args=[binh.pk]))
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=binh).exists()
    assert events(SecurityEventType.TWO_FACTOR_RESET, user=binh).get().detail["by"] == "hoa.le"

    assert binh_client.get(reverse("accounts:agency_choose"))["Location"].startswith(
        reverse("accounts:sign_in")
    )
    binh_client.post(reverse("accounts:sign_in"), {"username": binh.username, "password": OFFICIAL_PASSWORD})
    assert binh_client.get(reverse("accounts:agency_choose"))["Location"].startswith(
        reverse("accounts:two_factor_enrol")
    )


def test_an_administrator_cannot_reset_their_own_two_factor(admin_client, people):
    hoa = people.admin_hoa
    response = admin_client.post(reverse("accounts:staff_two_factor_reset", args=[hoa.pk]), follow=True)
    assert "Bạn không thể tự đặt lại xác thực hai lớp" in response.content.decode()
    assert TOTPDevice.objects.filter(user=hoa).exists()


def test_the_staff_pages_show_roles_activation_and_two_factor_state(admin_client, people):
    page = admin_client.get(reverse("accounts:staff_list")).content.decode()
    assert "Trần Thị Bình" in page and "Cán bộ tiếp nhận" in page and "Chưa kích hoạt" in page
    detail = admin_client.get(
        reverse("accounts:staff_detail", args=[people.receptionist_binh.pk])
    ).content.decode()
    assert "Thu hồi vai trò Cán bộ tiếp nhận" in detail
    assert "Đặt lại xác thực hai lớp" in detail and "Tạo liên kết kích hoạt mới" in detail
