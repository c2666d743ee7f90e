from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class UnitType(models.TextChoices):
    PROVINCE = "tinh", _("Tỉnh")
    CITY = "thanh_pho", _("Thành phố")
    COMMUNE = "xa", _("Xã")
    WARD = "phuong", _("Phường")
    SPECIAL_ZONE = "dac_khu", _("Đặc khu")


# The word used inside running text: "Ủy ban nhân dân xã Thượng Hồng", "Sở Tư pháp thành phố Hải Phòng".
UNIT_TYPE_WORD = {
    UnitType.PROVINCE: "tỉnh",
    UnitType.CITY: "thành phố",
    UnitType.COMMUNE: "xã",
    UnitType.WARD: "phường",
    UnitType.SPECIAL_ZONE: "đặc khu",
}


class AdministrativeUnit(models.Model):
    """A province (tỉnh/thành phố) or a commune-level unit (xã/phường/đặc khu) of the two-level system.

    Codes are the statistics office's; a new unit may reuse an old unit's code (10993 was Xã Thái Hòa,
    Hải Dương, and is now Xã Thượng Hồng, Hải Phòng), so a code is only unique within its scheme.
    """

    code_scheme = models.CharField(_("bảng mã"), max_length=20, default="2025")
    code = models.CharField(_("mã"), max_length=5)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    unit_type = models.CharField(_("loại"), max_length=10, choices=UnitType.choices)
    name = models.CharField(_("tên đầy đủ"), max_length=120)
    short_name = models.CharField(_("tên"), max_length=100)
    # fold(name): matching across spellings (Hòa/Hoà, M'Drắk/M’Drắk) and diacritic-free lookups.
    name_folded = models.CharField(max_length=120, editable=False)
    slug = models.SlugField(max_length=120)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    legal_note = models.TextField(_("ghi chú pháp lý"), blank=True)
    resolution = models.CharField(_("nghị quyết"), max_length=40, blank=True)
    resolution_date = models.DateField(_("ngày nghị quyết"), null=True, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_until = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            # Loader upserts match on (scheme, code).
            models.UniqueConstraint(fields=["code_scheme", "code"], name="unit_code_unique_in_scheme"),
        ]
        indexes = [
            # Province → commune chooser: communes of one province in name order.
            models.Index(fields=["parent", "name_folded"], name="unit_parent_name_idx"),
            # Province list and level filters.
            models.Index(fields=["level", "code"], name="unit_level_code_idx"),
        ]

    def __str__(self):
        if self.parent_id and self.level == UnitLevel.COMMUNE:
            return f"{self.name}, {self.parent.name}"
        return self.name

    @property
    def name_in_text(self) -> str:
        """The name as it reads inside a sentence: 'xã Thượng Hồng', 'thành phố Hải Phòng'."""
        return f"{UNIT_TYPE_WORD[self.unit_type]} {self.short_name}"


class AdministrativeUnitChange(models.Model):
    """One change the loader made to a unit (rename, change of type): the unit's legal history."""

    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.CASCADE, related_name="changes")
    field = models.CharField(max_length=30)
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    resolution = models.CharField(max_length=40, blank=True)
    resolution_date = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("thay đổi đơn vị hành chính")
        verbose_name_plural = _("thay đổi đơn vị hành chính")
        ordering = ["-recorded_at", "id"]

    def __str__(self):
        return f"{self.unit_id} {self.field}: {self.old_value} → {self.new_value}"


class AgencyKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("Ủy ban nhân dân")
    DEPARTMENT = "department", _("Sở, ngành")
    SERVICE_CENTRE = "service_centre", _("Trung tâm Phục vụ hành chính công")
    SOCIAL_INSURANCE = "social_insurance", _("Bảo hiểm xã hội")
    POLICE = "police", _("Công an")
    LAND_REGISTRY = "land_registry", _("Văn phòng đăng ký đất đai")


class Agency(models.Model):
    """A body that receives or settles procedures, generated for every administrative unit.

    `role` names the body within its unit ("ubnd", "ttpvhcc", "so-tu-phap"); the catalogue refers to
    competent and receiving agencies by role. `identifier` is the configurable code used in dossier
    codes; it is set when the agency is created and may then be edited by an administrator.
    """

    code = models.CharField(_("mã nội bộ"), max_length=40, unique=True)
    identifier = models.CharField(_("mã định danh"), max_length=40, unique=True)
    role = models.CharField(_("vai trò"), max_length=40)
    kind = models.CharField(_("loại cơ quan"), max_length=30, choices=AgencyKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=UnitLevel.choices)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    # Denormalised from unit for "agencies of a province" without a join through the unit tree.
    province = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("tỉnh, thành phố"),
        on_delete=models.PROTECT,
        related_name="province_agencies",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    name = models.CharField(_("tên cơ quan"), max_length=200)
    name_folded = models.CharField(max_length=200, editable=False)
    address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=40, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    opening_hours = models.CharField(_("giờ làm việc"), max_length=200, blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["province__code", "level", "unit__code", "role"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "role"], name="agency_role_unique_in_unit"),
        ]
        indexes = [
            # Agency list of a province, by level (agency directory page, chooser).
            models.Index(fields=["province", "level", "name_folded"], name="agency_province_level_idx"),
        ]

    def __str__(self):
        return self.name
