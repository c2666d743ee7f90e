"""Demo accounts for `make run` (listed in README.md): only while DEBUG is on, never in production."""

import base64

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.models import (
    Organization,
    OrganizationMember,
    OrganizationRole,
    StaffMembership,
    StaffRole,
    User,
)
from dichvucong.accounts.services.two_factor import TOTP_DEVICE_NAME
from dichvucong.directory.models import AdministrativeUnit, Agency

# The documented demo TOTP secret (README.md): add it to an authenticator app, or print the current code
# with `manage.py accounts_demo_code`. Demo only: the command refuses to run without DEBUG.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXP"  # noqa: S105 - documented demo value, DEBUG only
CITIZEN_PASSWORD = "CongDan@2026!"  # noqa: S105 - documented demo value, DEBUG only
OFFICIAL_PASSWORD = "CanBo@2026!"  # noqa: S105 - documented demo value, DEBUG only
ADMIN_PASSWORD = "QuanTri@2026!"  # noqa: S105 - documented demo value, DEBUG only

CITIZENS = [
    # personal ID, full name, birth date, gender, phone, e-mail
    ("031090123456", "Nguyễn Văn An", "1990-05-17", "male", "+84912345678", "an.nguyen@example.vn"),
    ("031185000123", "Trần Thị Bình", "1985-03-04", "female", "+84987654321", "binh.tran@example.vn"),
]
BUSINESS = ("Công ty TNHH Thương mại Thượng Hồng (demo)", "0201234569")
OFFICIALS = [
    # username, full name, agency code, role
    ("tiepnhan.thuonghong", "Lê Thị Tiếp", "10993.ttpvhcc", StaffRole.RECEPTIONIST),
    ("chuyenvien.thuonghong", "Phạm Văn Chuyên", "10993.ubnd", StaffRole.SPECIALIST),
    ("lanhdao.thuonghong", "Hoàng Văn Lãnh", "10993.ubnd", StaffRole.APPROVER),
    ("quantri.thuonghong", "Vũ Thị Quản", "10993.ttpvhcc", StaffRole.AGENCY_ADMIN),
    ("tiepnhan.haiphong", "Đỗ Minh Nhận", "31.ttpvhcc", StaffRole.RECEPTIONIST),
    ("quantri.haiphong", "Bùi Thị Hà", "31.ttpvhcc", StaffRole.AGENCY_ADMIN),
]


class Command(BaseCommand):
    help = "Create the demo accounts listed in README.md (only when DEBUG is on; idempotent)."

    @transaction.atomic
    def handle(self, *args, verbosity=1, **options):
        if not settings.DEBUG:
            raise CommandError("Dữ liệu demo chỉ được tạo khi DEBUG=true.")
        hai_phong = AdministrativeUnit.objects.get(code="31")
        thuong_hong = AdministrativeUnit.objects.get(code="10993")

        admin = self._user(
            "quantri", ADMIN_PASSWORD, full_name="Quản trị hệ thống (demo)", is_staff=True, is_superuser=True
        )
        self._totp(admin)
        citizens = []
        for personal_id, name, birth, gender, phone, email in CITIZENS:
            citizens.append(
                self._user(
                    personal_id,
                    CITIZEN_PASSWORD,
                    full_name=name,
                    personal_id=personal_id,
                    birth_date=birth,
                    gender=gender,
                    phone=phone,
                    phone_verified_at=timezone.now(),
                    email=email,
                    email_verified_at=timezone.now(),
                    address_province=hai_phong,
                    address_commune=thuong_hong,
                    address_street="Thôn Đông",
                )
            )
        organization, _ = Organization.objects.get_or_create(
            tax_code=BUSINESS[1],
            defaults={"name": BUSINESS[0], "address_province": hai_phong, "address_commune": thuong_hong},
        )
        OrganizationMember.objects.get_or_create(
            organization=organization, user=citizens[0], defaults={"role": OrganizationRole.OWNER}
        )
        for username, name, agency_code, role in OFFICIALS:
            official = self._user(
                username, OFFICIAL_PASSWORD, full_name=name, email=f"{username}@demo.dichvucong.local"
            )
            StaffMembership.objects.get_or_create(
                user=official, agency=Agency.objects.get(code=agency_code), role=role
            )
            self._totp(official)
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Tài khoản demo: quantri, {len(CITIZENS)} công dân, 1 doanh nghiệp, "
                    f"{len(OFFICIALS)} cán bộ (mã TOTP demo: {DEMO_TOTP_SECRET})."
                )
            )

    def _user(self, username, password, **fields) -> User:
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(password)
            user.password_changed_at = timezone.now()
            user.save(update_fields=["password", "password_changed_at"])
        return user

    def _totp(self, user) -> None:
        key = base64.b32decode(DEMO_TOTP_SECRET).hex()
        TOTPDevice.objects.get_or_create(
            user=user, name=TOTP_DEVICE_NAME, defaults={"key": key, "confirmed": True}
        )
