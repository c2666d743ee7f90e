"""The outbox: every message to send is a row written in the same transaction as the event behind it.

Delivery (e-mail, SMS, in-app; retries, dead letters) is the notifications issue's; this issue writes
the rows so that nothing said in a transaction can be lost.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxChannel(models.TextChoices):
    EMAIL = "email", _("Thư điện tử")
    SMS = "sms", _("Tin nhắn SMS")
    INAPP = "inapp", _("Trên cổng")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi, sẽ thử lại")
    DEAD = "dead", _("Không gửi được")


class Outbox(models.Model):
    """One message to one recipient on one channel; `idempotency_key` is what the gateway receives so a
    retried delivery is never a second message."""

    idempotency_key = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    event = models.CharField(_("sự kiện"), max_length=40)
    channel = models.CharField(_("kênh"), max_length=10, choices=OutboxChannel.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="outbox"
    )
    address = models.CharField(_("địa chỉ nhận"), max_length=254, blank=True)
    # What the template needs, as plain values (codes, dates as text, names): no objects, no secrets.
    context = models.JSONField(default=dict)
    # The subject of the message, for "delivery log of a dossier" pages: e.g. ("dossier", "<code>").
    subject_type = models.CharField(max_length=30, blank=True)
    subject_id = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)  # in-app notices

    class Meta:
        verbose_name = _("thông báo chờ gửi")
        verbose_name_plural = _("thông báo chờ gửi")
        indexes = [
            # The relay's queue: pending rows due now, oldest first.
            models.Index(fields=["status", "next_attempt_at"], name="outbox_queue_idx"),
            # Delivery log of one dossier.
            models.Index(fields=["subject_type", "subject_id"], name="outbox_subject_idx"),
            # A user's in-app notices.
            models.Index(fields=["recipient", "channel", "-created_at"], name="outbox_recipient_idx"),
        ]

    def __str__(self):
        return f"{self.event} → {self.channel}:{self.recipient_id or self.address}"
