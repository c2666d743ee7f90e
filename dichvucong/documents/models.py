"""Files people upload and documents the system issues, stored privately.

This app knows nothing of dossiers: dossiers keep their own attachment rows that point here.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FileKind(models.TextChoices):
    UPLOAD = "upload", _("Tệp tải lên")
    RESULT = "result", _("Kết quả giải quyết")
    GENERATED = "generated", _("Tài liệu do hệ thống tạo")


class StoredFile(models.Model):
    """One file in private storage: a server-generated name, the content type found by libmagic, its
    size and SHA-256, and the original file name kept only for display and downloads."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="stored_files", null=True, blank=True
    )
    kind = models.CharField(max_length=10, choices=FileKind.choices, default=FileKind.UPLOAD)
    storage_name = models.CharField(max_length=200, unique=True)
    original_name = models.CharField(_("tên tệp"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    # In the citizen's document wallet (kho dữ liệu cá nhân) for reuse: files of submitted dossiers and
    # issued results; files of a draft that is never submitted are not kept.
    in_wallet = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp")
        verbose_name_plural = _("tệp")
        indexes = [
            # The document wallet page: a citizen's reusable files, newest first.
            models.Index(fields=["owner", "in_wallet", "-created_at"], name="stored_file_wallet_idx"),
        ]

    def __str__(self):
        return self.original_name


class SignedDocument(models.Model):
    """A document the system signed for an agency (a result), and what its public verification page
    (/xac-thuc/<token>/, the target of the QR code printed on it) may show.

    Plain values only: this app knows nothing of dossiers; the caller keeps a link to this row.
    """

    # Random, unguessable (signing.signed_document_new_token); the unique index serves the page.
    token = models.CharField(max_length=64, unique=True, editable=False)
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="signed_documents")
    sha256 = models.CharField(_("mã băm SHA-256"), max_length=64)
    title = models.CharField(_("tên văn bản"), max_length=200)
    issuer_name = models.CharField(_("cơ quan cấp"), max_length=200)
    # Agency.code of the signing identity (the folder of its certificate under SIGNING_DIR).
    issuer_code = models.CharField(max_length=80, blank=True)
    signer_name = models.CharField(_("người ký"), max_length=200)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    certificate_fingerprint = models.CharField(max_length=64, blank=True)
    # The caller's reference (a dossier code); public only when show_reference is set.
    reference = models.CharField(_("số tham chiếu"), max_length=100, blank=True)
    show_reference = models.BooleanField(default=False)
    revoked_at = models.DateTimeField(_("thời điểm thu hồi"), null=True, blank=True)
    revocation_reason = models.CharField(_("lý do thu hồi"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản đã ký số")
        verbose_name_plural = _("văn bản đã ký số")
        constraints = [
            # A revoked document always says why (the verification page shows the reason).
            models.CheckConstraint(
                condition=models.Q(revoked_at__isnull=True) | ~models.Q(revocation_reason=""),
                name="signed_document_revoked_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.issuer_name})"
