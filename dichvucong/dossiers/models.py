"""Dossiers (hồ sơ): what a citizen or business files, its attachments, timeline and messages."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.models import Organization
from dichvucong.catalog.models import Offering, Procedure, ProcedureVersion, RequiredDocument
from dichvucong.directory.models import Agency
from dichvucong.documents.models import StoredFile

from .workflow import CLOCK_RUNNING_STATES, DESK_STATES, OPEN_STATES, Outcome, State


class Channel(models.IntegerChoices):
    """KenhThucHien of the national portal."""

    IN_PERSON = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Bưu chính")


class Delivery(models.TextChoices):
    DESK = "desk", _("Nhận tại bộ phận một cửa")
    POST = "post", _("Nhận qua dịch vụ bưu chính")
    ONLINE = "online", _("Nhận kết quả điện tử trên cổng")


class Dossier(models.Model):
    """A dossier, from draft to returned result. It pins the procedure version it was filed under."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Set at submission by dossiers.codes; drafts have none.
    code = models.CharField(_("mã hồ sơ"), max_length=40, unique=True, null=True, blank=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        on_delete=models.PROTECT,
        related_name="dossiers",
    )
    # Filed on behalf of a business (the applicant is one of its representatives).
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="dossiers"
    )
    procedure = models.ForeignKey(Procedure, on_delete=models.PROTECT, related_name="dossiers")
    version = models.ForeignKey(ProcedureVersion, on_delete=models.PROTECT, related_name="dossiers")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="dossiers")
    competent_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="competent_dossiers")
    # Where the dossier is received (Decree 118/2025: any centre of the province may receive).
    reception_agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="received_dossiers")
    channel = models.PositiveSmallIntegerField(_("kênh"), choices=Channel.choices, default=Channel.ONLINE)
    service_level = models.CharField(_("mức độ dịch vụ"), max_length=10)
    state = models.CharField(_("trạng thái"), max_length=25, choices=State.choices, default=State.DRAFT)
    # Where a supplement request came from: submitting the supplement returns there.
    state_before_supplement = models.CharField(max_length=25, choices=State.choices, blank=True)
    # Optimistic lock: every transition bumps it; a stale page's action is refused.
    lock_version = models.PositiveIntegerField(default=0)

    # --- Back office (processing app; docs/backoffice.md) ---
    # The agency whose officials hold the dossier now (its current processing step): the reception
    # agency at the desk and for the return, the competent agency while it is processed, another
    # agency after a transfer. The inbox of an agency is its desk; empty until reception.
    handling_agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="handled_dossiers"
    )
    # The official holding the current step; empty: the step is in the pool of its role at that agency.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ được phân công"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_dossiers",
    )
    # Set while a supplement is awaited (state supplement_requested): the clock is stopped since then.
    clock_paused_at = models.DateTimeField(null=True, blank=True)
    # National index rule: a second supplement request counts the dossier as late (DOMAIN.md §4).
    counted_late = models.BooleanField(default=False)
    outcome = models.CharField(_("kết quả giải quyết"), max_length=15, choices=Outcome.choices, blank=True)
    # Financial obligation assessed by the specialist, in đồng; the payments issue adds FeeAssessment
    # and PaymentRequest rows and makes it payable online, this column stays as the amount asked.
    amount_due = models.PositiveBigIntegerField(_("số tiền phải nộp (đồng)"), null=True, blank=True)
    paid_at = models.DateTimeField(_("ngày nộp tiền"), null=True, blank=True)

    form_data = models.JSONField(_("tờ khai"), default=dict, blank=True)
    delivery = models.CharField(_("cách nhận kết quả"), max_length=10, choices=Delivery.choices, blank=True)
    delivery_address = models.JSONField(_("địa chỉ nhận kết quả"), default=dict, blank=True)
    declaration_accepted_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    due_date = models.DateTimeField(_("ngày hẹn trả"), null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    draft_warned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")
        indexes = [
            # "Hồ sơ của tôi": a citizen's dossiers, newest first, filtered by state.
            models.Index(fields=["applicant", "state", "-updated_at"], name="dossier_applicant_idx"),
            # Draft purge: drafts by last change.
            models.Index(fields=["updated_at"], condition=Q(state=State.DRAFT), name="dossier_draft_age_idx"),
            # Deadline scan (back office): open dossiers by due date.
            models.Index(
                fields=["due_date"], condition=Q(state__in=sorted(OPEN_STATES)), name="dossier_open_due_idx"
            ),
            # Back-office inbox of a receiving agency by state ("new online submissions", oldest first).
            models.Index(fields=["reception_agency", "state", "-submitted_at"], name="dossier_reception_idx"),
            # Inbox buckets of one state on an agency's desk, by due date (processing.selectors).
            models.Index(
                fields=["handling_agency", "state", "due_date", "id"],
                condition=Q(state__in=sorted(DESK_STATES)),
                name="dossier_desk_state_due_idx",
            ),
            # Everything on an agency's desk by due date (the inbox's "all" list).
            models.Index(
                fields=["handling_agency", "due_date", "id"],
                condition=Q(state__in=sorted(DESK_STATES)),
                name="dossier_desk_due_idx",
            ),
            # "Due within 2 working days" and "overdue" of an agency: the clock runs in these states only.
            models.Index(
                fields=["handling_agency", "due_date", "id"],
                condition=Q(state__in=sorted(CLOCK_RUNNING_STATES)),
                name="dossier_desk_running_due_idx",
            ),
            # "Assigned to me" by due date.
            # "Assigned to me" at the active agency, by due date: both equalities in the index, or SQLite
            # picks the agency's desk index and filters a busy desk row by row (bench/inbox.py: 350 ms).
            models.Index(
                fields=["assigned_to", "handling_agency", "due_date", "id"],
                condition=Q(state__in=sorted(DESK_STATES)),
                name="dossier_assigned_desk_due_idx",
            ),
        ]

    def __str__(self):
        return self.code or f"draft {self.public_id}"

    @property
    def is_draft(self) -> bool:
        return self.state == State.DRAFT


class Attachment(models.Model):
    """A file given for one required document (or with a supplement or a message)."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="attachments")
    required_document = models.ForeignKey(
        RequiredDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stored_file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="attachments")
    supplement = models.ForeignKey(
        "SupplementRequest", on_delete=models.PROTECT, null=True, blank=True, related_name="attachments"
    )
    message = models.ForeignKey(
        "Message", on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    # Reused from the document wallet instead of uploaded again (the national index counts reuse).
    reused_from_wallet = models.BooleanField(default=False)
    # Scanned at the desk by a receptionist (walk-in reception, back-office issue).
    digitised = models.BooleanField(default=False)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["added_at", "id"]

    def __str__(self):
        return str(self.stored_file)


class DossierEvent(models.Model):
    """Append-only: the citizen's timeline, the audit log and the statistics source."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=25, blank=True)
    to_state = models.CharField(max_length=25, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    actor_role = models.CharField(max_length=20, blank=True)
    # Shown to the citizen (a refusal reason, a supplement note); internal notes stay out of it.
    note = models.TextField(blank=True)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            # The timeline of one dossier.
            models.Index(fields=["dossier", "created_at"], name="dossier_event_timeline_idx"),
        ]

    def __str__(self):
        return f"{self.dossier_id} {self.action} {self.from_state}→{self.to_state}"


class SupplementRequest(models.Model):
    """An itemised request for more documents (form 2): what is missing, why, and how to fix it."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="supplement_requests")
    number = models.PositiveSmallIntegerField(default=1)  # a second request counts as late (national index)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # [{"required_document": id or None, "name": "...", "reason": "...", "guidance": "..."}]
    items = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.dossier} #{self.number}"


class Message(models.Model):
    """A message on a dossier between the applicant and the agency."""

    dossier = models.ForeignKey(Dossier, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_agency = models.BooleanField(default=False)
    body = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.dossier} {self.created_at:%Y-%m-%d %H:%M}"


class RatingValue(models.TextChoices):
    """The three answers of the national satisfaction index (DOMAIN.md §6)."""

    VERY_SATISFIED = "very_satisfied", _("Rất hài lòng")
    SATISFIED = "satisfied", _("Hài lòng")
    DISSATISFIED = "dissatisfied", _("Không hài lòng")


class Rating(models.Model):
    """The applicant's satisfaction with a returned dossier: one per dossier, given once.

    Here rather than in the processing app: the citizen gives it on their dossier page (dossiers may not
    import processing), and the statistics read it with the dossier.
    """

    dossier = models.OneToOneField(Dossier, on_delete=models.CASCADE, related_name="rating")
    value = models.CharField(_("mức độ hài lòng"), max_length=20, choices=RatingValue.choices)
    comment = models.TextField(_("góp ý"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đánh giá hài lòng")
        verbose_name_plural = _("đánh giá hài lòng")

    def __str__(self):
        return f"{self.dossier} {self.value}"


class DossierCodeSequence(models.Model):
    """The last daily number of an agency's dossier codes: incremented under a row lock."""

    agency_identifier = models.CharField(max_length=40)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agency_identifier", "day"], name="one_sequence_per_agency_day")
        ]

    def __str__(self):
        return f"{self.agency_identifier} {self.day:%Y-%m-%d}: {self.last_number}"
