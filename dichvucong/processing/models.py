"""The back office's records of a dossier: its steps (form 6), extensions (form 4), internal notes and
how its result was returned. The dossier's state lives on dossiers.Dossier (workflow.py)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.catalog.models import StepKind, StepRole
from dichvucong.directory.models import Agency
from dichvucong.dossiers.models import Dossier


class Timeliness(models.TextChoices):
    """The tiers of the national service index (calendar.timeliness values)."""

    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


class DossierStep(models.Model):
    """One row of form 6 (Phiếu kiểm soát quá trình giải quyết hồ sơ): a step of the dossier's process.

    Reception copies the process template's steps here with their due dates (planned rows: `received_at`
    empty). A step starts when it is handed over (giver `handed_over_by`, receiver `assigned_to`, time
    `received_at`) and ends when it is handed on (`finished_at`, `result_note`, `timeliness`). A step sent
    back or transferred adds a row of the same kind, so the rows are the full history of hand-overs.
    """

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("thứ tự"))
    kind = models.CharField(_("loại bước"), max_length=12, choices=StepKind.choices)
    name = models.CharField(_("tên bước"), max_length=200)
    role = models.CharField(_("vai trò thực hiện"), max_length=20, choices=StepRole.choices)
    agency = models.ForeignKey(Agency, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    # Empty: the pool of `role` at `agency` (anyone of them may take it).
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bên nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("bên giao"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    received_at = models.DateTimeField(_("thời gian nhận"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    # Since when `due_at` holds: supplement pauses that begin later move it (processing.budget).
    due_set_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(_("thời gian hoàn thành"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    result_note = models.TextField(_("kết quả xử lý"), blank=True)
    timeliness = models.CharField(_("đánh giá"), max_length=10, choices=Timeliness.choices, blank=True)

    class Meta:
        verbose_name = _("bước xử lý hồ sơ")
        verbose_name_plural = _("phiếu kiểm soát quá trình giải quyết hồ sơ")
        indexes = [
            # Form 6 of one dossier, and its current step (started, not finished).
            models.Index(fields=["dossier", "position", "id"], name="dossier_step_dossier_idx"),
            models.Index(
                fields=["dossier"],
                condition=Q(received_at__isnull=False, finished_at__isnull=True),
                name="dossier_step_current_idx",
            ),
        ]

    def __str__(self):
        return f"{self.dossier} {self.position}. {self.name}"

    @property
    def is_planned(self) -> bool:
        return self.received_at is None

    @property
    def is_current(self) -> bool:
        return self.received_at is not None and self.finished_at is None


class Extension(models.Model):
    """Form 4 (Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết): the history of new
    appointment dates of a late dossier, signed by the approver (DOMAIN.md §4)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="extensions")
    number = models.PositiveSmallIntegerField(_("lần gia hạn"))
    reason = models.TextField(_("lý do"))
    previous_due = models.DateTimeField(_("ngày hẹn cũ"), null=True, blank=True)
    new_due = models.DateTimeField(_("ngày hẹn mới"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề nghị"), on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người ký"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("gia hạn giải quyết")
        verbose_name_plural = _("gia hạn giải quyết")
        ordering = ["dossier", "number"]
        constraints = [models.UniqueConstraint(fields=["dossier", "number"], name="extension_number_unique")]

    def __str__(self):
        return f"{self.dossier} #{self.number}"


class InternalNote(models.Model):
    """A note between officials on a dossier; never shown to the applicant. Append-only."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ghi chú nội bộ")
        verbose_name_plural = _("ghi chú nội bộ")
        ordering = ["created_at", "id"]
        indexes = [
            # The notes of one dossier, oldest first.
            models.Index(fields=["dossier", "created_at"], name="internal_note_dossier_idx"),
        ]

    def __str__(self):
        return f"{self.dossier} {self.created_at:%Y-%m-%d %H:%M}"


class DeliveryMethod(models.TextChoices):
    ONLINE = "online", _("Trả kết quả trực tuyến")
    POST = "post", _("Trả kết quả qua bưu chính")
    DESK = "desk", _("Trả kết quả tại bộ phận một cửa")


class ResultDelivery(models.Model):
    """How the result left the agency: online (into the dossier and the document wallet), by post
    (tracking number; the dossier counts as returned once sent) or at the desk (to whom, originals)."""

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="result_delivery")
    method = models.CharField(_("cách trả"), max_length=10, choices=DeliveryMethod.choices)
    tracking_number = models.CharField(_("mã bưu gửi"), max_length=40, blank=True)
    sent_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("ngày trao"), null=True, blank=True)
    handed_to = models.CharField(_("người nhận"), max_length=150, blank=True)
    originals_collected = models.BooleanField(_("đã thu bản chính"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("trả kết quả")
        verbose_name_plural = _("trả kết quả")

    def __str__(self):
        return f"{self.dossier} {self.method}"
