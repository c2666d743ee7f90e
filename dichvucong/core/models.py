"""Domain-free tables of the core app."""

from django.db import models
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from . import calendar


class CalendarOverride(models.Model):
    """A day off or a make-up working day decided by the government (or the province) that the
    `holidays` package does not know yet; it wins over the package (see docs/calendar.md)."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    # Unique: one rule per day. Its index also serves the calendar's load of one year (day BETWEEN …).
    day = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    name = models.CharField(
        _("tên"), max_length=200, help_text=_("Ví dụ: Nghỉ bù Quốc khánh, Làm bù cho ngày 31/8.")
    )
    legal_basis = models.TextField(
        _("căn cứ pháp lý"),
        blank=True,
        help_text=_("Số, ngày và cơ quan ban hành văn bản, ví dụ: Thông báo số …/TB-BNV ngày …"),
    )
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        ordering = ["day"]
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("lịch ngày nghỉ, ngày làm bù")

    def __str__(self):
        return f"{self.day:%d/%m/%Y} – {self.name}"


# Every process caches the calendar (core/calendar.py): tell them a row changed. Signals rather than
# save()/delete() because the admin's bulk delete goes through queryset.delete(); queryset.update()
# and bulk_create() send nothing and must call calendar.calendar_overrides_changed() themselves.
@receiver(post_save, sender=CalendarOverride, dispatch_uid="core.calendar_override_saved")
@receiver(post_delete, sender=CalendarOverride, dispatch_uid="core.calendar_override_deleted")
def _calendar_override_changed(**kwargs):
    calendar.calendar_overrides_changed()
