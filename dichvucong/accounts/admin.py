from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import Organization, OrganizationMember, SecurityEvent, StaffMembership, User


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    fk_name = "user"
    extra = 0
    raw_id_fields = ("agency",)
    fields = ("agency", "role", "is_active", "created_at")
    readonly_fields = ("created_at",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (
            _("Định danh và liên hệ"),
            {
                "fields": (
                    "full_name",
                    "personal_id",
                    "birth_date",
                    "gender",
                    "phone",
                    "phone_verified_at",
                    "email_verified_at",
                    "address_province",
                    "address_commune",
                    "address_street",
                    "identity_provider",
                    "assurance_level",
                )
            },
        ),
        (_("Bảo mật"), {"fields": ("password_changed_at", "last_login_ip", "closure_requested_at")}),
    )
    readonly_fields = ("password_changed_at", "last_login_ip", "last_login", "date_joined")
    raw_id_fields = ("address_province", "address_commune")
    list_display = (
        "username",
        "full_name",
        "personal_id",
        "email",
        "is_staff",
        "is_active",
        "closure_requested_at",
    )
    list_filter = ("is_active", "is_staff", "identity_provider", "assurance_level")
    search_fields = ("username", "full_name", "personal_id", "email", "phone")
    inlines = [StaffMembershipInline]


class OrganizationMemberInline(admin.TabularInline):
    model = OrganizationMember
    extra = 0
    raw_id_fields = ("user",)


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "tax_code", "address_province")
    search_fields = ("name", "tax_code")
    raw_id_fields = ("address_province", "address_commune")
    inlines = [OrganizationMemberInline]


@admin.register(StaffMembership)
class StaffMembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "agency", "role", "is_active", "created_at")
    list_filter = ("role", "is_active")
    search_fields = ("user__username", "user__full_name", "agency__name", "agency__code")
    raw_id_fields = ("user", "agency", "created_by")


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """The security audit log: visible to system administrators, never editable."""

    list_display = ("created_at", "event_type", "username", "user", "ip_address")
    list_filter = ("event_type",)
    search_fields = ("username", "ip_address", "user__full_name")
    date_hierarchy = "created_at"
    readonly_fields = ("created_at", "event_type", "user", "username", "ip_address", "user_agent", "detail")
    list_select_related = ("user",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser
