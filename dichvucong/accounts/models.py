"""People who sign in (citizens, business representatives, officials) and what secures them."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from dichvucong.directory.models import AdministrativeUnit, Agency


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class IdentityProvider(models.TextChoices):
    LOCAL = "local", _("Tài khoản của cổng")
    VNEID = "vneid", _("VNeID")


class AssuranceLevel(models.IntegerChoices):
    NONE = 0, _("Chưa xác thực định danh")
    LEVEL_1 = 1, _("Định danh điện tử mức 1")
    LEVEL_2 = 2, _("Định danh điện tử mức 2")


class User(AbstractUser):
    """Every person who signs in: citizens, business representatives and officials.

    Citizens sign in with their personal ID number (the username) or through VNeID; officials are
    users with at least one StaffMembership.
    """

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    # One account per personal ID (DOMAIN.md §5): unique, NULL for accounts without one (officials).
    personal_id = models.CharField(
        _("số định danh cá nhân"), max_length=12, unique=True, null=True, blank=True
    )
    birth_date = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=6, choices=Gender.choices, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=16, blank=True)  # E.164: +84912345678
    phone_verified_at = models.DateTimeField(_("xác minh số điện thoại lúc"), null=True, blank=True)
    email_verified_at = models.DateTimeField(_("xác minh thư điện tử lúc"), null=True, blank=True)
    address_province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address_commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường, đặc khu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address_street = models.CharField(_("số nhà, đường, thôn, tổ"), max_length=200, blank=True)
    identity_provider = models.CharField(
        _("cách đăng ký"), max_length=10, choices=IdentityProvider.choices, default=IdentityProvider.LOCAL
    )
    assurance_level = models.PositiveSmallIntegerField(
        _("mức định danh"), choices=AssuranceLevel.choices, default=AssuranceLevel.NONE
    )
    password_changed_at = models.DateTimeField(_("đổi mật khẩu lúc"), null=True, blank=True)
    # Bumped by "sign out of all devices": part of the session hash, so every session ends.
    session_version = models.PositiveIntegerField(default=0, editable=False)
    last_login_ip = models.GenericIPAddressField(_("địa chỉ IP lần đăng nhập cuối"), null=True, blank=True)
    closure_requested_at = models.DateTimeField(_("yêu cầu đóng tài khoản lúc"), null=True, blank=True)
    # {"<event type>": ["email", "sms", "inapp"]}; see accounts.preferences for the defaults.
    notification_preferences = models.JSONField(_("nhận thông báo"), default=dict, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        indexes = [
            # Password reset by SMS and the public lookup by registered phone.
            models.Index(fields=["phone"], name="user_phone_idx"),
            # Password reset by e-mail.
            models.Index(fields=["email"], name="user_email_idx"),
        ]

    def __str__(self):
        return self.full_name or self.username

    def get_full_name(self):
        return self.full_name or super().get_full_name()

    def get_session_auth_hash(self):
        """Django ends a session whose stored hash no longer matches: include session_version."""
        return salted_hmac(
            "dichvucong.accounts.User.get_session_auth_hash",
            f"{self.password}:{self.session_version}",
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_official(self) -> bool:
        return self.staff_memberships.filter(is_active=True).exists()


class Organization(models.Model):
    """A business, household business or other organisation that files procedures."""

    name = models.CharField(_("tên tổ chức"), max_length=300)
    tax_code = models.CharField(_("mã số thuế"), max_length=14, unique=True)
    address_province = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("tỉnh, thành phố"), on_delete=models.PROTECT, related_name="+"
    )
    address_commune = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("xã, phường, đặc khu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    address_street = models.CharField(_("địa chỉ"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tổ chức, doanh nghiệp")
        verbose_name_plural = _("tổ chức, doanh nghiệp")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.tax_code})"


class OrganizationRole(models.TextChoices):
    OWNER = "owner", _("Người đại diện theo pháp luật")
    STAFF = "staff", _("Người được ủy quyền")


class OrganizationMember(models.Model):
    """A representative who may file on the organisation's behalf."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="organization_memberships")
    role = models.CharField(_("vai trò"), max_length=10, choices=OrganizationRole.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("người đại diện")
        verbose_name_plural = _("người đại diện")
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="one_membership_per_user")
        ]

    def __str__(self):
        return f"{self.user} – {self.organization}"


class StaffRole(models.TextChoices):
    RECEPTIONIST = "receptionist", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo ký duyệt")
    AGENCY_ADMIN = "agency_admin", _("Quản trị cơ quan")


class StaffMembership(models.Model):
    """An official's role in an agency; every back-office query is scoped by these rows."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_memberships")
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(_("vai trò"), max_length=20, choices=StaffRole.choices)
    is_active = models.BooleanField(_("đang hiệu lực"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("phân công cán bộ")
        verbose_name_plural = _("phân công cán bộ")
        constraints = [models.UniqueConstraint(fields=["user", "agency", "role"], name="one_role_per_agency")]
        indexes = [
            # Staff list of an agency (agency administrators' page) and permission checks.
            models.Index(fields=["agency", "is_active"], name="membership_agency_idx"),
        ]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} – {self.agency}"


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords: the policy refuses the last five."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user_id} @ {self.created_at:%Y-%m-%d}"


class SecurityEventType(models.TextChoices):
    SIGN_IN = "sign_in", _("Đăng nhập thành công")
    SIGN_IN_FAILED = "sign_in_failed", _("Đăng nhập thất bại")
    LOCKED_OUT = "locked_out", _("Tạm khóa do nhập sai nhiều lần")
    SIGN_OUT = "sign_out", _("Đăng xuất")
    SIGN_OUT_EVERYWHERE = "sign_out_everywhere", _("Đăng xuất khỏi mọi thiết bị")
    PASSWORD_CHANGED = "password_changed", _("Đổi mật khẩu")
    PASSWORD_RESET = "password_reset", _("Đặt lại mật khẩu")
    PASSWORD_RESET_REQUESTED = "password_reset_requested", _("Yêu cầu đặt lại mật khẩu")
    OTP_FAILED = "otp_failed", _("Nhập sai mã OTP")
    TWO_FACTOR_ENABLED = "two_factor_enabled", _("Bật xác thực hai lớp")
    TWO_FACTOR_DISABLED = "two_factor_disabled", _("Tắt xác thực hai lớp")
    TWO_FACTOR_RESET = "two_factor_reset", _("Đặt lại xác thực hai lớp")
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", _("Tạo lại mã khôi phục")
    RECOVERY_CODE_USED = "recovery_code_used", _("Dùng mã khôi phục")
    ROLE_GRANTED = "role_granted", _("Cấp vai trò")
    ROLE_REVOKED = "role_revoked", _("Thu hồi vai trò")
    EMAIL_VERIFIED = "email_verified", _("Xác minh thư điện tử")
    PHONE_VERIFIED = "phone_verified", _("Xác minh số điện thoại")
    CONTACT_CHANGED = "contact_changed", _("Đổi thông tin liên hệ")
    OIDC_REFUSED = "oidc_refused", _("Từ chối đăng nhập VNeID")
    VNEID_LINKED = "vneid_linked", _("Liên kết tài khoản với VNeID")
    DATA_EXPORTED = "data_exported", _("Tải dữ liệu cá nhân")
    CLOSURE_REQUESTED = "closure_requested", _("Yêu cầu đóng tài khoản")
    REGISTERED = "registered", _("Đăng ký tài khoản")


class SecurityEvent(models.Model):
    """Append-only audit log of security events: who, what, when (UTC), from where; never a secret."""

    user = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="security_events"
    )
    username = models.CharField(_("tên đăng nhập đã nhập"), max_length=150, blank=True)
    event_type = models.CharField(_("sự kiện"), max_length=30, choices=SecurityEventType.choices)
    ip_address = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    user_agent = models.CharField(_("trình duyệt"), max_length=300, blank=True)
    detail = models.JSONField(_("chi tiết"), default=dict, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("nhật ký an ninh")
        verbose_name_plural = _("nhật ký an ninh")
        ordering = ["-created_at", "-id"]
        indexes = [
            # "Recent sign-in history" on the profile page.
            models.Index(fields=["user", "event_type", "-created_at"], name="security_event_user_idx"),
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.event_type} {self.username}"


class CodePurpose(models.TextChoices):
    VERIFY_PHONE = "verify_phone", _("Xác minh số điện thoại")
    VERIFY_EMAIL = "verify_email", _("Xác minh thư điện tử")
    RESET_PASSWORD = "reset_password", _("Đặt lại mật khẩu")


class OneTimeCode(models.Model):
    """A one-time code or link token: stored hashed, expires, used once, attempts counted."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="one_time_codes")
    purpose = models.CharField(max_length=20, choices=CodePurpose.choices)
    channel = models.CharField(max_length=10)  # "sms" or "email"
    destination = models.CharField(max_length=254)  # the phone or e-mail it was sent to
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        indexes = [
            # The live code of a user for a purpose, and the rate limit (codes sent in the last hour).
            models.Index(fields=["user", "purpose", "-created_at"], name="one_time_code_user_idx"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.purpose} {self.created_at:%Y-%m-%d %H:%M}"
