"""Django admin (in Vietnamese) for fields, procedures, versions and their parts, and offerings.

Published versions are read-only here as in the model: to change a procedure, create a new draft
("Tạo bản nháp mới"), edit it, then publish it ("Công bố").
"""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from dichvucong.core.admin import FoldedSearchMixin

from .models import (
    FeeRule,
    Field,
    FormDefinition,
    FormTemplate,
    Offering,
    Procedure,
    ProcedureVersion,
    ProcessingTime,
    ProcessTemplate,
    ProcessTemplateStep,
    RequiredDocument,
    VersionStatus,
)
from .services import procedure_version_create_draft, procedure_version_publish
from .sources import FixtureError


@admin.register(Field)
class FieldAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "position")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


class VersionInline(admin.TabularInline):
    model = ProcedureVersion
    extra = 0
    fields = ("number", "status", "published_at", "name")
    readonly_fields = fields
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Procedure)
class ProcedureAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = ("code", "name", "field", "current_version", "popularity", "is_active")
    list_filter = ("field", "is_active", "is_province_level", "is_commune_level")
    search_fields = ("code", "name")
    fields = ("code", "field", "name", "current_version", "popularity", "is_active")
    readonly_fields = ("name", "current_version")
    inlines = [VersionInline]
    list_select_related = ("field", "current_version")

    def get_readonly_fields(self, request, obj=None):
        # The code is the procedure's identity; it never changes once created.
        return (*self.readonly_fields, "code") if obj else self.readonly_fields


class FrozenWhenPublished:
    """Inline parts of a published version are read-only (the model refuses changes too)."""

    extra = 0

    def _frozen(self, obj):
        return obj is not None and obj.is_frozen

    def has_add_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not self._frozen(obj) and super().has_delete_permission(request, obj)


class ProcessingTimeInline(FrozenWhenPublished, admin.TabularInline):
    model = ProcessingTime


class DocumentInline(FrozenWhenPublished, admin.StackedInline):
    model = RequiredDocument


class FormTemplateInline(FrozenWhenPublished, admin.TabularInline):
    model = FormTemplate


class FeeRuleInline(FrozenWhenPublished, admin.StackedInline):
    model = FeeRule


class FormDefinitionInline(FrozenWhenPublished, admin.StackedInline):
    model = FormDefinition


@admin.register(ProcedureVersion)
class ProcedureVersionAdmin(admin.ModelAdmin):
    list_display = ("procedure", "number", "status", "published_at", "name")
    list_filter = ("status",)
    search_fields = ("procedure__code", "name")
    list_select_related = ("procedure",)
    readonly_fields = ("procedure", "number", "status", "published_at", "content_hash")
    inlines = [ProcessingTimeInline, DocumentInline, FormTemplateInline, FeeRuleInline, FormDefinitionInline]
    actions = ["create_draft", "publish"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False  # versions are created by the loader or by "Tạo bản nháp mới"

    def has_change_permission(self, request, obj=None):
        return not (obj is not None and obj.is_frozen) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj is not None and obj.is_frozen) and super().has_delete_permission(request, obj)

    @admin.action(description=_("Tạo bản nháp mới từ phiên bản đã chọn"))
    def create_draft(self, request, queryset):
        for version in queryset.select_related("procedure"):
            draft = procedure_version_create_draft(version)
            self.message_user(request, _("Đã tạo bản nháp %(draft)s.") % {"draft": draft}, messages.SUCCESS)

    @admin.action(description=_("Công bố bản nháp đã chọn"))
    def publish(self, request, queryset):
        for version in queryset.filter(status=VersionStatus.DRAFT):
            try:
                if hasattr(version, "form_definition"):
                    version.form_definition.full_clean()
                procedure_version_publish(version)
            except (ValidationError, FixtureError) as exc:
                self.message_user(request, f"{version}: {exc}", messages.ERROR)
            else:
                self.message_user(
                    request, _("Đã công bố %(version)s.") % {"version": version}, messages.SUCCESS
                )


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin):
    list_display = ("procedure", "unit", "agency", "reception_agency", "service_level", "online", "is_active")
    list_filter = ("service_level", "level", "is_active", "province")
    search_fields = ("procedure__code", "unit__name", "agency__name")
    raw_id_fields = ("procedure", "agency", "reception_agency", "province", "unit")
    list_select_related = ("procedure", "unit", "agency", "reception_agency")


class ProcessTemplateStepInline(admin.TabularInline):
    model = ProcessTemplateStep
    extra = 0
    ordering = ("position",)


@admin.register(ProcessTemplate)
class ProcessTemplateAdmin(admin.ModelAdmin):
    """Back-office steps of a version (docs/backoffice.md). Editable after publication: reception copies
    the steps into each dossier, so an edit changes only dossiers received afterwards."""

    list_display = ("name", "version", "updated_at")
    search_fields = ("name", "version__procedure__code", "version__name")
    raw_id_fields = ("version",)
    inlines = [ProcessTemplateStepInline]
