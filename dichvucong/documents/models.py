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
