"""Forms of the two-factor pages and of staff management; messages in Vietnamese, next to their field."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from dichvucong.core.identifiers import IdentifierError, phone_clean

from .models import StaffRole, User
from .services.two_factor import TOTP_CODE, code_normalize

# Officials' usernames start with a letter, so they can never be a citizen's 12-digit personal ID.
OFFICIAL_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,49}$")


def _code_widget(**attrs):
    return forms.TextInput(
        attrs={
            "autocomplete": "one-time-code",
            "autocapitalize": "off",
            "spellcheck": "false",
            "autofocus": True,
            **attrs,
        }
    )


class TwoFactorCodeForm(forms.Form):
    """A code from the authenticator app or a recovery code (sign-in, turning 2FA off)."""

    otp_token = forms.CharField(
        label=_("Mã xác thực"),
        help_text=_(
            "Mã 6 chữ số trên ứng dụng xác thực, hoặc một mã khôi phục (8 ký tự) nếu không có điện thoại."
        ),
        max_length=20,
        widget=_code_widget(),
    )

    def clean_otp_token(self):
        return code_normalize(self.cleaned_data["otp_token"])


class TotpConfirmForm(forms.Form):
    """The first code of the authenticator app being set up."""

    otp_token = forms.CharField(
        label=_("Mã 6 chữ số trên ứng dụng"),
        help_text=_("Sau khi quét mã QR, ứng dụng hiện một mã 6 chữ số, đổi sau mỗi 30 giây."),
        max_length=20,
        widget=_code_widget(inputmode="numeric"),
    )

    def clean_otp_token(self):
        code = code_normalize(self.cleaned_data["otp_token"])
        if not TOTP_CODE.match(code):
            raise forms.ValidationError(_("Nhập mã gồm đúng 6 chữ số."))
        return code


class StaffCreateForm(forms.Form):
    """A new official of the administrator's agency, or an official of another agency given a role here."""

    username = forms.CharField(
        label=_("Tên đăng nhập"),
        max_length=50,
        help_text=_(
            "Chữ thường không dấu, chữ số, dấu chấm hoặc gạch ngang; bắt đầu bằng chữ. Ví dụ: binh.nguyen."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false"}),
    )
    full_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    email = forms.EmailField(
        label=_("Thư điện tử công vụ"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    phone = forms.CharField(label=_("Số điện thoại"), max_length=20, required=False)
    role = forms.ChoiceField(label=_("Vai trò"), choices=StaffRole.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.existing_official: User | None = None

    def clean_username(self):
        username = self.cleaned_data["username"].strip().lower()
        if not OFFICIAL_USERNAME.match(username):
            raise forms.ValidationError(_("Tên đăng nhập không hợp lệ; xem hướng dẫn dưới ô nhập."))
        existing = User.objects.filter(username__iexact=username).first()
        if existing is not None:
            if not existing.is_official:
                raise forms.ValidationError(_("Tên đăng nhập này đã được dùng. Hãy chọn tên khác."))
            self.existing_official = existing
        return username

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not phone:
            return ""
        try:
            return phone_clean(phone, mobile_only=False)
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        cleaned = super().clean()
        if (
            self.existing_official is None
            and "username" in cleaned
            and not cleaned.get("full_name", "").strip()
        ):
            self.add_error("full_name", _("Nhập họ và tên của cán bộ."))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Vai trò"), choices=StaffRole.choices)
