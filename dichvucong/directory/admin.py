from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dichvucong.core.admin import FoldedSearchMixin

from .models import AdministrativeUnit, AdministrativeUnitChange, Agency


class ChangeInline(admin.TabularInline):
    model = AdministrativeUnitChange
    extra = 0
    can_delete = False
    fields = ("field", "old_value", "new_value", "resolution", "resolution_date", "recorded_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(AdministrativeUnit)
class AdministrativeUnitAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Units come from the loader (directory_load_units); the admin shows them and their history."""

    list_display = ("code", "name", "unit_type", "parent", "resolution", "valid_until")
    list_filter = ("level", "unit_type", "parent")
    search_fields = ("code", "name")
    readonly_fields = (
        "code_scheme",
        "code",
        "level",
        "unit_type",
        "name",
        "short_name",
        "parent",
        "legal_note",
        "resolution",
        "resolution_date",
        "updated_at",
    )
    fields = (*readonly_fields, "valid_from", "valid_until")
    inlines = [ChangeInline]
    list_select_related = ("parent",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(FoldedSearchMixin, admin.ModelAdmin):
    """Names and the tree are generated; contact details and the identifier are edited here."""

    list_display = ("name", "identifier", "kind", "province", "is_active")
    list_filter = ("kind", "level", "province")
    search_fields = ("code", "identifier", "name")
    readonly_fields = ("code", "role", "kind", "level", "unit", "province", "parent", "name")
    fieldsets = (
        (None, {"fields": ("name", "code", "role", "kind", "level", "unit", "province", "parent")}),
        (
            _("Thông tin do quản trị viên cập nhật"),
            {"fields": ("identifier", "address", "phone", "email", "opening_hours", "is_active")},
        ),
    )
    list_select_related = ("province",)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
