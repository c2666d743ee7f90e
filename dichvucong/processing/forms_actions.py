"""Forms of the actions on a dossier (views/actions.py). Each carries the `lock_version` of the page it
was drawn on; the service refuses a stale one. Forms check what a person can fix (a missing reason, an
amount that is not a number); the state table and the services check everything else.

Every form takes the acting context: `dossier`, `official`, `agency` and `step` (the current
DossierStep or None), to offer the right people, documents and agencies.
"""

import datetime as dt
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.accounts.models import StaffRole
from dichvucong.catalog.models import KIND_ROLE, StepKind
from dichvucong.directory.models import Agency
from dichvucong.dossiers.models import Delivery
from dichvucong.dossiers.workflow import Outcome

from .models import DeliveryMethod, DossierStep
from .selectors import staff_for_step
from .services.common import step_next_planned
from .services.delivery import originals_required

TEXTAREA = {"rows": 3}
MAX_REASON = 2000
# Free lines of a supplement request besides the catalogue's documents.
FREE_SUPPLEMENT_ITEMS = 3


class ActionForm(forms.Form):
    """The base of every action form: the page's version and the acting context."""

    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, dossier, official, agency, step=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.dossier, self.official, self.agency, self.step = dossier, official, agency, step
        self.setup()

    def setup(self) -> None:
        """Fields that depend on the dossier."""

    def full_clean(self):
        super().full_clean()
        self.mark_invalid()

    def add_error(self, field, error):
        super().add_error(field, error)
        self.mark_invalid()

    def mark_invalid(self) -> None:
        """Screen readers announce a field's error with the field (processing/actions/_field.html)."""
        for name in self._errors or ():
            if name in self.fields:
                field, auto_id = self.fields[name], self[name].auto_id
                described = [f"{auto_id}-error"] + ([f"{auto_id}_helptext"] if field.help_text else [])
                field.widget.attrs.update({"aria-invalid": "true", "aria-describedby": " ".join(described)})


def reason_field(label, required_message, *, required=True, help_text=""):
    return forms.CharField(
        label=label,
        max_length=MAX_REASON,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": required_message},
    )


class AssigneeChoiceField(forms.ModelChoiceField):
    """A person of the right role at the step's agency, or nobody: the step stays in the pool."""

    def label_from_instance(self, user):
        return user.get_full_name() or user.get_username()


def assignee_field(*, agency, role, label, pool_label=None):
    return AssigneeChoiceField(
        queryset=staff_for_step(agency=agency, role=role),
        required=False,
        label=label,
        empty_label=pool_label or _("Để trong nhóm, người có vai trò phù hợp sẽ nhận"),
    )


# --- Reception -----------------------------------------------------------------------------------------


class ReceiveForm(ActionForm):
    pass


class RefuseForm(ActionForm):
    reason = reason_field(
        _("Lý do từ chối tiếp nhận"),
        _("Hãy nêu lý do từ chối tiếp nhận."),
        help_text=_("Lý do được in trên phiếu từ chối (mẫu 03) và gửi cho người nộp."),
    )


class SupplementForm(ActionForm):
    """The itemised request (form 2): documents of the procedure version and/or free lines, each with
    what is wrong and how to fix it. At least one item."""

    def setup(self):
        self.documents = list(self.dossier.version.documents.order_by("position", "pk"))
        for document in self.documents:
            prefix = f"doc_{document.pk}"
            self.fields[prefix] = forms.BooleanField(label=document.name, required=False)
            self.fields[f"{prefix}_reason"] = forms.CharField(
                label=_("Chưa đạt vì"), max_length=1000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
            )
            self.fields[f"{prefix}_guidance"] = forms.CharField(
                label=_("Hướng dẫn bổ sung, hoàn thiện"),
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs=TEXTAREA),
            )
        for index in range(1, FREE_SUPPLEMENT_ITEMS + 1):
            prefix = f"free_{index}"
            self.fields[f"{prefix}_name"] = forms.CharField(
                label=_("Giấy tờ, nội dung cần bổ sung"), max_length=500, required=False
            )
            self.fields[f"{prefix}_reason"] = forms.CharField(
                label=_("Chưa đạt vì"), max_length=1000, required=False, widget=forms.Textarea(attrs=TEXTAREA)
            )
            self.fields[f"{prefix}_guidance"] = forms.CharField(
                label=_("Hướng dẫn bổ sung, hoàn thiện"),
                max_length=1000,
                required=False,
                widget=forms.Textarea(attrs=TEXTAREA),
            )

    def document_rows(self):
        """(document, checkbox, reason, guidance) bound fields, for the template."""
        return [
            (d, self[f"doc_{d.pk}"], self[f"doc_{d.pk}_reason"], self[f"doc_{d.pk}_guidance"])
            for d in self.documents
        ]

    def free_rows(self):
        return [
            (i, self[f"free_{i}_name"], self[f"free_{i}_reason"], self[f"free_{i}_guidance"])
            for i in range(1, FREE_SUPPLEMENT_ITEMS + 1)
        ]

    def clean(self):
        data = super().clean()
        items = []
        for document in self.documents:
            prefix = f"doc_{document.pk}"
            reason, guidance = data.get(f"{prefix}_reason", ""), data.get(f"{prefix}_guidance", "")
            if not data.get(prefix):
                if reason:
                    self.add_error(prefix, _("Hãy đánh dấu giấy tờ này nếu cần bổ sung."))
                continue
            if not reason:
                self.add_error(f"{prefix}_reason", _("Hãy nêu giấy tờ này chưa đạt vì sao."))
            items.append(
                {
                    "required_document": document.pk,
                    "name": document.name,
                    "reason": reason,
                    "guidance": guidance,
                }
            )
        for index in range(1, FREE_SUPPLEMENT_ITEMS + 1):
            prefix = f"free_{index}"
            name, reason = data.get(f"{prefix}_name", ""), data.get(f"{prefix}_reason", "")
            guidance = data.get(f"{prefix}_guidance", "")
            if not (name or reason or guidance):
                continue
            if not name:
                self.add_error(f"{prefix}_name", _("Hãy ghi tên giấy tờ hoặc nội dung cần bổ sung."))
            if not reason:
                self.add_error(f"{prefix}_reason", _("Hãy nêu lý do cần bổ sung."))
            items.append({"required_document": None, "name": name, "reason": reason, "guidance": guidance})
        if not items and not self.errors:
            raise forms.ValidationError(
                _("Hãy chọn ít nhất một giấy tờ cần bổ sung hoặc ghi một nội dung khác."), code="no_items"
            )
        data["items"] = items
        return data

    @property
    def is_second_request(self) -> bool:
        return self.dossier.supplement_requests.exists()


# --- Processing -----------------------------------------------------------------------------------------


class ForwardForm(ActionForm):
    def setup(self):
        self.fields["assignee"] = assignee_field(
            agency=self.dossier.competent_agency,
            role=KIND_ROLE[StepKind.PROCESSING],
            label=_("Chuyên viên xử lý"),
        )
        self.fields["note"] = forms.CharField(
            label=_("Ghi chú khi chuyển"),
            max_length=MAX_REASON,
            required=False,
            widget=forms.Textarea(attrs=TEXTAREA),
        )


class TakeForm(ActionForm):
    """Take the current step from the pool of one's role."""


class AssignForm(ActionForm):
    def setup(self):
        step = self.step
        self.fields["assignee"] = assignee_field(
            agency=step.agency if step else self.agency,
            role=step.role if step else StaffRole.RECEPTIONIST,
            label=_("Giao cho"),
            pool_label=_("Trả về nhóm (chưa giao cho ai)"),
        )


class HandOverForm(ActionForm):
    def setup(self):
        following = step_next_planned(self.dossier, self.step) if self.step else None
        self.next_step = following
        if following is not None:
            self.fields["assignee"] = assignee_field(
                agency=following.agency, role=following.role, label=_("Người nhận bước tiếp theo")
            )
        self.fields["note"] = forms.CharField(
            label=_("Kết quả xử lý bước này"),
            max_length=MAX_REASON,
            required=False,
            widget=forms.Textarea(attrs=TEXTAREA),
        )


class AgencyChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, agency):
        return agency.name


class TransferForm(ActionForm):
    def setup(self):
        here = self.step.agency_id if self.step else self.agency.pk
        # Agencies of the dossier's province (a department, another commune): province level first.
        self.fields["to_agency"] = AgencyChoiceField(
            queryset=Agency.objects.filter(
                province_id=self.dossier.competent_agency.province_id, is_active=True
            )
            .exclude(pk=here)
            .order_by("level", "name_folded"),
            label=_("Chuyển đến đơn vị"),
            empty_label=_("— Chọn đơn vị —"),
            error_messages={
                "required": _("Hãy chọn đơn vị nhận hồ sơ."),
                "invalid_choice": _("Đơn vị không hợp lệ."),
            },
        )
        self.fields["note"] = forms.CharField(
            label=_("Nội dung đề nghị đơn vị nhận"),
            max_length=MAX_REASON,
            widget=forms.Textarea(attrs=TEXTAREA),
            error_messages={"required": _("Hãy ghi nội dung đề nghị đơn vị nhận.")},
        )


class NoteForm(ActionForm):
    body = forms.CharField(
        label=_("Ghi chú nội bộ"),
        max_length=4000,
        help_text=_("Chỉ cán bộ xem được; người nộp hồ sơ không thấy ghi chú này."),
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages={"required": _("Hãy nhập nội dung ghi chú.")},
    )


class AmountField(forms.CharField):
    """An amount in đồng as people type it: '1.000.000', '1 000 000', '1000000 đ' → 1000000."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        if len(value) > 30:
            raise forms.ValidationError(_("Số tiền quá dài."), code="max_length")
        digits = re.sub(r"[\s.,_]|đ|₫|vnđ|vnd", "", value.lower())
        if not digits.isdigit() or int(digits) <= 0:
            raise forms.ValidationError(
                _("Số tiền phải là số nguyên dương, tính bằng đồng (ví dụ: 1.000.000)."), code="invalid"
            )
        if int(digits) > 10**13:
            raise forms.ValidationError(_("Số tiền quá lớn."), code="too_large")
        return int(digits)


class PaymentRequestForm(ActionForm):
    amount = AmountField(
        label=_("Số tiền phải nộp (đồng)"),
        help_text=_("Ví dụ: 1.000.000"),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "30"}),
        error_messages={"required": _("Hãy nhập số tiền phải nộp.")},
    )
    note = forms.CharField(
        label=_("Nội dung khoản phải nộp"),
        max_length=MAX_REASON,
        required=False,
        widget=forms.Textarea(attrs=TEXTAREA),
    )


class PaymentReceivedForm(ActionForm):
    receipt_number = forms.CharField(
        label=_("Số biên lai thu tiền"),
        max_length=100,
        error_messages={"required": _("Hãy nhập số biên lai thu tiền.")},
    )


class SubmitForApprovalForm(ActionForm):
    def setup(self):
        # The approval step that submitting opens (services.common.step_open), else the competent agency.
        planned = (
            DossierStep.objects.filter(dossier=self.dossier, received_at__isnull=True, kind=StepKind.APPROVAL)
            .select_related("agency")
            .order_by("position", "id")
            .first()
        )
        agency = planned.agency if planned is not None else self.dossier.competent_agency
        self.fields["assignee"] = assignee_field(
            agency=agency, role=StaffRole.APPROVER, label=_("Lãnh đạo ký duyệt")
        )
        self.fields["note"] = forms.CharField(
            label=_("Ý kiến đề xuất"),
            max_length=MAX_REASON,
            required=False,
            widget=forms.Textarea(attrs=TEXTAREA),
        )


class SendBackForm(ActionForm):
    reason = reason_field(_("Lý do trả lại"), _("Hãy nêu lý do trả lại."))

    def setup(self):
        self.fields["assignee"] = assignee_field(
            agency=self.step.agency if self.step else self.dossier.competent_agency,
            role=StaffRole.SPECIALIST,
            label=_("Chuyên viên xử lý lại"),
            pool_label=_("Người đã trình (mặc định)"),
        )


class ApproveForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("Kết quả giải quyết"),
        choices=Outcome.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn kết quả: giải quyết hoặc không giải quyết.")},
    )
    decision_text = forms.CharField(
        label=_("Nội dung kết quả (khi giải quyết)"),
        max_length=4000,
        required=False,
        help_text=_("Để trống: dùng nội dung mặc định của mẫu kết quả."),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    reason = forms.CharField(
        label=_("Lý do không giải quyết"),
        max_length=MAX_REASON,
        required=False,
        help_text=_("Bắt buộc khi không giải quyết; in trên văn bản trả lời gửi người nộp."),
        widget=forms.Textarea(attrs=TEXTAREA),
    )
    number = forms.CharField(label=_("Số văn bản"), max_length=50, required=False)

    def clean(self):
        data = super().clean()
        if data.get("outcome") == Outcome.NOT_GRANTED and not data.get("reason"):
            self.add_error("reason", _("Hãy nêu lý do không giải quyết."))
        return data


class StopForm(ActionForm):
    reason = reason_field(_("Lý do dừng giải quyết"), _("Hãy nêu lý do dừng giải quyết."))
    legal_basis = forms.CharField(
        label=_("Căn cứ pháp lý"),
        max_length=1000,
        help_text=_("Điều, khoản, văn bản làm căn cứ dừng giải quyết; in trên thông báo (mẫu 05)."),
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Hãy nêu căn cứ pháp lý của việc dừng giải quyết.")},
    )


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class ExtendForm(ActionForm):
    reason = reason_field(
        _("Lý do chậm, xin lỗi và gia hạn"),
        _("Hãy nêu lý do gia hạn."),
        help_text=_("In trên văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04) gửi người nộp."),
    )
    new_due = forms.DateField(
        label=_("Ngày hẹn trả mới"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
        widget=DateInput(),
        error_messages={
            "required": _("Hãy chọn ngày hẹn trả mới."),
            "invalid": _("Ngày không hợp lệ; hãy nhập theo dạng ngày/tháng/năm."),
        },
    )

    def setup(self):
        self.fields["approver"] = AssigneeChoiceField(
            queryset=staff_for_step(agency=self.agency, role=StaffRole.APPROVER),
            label=_("Lãnh đạo ký văn bản"),
            empty_label=_("— Chọn lãnh đạo —"),
            error_messages={"required": _("Văn bản gia hạn cần lãnh đạo ký duyệt.")},
        )
        if self.fields["approver"].queryset.filter(pk=self.official.pk).exists():
            self.fields["approver"].initial = self.official.pk

    def clean_new_due(self):
        new_due = self.cleaned_data["new_due"]
        current = self.dossier.due_date
        if current is not None and new_due <= timezone.localtime(current).date():
            raise forms.ValidationError(
                _("Ngày hẹn trả mới phải sau ngày hẹn hiện tại (%(date)s).")
                % {"date": timezone.localtime(current).strftime("%d/%m/%Y")}
            )
        if new_due <= timezone.localdate():
            raise forms.ValidationError(_("Ngày hẹn trả mới phải sau hôm nay."))
        if new_due > timezone.localdate() + dt.timedelta(days=366):
            raise forms.ValidationError(_("Ngày hẹn trả mới quá xa (quá một năm)."))
        return new_due


# --- Results and their return ------------------------------------------------------------------------------


class ResultUploadForm(ActionForm):
    file = forms.FileField(
        label=_("Tệp kết quả (PDF)"),
        error_messages={"required": _("Hãy chọn tệp PDF kết quả.")},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )
    title = forms.CharField(label=_("Tên văn bản"), max_length=200, required=False)
    sign = forms.BooleanField(
        label=_("Ký số bằng chứng thư số của cơ quan trước khi đính kèm"), required=False, initial=True
    )


class ReturnForm(ActionForm):
    method = forms.ChoiceField(
        label=_("Cách trả kết quả"),
        choices=DeliveryMethod.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Hãy chọn cách trả kết quả.")},
    )
    tracking_number = forms.CharField(
        label=_("Mã bưu gửi"),
        max_length=40,
        required=False,
        help_text=_("Khi gửi qua bưu chính công ích."),
    )
    handed_to = forms.CharField(
        label=_("Người nhận kết quả"),
        max_length=150,
        required=False,
        help_text=_("Khi trả tại bộ phận một cửa: họ tên người nhận."),
    )

    def setup(self):
        self.needs_originals = originals_required(self.dossier)
        if self.needs_originals:
            self.fields["originals_collected"] = forms.BooleanField(
                label=_("Đã thu bản chính giấy tờ theo quy định"), required=False
            )
        self.fields["method"].initial = {
            Delivery.ONLINE: DeliveryMethod.ONLINE,
            Delivery.POST: DeliveryMethod.POST,
            Delivery.DESK: DeliveryMethod.DESK,
        }.get(self.dossier.delivery)

    def clean(self):
        data = super().clean()
        method = data.get("method")
        if method == DeliveryMethod.POST and not data.get("tracking_number"):
            self.add_error("tracking_number", _("Hãy nhập mã bưu gửi."))
        if method == DeliveryMethod.DESK:
            if not data.get("handed_to"):
                self.add_error("handed_to", _("Hãy ghi tên người nhận kết quả."))
            if self.needs_originals and not data.get("originals_collected"):
                self.add_error(
                    "originals_collected",
                    _("Thủ tục yêu cầu thu bản chính giấy tờ khi trả kết quả; hãy xác nhận đã thu."),
                )
        return data
