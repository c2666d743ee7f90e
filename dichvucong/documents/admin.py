"""Django admin of signed documents: read-only records (revocation goes through the service)."""

from django.contrib import admin

from .models import SignedDocument


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    list_display = ("title", "issuer_name", "signer_name", "signed_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("token", "sha256", "reference", "issuer_name")
    date_hierarchy = "signed_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
