from django.contrib import admin
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from . import calendar
from .models import CalendarOverride
from .text import fold


class FoldedSearchMixin:
    """Admin search that also matches a folded column, so "thuong hong" finds "Thượng Hồng"."""

    folded_search_field = "name_folded"

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        folded = fold(search_term)
        if folded:
            results = results | queryset.filter(**{f"{self.folded_search_field}__contains": folded})
        return results, may_have_duplicates


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(admin.ModelAdmin):
    """Days off and make-up working days decided after the `holidays` package was released; each row
    wins over the package, and every process sees it within seconds (docs/calendar.md)."""

    list_display = ("day", "weekday", "kind", "name", "legal_basis", "package_day")
    list_filter = ("kind",)
    date_hierarchy = "day"
    search_fields = ("name", "legal_basis")
    ordering = ("-day",)
    readonly_fields = ("package_day", "created_at", "updated_at")
    fields = ("day", "kind", "name", "legal_basis", "package_day", "created_at", "updated_at")

    @admin.display(description=_("thứ"))
    def weekday(self, obj):
        return formats.date_format(obj.day, "l")

    @admin.display(description=_("lịch mặc định"))
    def package_day(self, obj):
        """What the built-in calendar says of the day, so the administrator sees what the row changes."""
        return calendar.package_day_name(obj.day) if obj.day else "–"
