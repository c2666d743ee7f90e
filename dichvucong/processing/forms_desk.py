"""Forms of the desk pages: the applicant and choices of a walk-in reception, and the register's period.

They check what was typed and keep it for the page drawn again on an error; the services decide."""

import datetime as dt
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.core.identifiers import IdentifierError, personal_id_clean, phone_clean
from dichvucong.dossiers.models import Channel, Delivery

from .register import KINDS, MAX_PERIOD_DAYS, PROCESSED, RECEIVED, RETURNED

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class WalkInForm(forms.Form):
    """Who stands at the desk (from their ID card), how the dossier came in and how the result goes back.

    The e-form and the scanned files are read by the view (catalog.eform_data, documents.validation)."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=40)
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân (12 chữ số)"),
        max_length=20,
        error_messages={"required": _("Nhập số định danh cá nhân của người nộp.")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        required=False,
        input_formats=DATE_INPUTS,
        help_text=_("dd/mm/yyyy"),
        error_messages={"invalid": _("Nhập ngày dạng dd/mm/yyyy.")},
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"), max_length=20, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    channel = forms.TypedChoiceField(
        label=_("Hồ sơ nhận qua"),
        coerce=int,
        choices=[(Channel.IN_PERSON, _("Nộp trực tiếp tại quầy")), (Channel.POSTAL, _("Nhận qua bưu chính"))],
        initial=Channel.IN_PERSON,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Chọn cách hồ sơ được nộp."),
            "invalid_choice": _("Chọn cách hồ sơ được nộp."),
        },
    )
    delivery = forms.ChoiceField(
        label=_("Cách nhận kết quả"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Chọn một cách nhận kết quả."),
            "invalid_choice": _("Chọn một cách nhận kết quả."),
        },
    )
    post_recipient = forms.CharField(label=_("Người nhận"), max_length=200, required=False)
    post_phone = forms.CharField(
        label=_("Số điện thoại người nhận"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    post_street = forms.CharField(
        label=_("Địa chỉ nhận (số nhà, đường, thôn, xã, tỉnh)"), max_length=200, required=False
    )

    def __init__(self, *args, delivery_options: list[str], channels: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["delivery"].choices = [(value, Delivery(value).label) for value in delivery_options]
        if len(delivery_options) == 1:
            self.fields["delivery"].initial = delivery_options[0]
        self.fields["channel"].choices = [
            (value, label) for value, label in self.fields["channel"].choices if value in channels
        ]
        if not self.is_bound and not self.initial.get("token"):
            self.initial["token"] = uuid.uuid4().hex

    def clean_token(self):
        value = self.cleaned_data["token"]
        try:
            return uuid.UUID(value).hex
        except ValueError as exc:
            raise ValidationError(_("Trang đã cũ; hãy mở lại trang tiếp nhận.")) from exc

    def clean_personal_id(self):
        try:
            return personal_id_clean(self.cleaned_data["personal_id"])
        except IdentifierError as exc:
            raise ValidationError(exc.message) from exc

    def clean_full_name(self):
        return " ".join(self.cleaned_data["full_name"].split())

    def clean_phone(self):
        value = self.cleaned_data["phone"].strip()
        if not value:
            return ""
        try:
            return phone_clean(value, mobile_only=False)
        except IdentifierError as exc:
            raise ValidationError(exc.message) from exc

    def clean_birth_date(self):
        value = self.cleaned_data["birth_date"]
        if value and value > timezone.localdate():
            raise ValidationError(_("Ngày sinh không được ở tương lai."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("delivery") == Delivery.POST:
            if not data.get("post_recipient", "").strip():
                self.add_error("post_recipient", _("Nhập người nhận kết quả qua bưu chính."))
            if not data.get("post_street", "").strip():
                self.add_error("post_street", _("Nhập địa chỉ nhận kết quả qua bưu chính."))
        birth, number = data.get("birth_date"), data.get("personal_id")
        if birth and number:
            try:
                personal_id_clean(number, birth_date=birth)
            except IdentifierError as exc:
                self.add_error("birth_date", exc.message)
        return data

    def delivery_address(self) -> dict:
        data = self.cleaned_data
        return {
            "recipient": data.get("post_recipient", "").strip(),
            "phone": data.get("post_phone", "").strip(),
            "street": data.get("post_street", "").strip(),
        }


def month_start(today: dt.date) -> dt.date:
    return today.replace(day=1)


def month_end(today: dt.date) -> dt.date:
    following = (today.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    return following - dt.timedelta(days=1)


# Query values of the register's kinds (Vietnamese, stable: they appear in shared links).
KIND_PARAMS = {"tiep-nhan": RECEIVED, "da-giai-quyet": PROCESSED, "da-tra": RETURNED}
KIND_VALUES = {kind: value for value, kind in KIND_PARAMS.items()}


class RegisterForm(forms.Form):
    """The period (from, to: dd/mm/yyyy, at most a year) and the kind of form 7."""

    tu = forms.DateField(
        label=_("Từ ngày"),
        input_formats=DATE_INPUTS,
        error_messages={"required": _("Nhập ngày bắt đầu."), "invalid": _("Nhập ngày dạng dd/mm/yyyy.")},
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}
        ),
    )
    den = forms.DateField(
        label=_("Đến ngày"),
        input_formats=DATE_INPUTS,
        error_messages={"required": _("Nhập ngày kết thúc."), "invalid": _("Nhập ngày dạng dd/mm/yyyy.")},
        widget=forms.DateInput(
            format="%d/%m/%Y", attrs={"inputmode": "numeric", "placeholder": "dd/mm/yyyy"}
        ),
    )
    loai = forms.ChoiceField(
        label=_("Loại sổ"),
        choices=[(value, KINDS[kind]) for value, kind in KIND_PARAMS.items()],
        error_messages={"invalid_choice": _("Chọn loại sổ."), "required": _("Chọn loại sổ.")},
    )

    @classmethod
    def from_query(cls, query) -> "RegisterForm":
        """Bound to the query string; without one, the current month of received dossiers."""
        if not any(key in query for key in ("tu", "den", "loai")):
            today = timezone.localdate()
            query = {
                "tu": month_start(today).strftime("%d/%m/%Y"),
                "den": month_end(today).strftime("%d/%m/%Y"),
                "loai": KIND_VALUES[RECEIVED],
            }
        return cls(query)

    def clean(self):
        data = super().clean()
        start, end = data.get("tu"), data.get("den")
        if start and end:
            if end < start:
                self.add_error("den", _("Ngày kết thúc phải từ ngày bắt đầu trở đi."))
            elif (end - start).days >= MAX_PERIOD_DAYS:
                self.add_error("den", _("Mỗi lần xuất tối đa một năm."))
        return data

    @property
    def kind(self) -> str:
        return KIND_PARAMS[self.cleaned_data["loai"]]
