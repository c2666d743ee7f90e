"""Personas and helpers of the officials' tests (STYLE.md): two agencies and their staff, two citizens.

Agency A is the service centre of Xã Thượng Hồng (10993.ttpvhcc), agency B the one of Thành phố Hải
Phòng (31.ttpvhcc), both from the reference data. Other apps' back-office tests can import
`sign_in_verified` to get an official past two-factor authentication.
"""

from dataclasses import dataclass

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dichvucong.accounts.models import StaffMembership, StaffRole, User
from dichvucong.accounts.tests.factories import make_citizen
from dichvucong.directory.models import Agency

AGENCY_A = "10993.ttpvhcc"
AGENCY_B = "31.ttpvhcc"
OFFICIAL_PASSWORD = "Cán-bộ-Một-cửa-2026!"


def make_official(username: str, *, full_name: str, agency: Agency, roles, password=None) -> User:
    """An official with `roles` in `agency` (no usable password unless one is given)."""
    user = User(username=username, full_name=full_name, email=f"{username}@example.gov.vn")
    user.set_password(password)
    user.save()
    for role in roles:
        StaffMembership.objects.create(user=user, agency=agency, role=role)
    return user


def totp_device_for(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app (created with a random key if they have none)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="totp", confirmed=True)


def totp_code(device: TOTPDevice, *, steps_ahead: int = 0) -> str:
    """The code the official's phone shows now (or `steps_ahead` periods of 30 s later), from the key."""
    device.refresh_from_db()
    code = totp(
        device.bin_key, device.step, device.t0 - steps_ahead * device.step, device.digits, device.drift
    )
    return f"{code:0{device.digits}d}"


def sign_in_verified(client, user: User) -> TOTPDevice:
    """Sign `user` in on the test client as if they had typed their password and a TOTP code."""
    device = totp_device_for(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return device


@dataclass
class People:
    agency_a: Agency
    agency_b: Agency
    admin_hoa: User  # agency administrator of A
    receptionist_binh: User  # receptionist of A, with an authenticator app
    official_chi: User  # specialist of B
    admin_dung: User  # agency administrator of B
    citizen_an: User
    citizen_giang: User

    def __getitem__(self, name: str) -> User:
        return getattr(self, name)


def make_people() -> People:
    agency_a = Agency.objects.get(code=AGENCY_A)
    agency_b = Agency.objects.get(code=AGENCY_B)
    receptionist_binh = make_official(
        "binh.tran", full_name="Trần Thị Bình", agency=agency_a, roles=[StaffRole.RECEPTIONIST]
    )
    totp_device_for(receptionist_binh)
    return People(
        agency_a=agency_a,
        agency_b=agency_b,
        admin_hoa=make_official(
            "hoa.le", full_name="Lê Văn Hòa", agency=agency_a, roles=[StaffRole.AGENCY_ADMIN]
        ),
        receptionist_binh=receptionist_binh,
        official_chi=make_official(
            "chi.pham", full_name="Phạm Minh Chi", agency=agency_b, roles=[StaffRole.SPECIALIST]
        ),
        admin_dung=make_official(
            "dung.vu", full_name="Vũ Quốc Dũng", agency=agency_b, roles=[StaffRole.AGENCY_ADMIN]
        ),
        citizen_an=make_citizen(full_name="Nguyễn Văn An", password=None),
        citizen_giang=make_citizen(full_name="Đỗ Thu Giang", password=None),
    )
