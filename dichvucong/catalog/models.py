"""The national catalogue of administrative procedures.

Procedure holds the identity (code, field, search columns); everything a citizen reads about it lives
on a ProcedureVersion, which becomes immutable once published: later dossiers pin the version they
were filed under, so a catalogue change never alters an open dossier.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dichvucong.core.money import format_vnd
from dichvucong.directory.models import AdministrativeUnit, Agency

from .eform import EFormDefinitionError, iter_fields, validate_definition


class Level(models.TextChoices):
    MINISTRY = "ministry", _("Cấp bộ")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class Channel(models.TextChoices):
    ONLINE = "online", _("Trực tuyến")
    POSTAL = "postal", _("Dịch vụ bưu chính")
    IN_PERSON = "in_person", _("Trực tiếp")


class ServiceLevel(models.TextChoices):
    FULL = "full", _("Toàn trình")
    PARTIAL = "partial", _("Một phần")
    OFFLINE = "offline", _("Chỉ nộp trực tiếp")


class ApplicantType(models.TextChoices):
    CITIZEN = "citizen", _("Công dân Việt Nam")
    FOREIGNER = "foreigner", _("Người nước ngoài")
    ORGANIZATION = "organization", _("Doanh nghiệp, tổ chức")


class Field(models.Model):
    """A procedure domain (lĩnh vực): Hộ tịch, Đất đai, Bảo hiểm xã hội…"""

    slug = models.SlugField(_("mã"), max_length=80, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=200)
    description = models.TextField(_("mô tả"), blank=True)
    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class ImmutableVersionError(ValidationError):
    """Raised on any attempt to change a published version or its parts."""

    def __init__(self):
        super().__init__(
            _("Phiên bản đã công bố không được sửa; hãy tạo phiên bản mới."), code="immutable_version"
        )


class Procedure(models.Model):
    """An administrative procedure (thủ tục hành chính) identified by its national code."""

    code = models.CharField(_("mã thủ tục"), max_length=20, unique=True)
    field = models.ForeignKey(
        Field, verbose_name=_("lĩnh vực"), on_delete=models.PROTECT, related_name="procedures"
    )
    # The published version citizens see now; set by procedure_version_publish.
    current_version = models.OneToOneField(
        "ProcedureVersion",
        verbose_name=_("phiên bản hiện hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # Denormalised from the current version for listing, filtering and search.
    name = models.CharField(_("tên thủ tục"), max_length=600, editable=False)
    is_ministry_level = models.BooleanField(_("cấp bộ"), default=False, editable=False)
    is_province_level = models.BooleanField(_("cấp tỉnh"), default=False, editable=False)
    is_commune_level = models.BooleanField(_("cấp xã"), default=False, editable=False)
    name_folded = models.CharField(max_length=600, editable=False, db_index=True)
    # fold() of code, name, field and keywords: the one column both full-text backends index.
    search_document = models.TextField(editable=False, blank=True)
    popularity = models.PositiveIntegerField(_("mức độ phổ biến"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]
        indexes = [
            # Home page "popular procedures" and the unfiltered catalogue order.
            models.Index(fields=["is_active", "-popularity", "name_folded"], name="procedure_popular_idx"),
            # Filter by field in the catalogue.
            models.Index(fields=["field", "is_active"], name="procedure_field_idx"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def get_absolute_url(self):
        return reverse("catalog:procedure_detail", kwargs={"code": self.code})

    @property
    def levels(self) -> list[str]:
        flags = [
            (Level.MINISTRY, self.is_ministry_level),
            (Level.PROVINCE, self.is_province_level),
            (Level.COMMUNE, self.is_commune_level),
        ]
        return [level for level, on in flags if on]


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Bản nháp")
    PUBLISHED = "published", _("Đã công bố")
    RETIRED = "retired", _("Đã thay thế")


class ProcedureVersion(models.Model):
    """What a procedure requires at one point in time; frozen once published."""

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("số phiên bản"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=VersionStatus.choices, default="draft")
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    # SHA-256 of the canonical source content: the loader publishes a new version only when it changes.
    content_hash = models.CharField(max_length=64, blank=True)

    name = models.CharField(_("tên thủ tục"), max_length=600)
    levels = models.JSONField(_("cấp thực hiện"), default=list)
    applicant_types = models.JSONField(_("đối tượng thực hiện"), default=list)
    description = models.TextField(_("mô tả"), blank=True)
    conditions = models.TextField(_("yêu cầu, điều kiện"), blank=True)
    steps = models.JSONField(_("trình tự thực hiện"), default=list)
    legal_basis = models.JSONField(_("căn cứ pháp lý"), default=list)
    results = models.JSONField(_("kết quả thực hiện"), default=list)
    competent_agency_text = models.TextField(_("cơ quan thực hiện"), blank=True)
    # How offerings are generated per level: {"commune": {"agency": "ubnd", "reception": "ttpvhcc"}}.
    agency_rules = models.JSONField(_("quy tắc cơ quan"), default=dict)
    service_level = models.CharField(_("mức độ dịch vụ"), max_length=10, choices=ServiceLevel.choices)
    channels = models.JSONField(_("cách thức thực hiện"), default=list)
    fee_text = models.TextField(_("phí, lệ phí"), blank=True)
    processing_time_text = models.TextField(_("thời hạn giải quyết"), blank=True)
    publishing_decision = models.CharField(_("quyết định công bố"), max_length=200, blank=True)
    source_url = models.URLField(_("nguồn"), max_length=500, blank=True)
    keywords = models.JSONField(_("từ khóa"), default=list, blank=True)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["procedure__code", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="version_number_unique"),
            # At most one published version per procedure at a time.
            models.UniqueConstraint(
                fields=["procedure"], condition=models.Q(status="published"), name="one_published_version"
            ),
        ]

    def __str__(self):
        return f"{self.procedure.code} v{self.number}"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.get("force_insert"):
            stored = ProcedureVersion.objects.filter(pk=self.pk).values("status").first()
            # Once published, only the status may move on (published → retired); nothing else.
            if stored and stored["status"] != VersionStatus.DRAFT:
                update_fields = set(kwargs.get("update_fields") or [])
                if update_fields - {"status"}:
                    raise ImmutableVersionError()
                if not update_fields:
                    raise ImmutableVersionError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_frozen:
            raise ImmutableVersionError()
        return super().delete(*args, **kwargs)

    @property
    def is_frozen(self) -> bool:
        return self.status != VersionStatus.DRAFT

    def processing_time_for(self, channel: str):
        return next((t for t in self.processing_times.all() if t.channel == channel), None)


def refuse_if_frozen(version_id) -> None:
    """Parts of a published or retired version are frozen with it."""
    if ProcedureVersion.objects.filter(pk=version_id).exclude(status=VersionStatus.DRAFT).exists():
        raise ImmutableVersionError()


class VersionPart(models.Model):
    """Base of everything that belongs to one version: frozen with it."""

    position = models.PositiveIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "id"]

    def save(self, *args, **kwargs):
        refuse_if_frozen(self.version_id)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.version.is_frozen:
            raise ImmutableVersionError()
        return super().delete(*args, **kwargs)


class TimeUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("ngày làm việc")
    CALENDAR_DAYS = "calendar_days", _("ngày")
    HOURS = "hours", _("giờ")


class ProcessingTime(VersionPart):
    """The legal time to settle the procedure on one channel."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="processing_times")

    channel = models.CharField(_("cách thức"), max_length=10, choices=Channel.choices)
    value = models.DecimalField(_("thời hạn"), max_digits=6, decimal_places=1)
    unit = models.CharField(_("đơn vị"), max_length=15, choices=TimeUnit.choices)
    # Civil status and certification: result the same day; received after this time → next working day.
    same_day_cutoff = models.TimeField(_("giờ tiếp nhận trả trong ngày"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("thời hạn giải quyết")
        verbose_name_plural = _("thời hạn giải quyết")
        constraints = [models.UniqueConstraint(fields=["version", "channel"], name="one_time_per_channel")]

    def __str__(self):
        return f"{self.get_channel_display()}: {self.display_value} {self.get_unit_display()}"

    @property
    def display_value(self) -> str:
        return f"{self.value.normalize():f}".replace(".", ",")

    def describe(self) -> str:
        """How a citizen reads it: '17 ngày làm việc', 'Trong ngày (sau 15:00: ngày làm việc tiếp theo)'."""
        if self.same_day_cutoff is not None:
            return _("Trong ngày; nhận hồ sơ sau %(time)s thì trả kết quả trong ngày làm việc tiếp theo") % {
                "time": self.same_day_cutoff.strftime("%H:%M")
            }
        return f"{self.display_value} {self.get_unit_display()}"


class FormTemplate(VersionPart):
    """A paper form (mẫu đơn, tờ khai) the project renders from its own HTML template to PDF."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="form_templates")

    slug = models.SlugField(_("mã mẫu"), max_length=120)
    name = models.CharField(_("tên mẫu"), max_length=300)
    template_name = models.CharField(_("tệp mẫu HTML"), max_length=200)
    legal_reference = models.CharField(_("ban hành kèm theo"), max_length=300, blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")
        constraints = [models.UniqueConstraint(fields=["version", "slug"], name="form_template_slug_unique")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse(
            "catalog:form_template_pdf", kwargs={"code": self.version.procedure.code, "slug": self.slug}
        )


class CopyKind(models.TextChoices):
    ORIGINAL = "original", _("Bản chính")
    CERTIFIED_COPY = "certified_copy", _("Bản sao có chứng thực")
    COPY = "copy", _("Bản sao")
    SHOWN = "shown", _("Xuất trình")


class Requirement(models.TextChoices):
    REQUIRED = "required", _("Bắt buộc")
    CONDITIONAL = "conditional", _("Bắt buộc khi có điều kiện")
    OPTIONAL = "optional", _("Không bắt buộc")


class FileType(models.TextChoices):
    PDF = "pdf", "PDF"
    JPEG = "jpeg", "JPEG"
    PNG = "png", "PNG"


class RequiredDocument(VersionPart):
    """A component of the dossier (thành phần hồ sơ)."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="documents")

    name = models.TextField(_("tên giấy tờ"))
    copies = models.PositiveSmallIntegerField(_("số lượng"), default=1)
    copy_kind = models.CharField(_("loại bản"), max_length=20, choices=CopyKind.choices, default="original")
    requirement = models.CharField(
        _("yêu cầu"), max_length=15, choices=Requirement.choices, default="required"
    )
    condition = models.TextField(_("điều kiện"), blank=True)
    accepted_types = models.JSONField(_("định dạng tệp"), default=list)
    # False for documents only shown at the desk (identity papers read from the population database).
    upload_online = models.BooleanField(_("nộp tệp trực tuyến"), default=True)
    form_template = models.ForeignKey(
        FormTemplate,
        verbose_name=_("mẫu"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self):
        return self.name[:80]


class FormDefinition(models.Model):
    """The interactive e-form (tờ khai điện tử) of a version: typed fields, validated by catalog.eform."""

    version = models.OneToOneField(ProcedureVersion, on_delete=models.CASCADE, related_name="form_definition")
    title = models.CharField(_("tiêu đề"), max_length=300)
    schema = models.JSONField(_("định nghĩa trường"))

    class Meta:
        verbose_name = _("biểu mẫu điện tử")
        verbose_name_plural = _("biểu mẫu điện tử")

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        refuse_if_frozen(self.version_id)
        super().save(*args, **kwargs)

    def clean(self):
        try:
            validate_definition(self.schema)
        except EFormDefinitionError as exc:
            raise ValidationError({"schema": str(exc)}) from exc

    def iter_fields(self):
        return iter_fields(self.schema)


class FeeKind(models.TextChoices):
    FIXED = "fixed", _("Cố định")
    PER_COPY = "per_copy", _("Theo bản")
    PER_PAGE = "per_page", _("Theo trang")
    POSTAL = "postal", _("Cước bưu chính")
    SET_BY_PROVINCE = "set_by_province", _("Theo quy định của tỉnh")


class FeeRule(VersionPart):
    """A fee or charge (phí, lệ phí) and how it is computed; amounts are integers in đồng."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fee_rules")

    name = models.CharField(_("tên khoản thu"), max_length=300)
    kind = models.CharField(_("cách tính"), max_length=20, choices=FeeKind.choices)
    amount = models.PositiveIntegerField(_("mức thu (đồng)"), default=0)
    # Per-page tiers: [{"from_page": 1, "amount": 2000}, {"from_page": 3, "amount": 1000}].
    tiers = models.JSONField(_("bậc"), default=list, blank=True)
    cap = models.PositiveIntegerField(_("mức tối đa mỗi bản (đồng)"), null=True, blank=True)
    channel = models.CharField(_("cách thức"), max_length=10, choices=Channel.choices, blank=True)
    exemptions = models.JSONField(_("miễn, giảm"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta(VersionPart.Meta):
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")

    def __str__(self):
        return self.name

    def describe(self) -> str:
        """The amount as citizens read it: 'Miễn phí', '8.000 đ/bản', tiers per page with the cap."""
        if self.kind == FeeKind.SET_BY_PROVINCE:
            return str(_("Theo mức do Hội đồng nhân dân cấp tỉnh quy định"))
        if self.kind == FeeKind.POSTAL and not self.amount:
            return str(_("Theo giá cước của doanh nghiệp bưu chính"))
        if self.kind == FeeKind.PER_PAGE and self.tiers:
            parts = []
            for i, tier in enumerate(self.tiers):
                if i + 1 < len(self.tiers):
                    last = self.tiers[i + 1]["from_page"] - 1
                    pages = _("trang %(first)s–%(last)s") % {"first": tier["from_page"], "last": last}
                else:
                    pages = _("từ trang %(first)s") % {"first": tier["from_page"]}
                parts.append(
                    _("%(amount)s/trang (%(pages)s)") % {"amount": format_vnd(tier["amount"]), "pages": pages}
                )
            text = "; ".join(str(p) for p in parts)
        elif self.amount == 0:
            return str(_("Miễn phí"))
        elif self.kind == FeeKind.PER_COPY:
            text = str(_("%(amount)s/bản") % {"amount": format_vnd(self.amount)})
        elif self.kind == FeeKind.PER_PAGE:
            text = str(_("%(amount)s/trang") % {"amount": format_vnd(self.amount)})
        else:
            text = format_vnd(self.amount)
        if self.cap:
            text += "; " + str(_("tối đa %(amount)s/bản") % {"amount": format_vnd(self.cap)})
        return text


class Offering(models.Model):
    """An agency offers a procedure: at which service level, through which channels, received where.

    `agency` is competent to settle it; `reception_agency` is the service centre where dossiers are
    received (Decree 118/2025 lets any centre of the province receive; this is the default one).
    """

    procedure = models.ForeignKey(Procedure, on_delete=models.CASCADE, related_name="offerings")
    agency = models.ForeignKey(
        Agency, verbose_name=_("cơ quan có thẩm quyền"), on_delete=models.CASCADE, related_name="offerings"
    )
    reception_agency = models.ForeignKey(
        Agency, verbose_name=_("nơi tiếp nhận"), on_delete=models.CASCADE, related_name="received_offerings"
    )
    # Denormalised for the chooser: "offerings of this procedure in this province", grouped by unit.
    province = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    level = models.CharField(_("cấp"), max_length=10, choices=Level.choices)
    service_level = models.CharField(_("mức độ dịch vụ"), max_length=10, choices=ServiceLevel.choices)
    online = models.BooleanField(_("trực tuyến"), default=True)
    postal = models.BooleanField(_("bưu chính"), default=True)
    in_person = models.BooleanField(_("trực tiếp"), default=True)
    is_active = models.BooleanField(_("đang cung cấp"), default=True)

    class Meta:
        verbose_name = _("cung cấp thủ tục")
        verbose_name_plural = _("cung cấp thủ tục")
        ordering = ["procedure__code", "level", "unit__name_folded"]
        constraints = [
            models.UniqueConstraint(
                fields=["procedure", "agency", "reception_agency"], name="offering_unique"
            ),
        ]
        indexes = [
            # Chooser: offerings of one procedure in one province.
            models.Index(fields=["procedure", "province", "is_active"], name="offering_procedure_prov_idx"),
            # Agency page: what this centre receives / this agency settles.
            models.Index(fields=["reception_agency", "is_active"], name="offering_reception_idx"),
            models.Index(fields=["agency", "is_active"], name="offering_agency_idx"),
            # Search filter "offered in province X".
            models.Index(fields=["province", "procedure"], name="offering_province_idx"),
        ]

    def __str__(self):
        return f"{self.procedure.code} @ {self.reception_agency}"

    @property
    def channels(self) -> list[str]:
        return [
            c
            for c, on in (("online", self.online), ("postal", self.postal), ("in_person", self.in_person))
            if on
        ]


# --- Back-office process (ProcessTemplate) ------------------------------------------------------------


class StepKind(models.TextChoices):
    """What a step of the back-office process is; each kind belongs to one dossier state (the
    processing app moves the dossier between kinds with the named transitions of dossiers.workflow)."""

    RECEPTION = "reception", _("Tiếp nhận hồ sơ")
    PROCESSING = "processing", _("Thẩm định, xử lý hồ sơ")
    APPROVAL = "approval", _("Lãnh đạo ký duyệt")
    ISSUANCE = "issuance", _("Phát hành kết quả")
    RETURN = "return", _("Trả kết quả")


class StepRole(models.TextChoices):
    """The officials' roles of accounts.StaffRole that hold steps (repeated: catalog imports no accounts)."""

    RECEPTIONIST = "receptionist", _("Cán bộ tiếp nhận")
    SPECIALIST = "specialist", _("Chuyên viên xử lý")
    APPROVER = "approver", _("Lãnh đạo ký duyệt")


# Steps come in this order of kinds; reception and return once each, at least one processing and one
# approval step (docs/backoffice.md).
KIND_ORDER = [StepKind.RECEPTION, StepKind.PROCESSING, StepKind.APPROVAL, StepKind.ISSUANCE, StepKind.RETURN]
KIND_ROLE = {
    StepKind.RECEPTION: StepRole.RECEPTIONIST,
    StepKind.PROCESSING: StepRole.SPECIALIST,
    StepKind.APPROVAL: StepRole.APPROVER,
    StepKind.ISSUANCE: StepRole.SPECIALIST,
    StepKind.RETURN: StepRole.RECEPTIONIST,
}


class ProcessTemplate(models.Model):
    """The back-office steps of one procedure version, each with its share of the time budget.

    Not a VersionPart: it is the agencies' internal organisation of the work, not what the version
    publishes to citizens, so administrators may still edit it once the version is published. That never
    alters an open dossier, because reception copies the steps into the dossier's own rows (form 6,
    processing.DossierStep) with their due dates; the legal total (ProcessingTime) stays frozen with the
    version. A version without a template uses the one of its closest earlier version, else the default
    (process_steps_for_version).
    """

    version = models.OneToOneField(
        ProcedureVersion, on_delete=models.CASCADE, related_name="process_template"
    )
    name = models.CharField(_("tên quy trình"), max_length=200)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("quy trình xử lý nội bộ")
        verbose_name_plural = _("quy trình xử lý nội bộ")

    def __str__(self):
        return f"{self.version}: {self.name}"

    def clean(self):
        if self.pk:
            process_steps_validate(list(self.steps.all()))


class ProcessTemplateStep(models.Model):
    """One step: who does it and its time budget, either a share (%) of the dossier's total time or a
    fixed number of working days; fixed budgets are taken first, shares split what remains."""

    template = models.ForeignKey(ProcessTemplate, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại bước"), max_length=12, choices=StepKind.choices)
    name = models.CharField(_("tên bước"), max_length=200)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=StepRole.choices)
    budget_percent = models.PositiveSmallIntegerField(_("tỷ lệ thời gian (%)"), null=True, blank=True)
    budget_working_days = models.DecimalField(
        _("số ngày làm việc"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["template", "position"]
        constraints = [
            models.UniqueConstraint(fields=["template", "position"], name="process_step_position_unique"),
            # Exactly one kind of budget, and a share is at most the whole.
            models.CheckConstraint(
                condition=(
                    models.Q(budget_percent__isnull=False, budget_working_days__isnull=True)
                    | models.Q(budget_percent__isnull=True, budget_working_days__isnull=False)
                ),
                name="process_step_one_budget",
            ),
            models.CheckConstraint(
                condition=models.Q(budget_percent__isnull=True) | models.Q(budget_percent__lte=100),
                name="process_step_percent_max",
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.name}"


@dataclass(frozen=True)
class ProcessStepPlan:
    """A step to copy into a dossier: a saved ProcessTemplateStep or one of the default steps."""

    position: int
    kind: str
    name: str
    role: str
    budget_percent: int | None = None
    budget_working_days: Decimal | None = None


# Reception → specialist review → leader approval → result issuance → return (issue 5): the shares
# follow common one-stop practice for a few days' procedure and are a default only.
DEFAULT_PROCESS_STEPS = (
    ProcessStepPlan(1, StepKind.RECEPTION, _("Tiếp nhận hồ sơ"), StepRole.RECEPTIONIST, 10),
    ProcessStepPlan(2, StepKind.PROCESSING, _("Chuyên viên thẩm định"), StepRole.SPECIALIST, 60),
    ProcessStepPlan(3, StepKind.APPROVAL, _("Lãnh đạo ký duyệt"), StepRole.APPROVER, 20),
    ProcessStepPlan(4, StepKind.ISSUANCE, _("Phát hành kết quả"), StepRole.SPECIALIST, 10),
    ProcessStepPlan(5, StepKind.RETURN, _("Trả kết quả"), StepRole.RECEPTIONIST, 0),
)


def process_steps_validate(steps) -> None:
    """ValidationError unless `steps` (in position order) follow KIND_ORDER with KIND_ROLE roles: one
    reception first, one return last, at least one processing and one approval step."""
    steps = sorted(steps, key=lambda step: step.position)
    kinds = [step.kind for step in steps]
    ranks = [KIND_ORDER.index(kind) for kind in kinds if kind in KIND_ORDER]
    if (
        len(ranks) != len(kinds)
        or ranks != sorted(ranks)
        or kinds.count(StepKind.RECEPTION) != 1
        or kinds.count(StepKind.RETURN) != 1
        or StepKind.PROCESSING not in kinds
        or StepKind.APPROVAL not in kinds
    ):
        raise ValidationError(
            _(
                "Quy trình phải theo thứ tự: một bước tiếp nhận, các bước xử lý, các bước ký duyệt, "
                "phát hành kết quả (nếu có) và một bước trả kết quả."
            ),
            code="process_order",
        )
    for step in steps:
        if step.role != KIND_ROLE[step.kind]:
            raise ValidationError(
                _("Bước “%(name)s” phải do %(role)s thực hiện.")
                % {"name": step.name, "role": StepRole(KIND_ROLE[step.kind]).label},
                code="process_role",
            )


def process_steps_for_version(version: ProcedureVersion) -> list[ProcessStepPlan]:
    """The steps a dossier filed under `version` follows: its template, else that of the closest earlier
    version of the procedure (a new version does not lose the agencies' process), else the default."""
    template = (
        ProcessTemplate.objects.filter(
            version__procedure_id=version.procedure_id, version__number__lte=version.number
        )
        .order_by("-version__number")
        .first()
    )
    steps = list(template.steps.order_by("position")) if template else []
    if not steps:
        return list(DEFAULT_PROCESS_STEPS)
    return [
        ProcessStepPlan(s.position, s.kind, s.name, s.role, s.budget_percent, s.budget_working_days)
        for s in steps
    ]
