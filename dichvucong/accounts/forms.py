"""Forms of the accounts pages; every message in Vietnamese, shown next to its field."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.password_validation import validate_password
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dichvucong.core.identifiers import IdentifierError, personal_id_clean, phone_clean, tax_code_clean
from dichvucong.directory.models import AdministrativeUnit, UnitLevel

from .models import Gender, User


class SignInForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Số định danh cá nhân hoặc tên đăng nhập"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True, "inputmode": "text"}),
    )
    password = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        # The same answer whatever was wrong: nothing tells whether an account exists.
        "invalid_login": _("Số định danh, tên đăng nhập hoặc mật khẩu không đúng."),
        "inactive": _("Số định danh, tên đăng nhập hoặc mật khẩu không đúng."),
    }


class AddressFields(forms.Form):
    """Province → commune → street; the commune list follows the chosen province."""

    address_province = forms.ModelChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, valid_until=None).order_by(
            "name"
        ),
        empty_label=_("— Chọn tỉnh, thành phố —"),
        error_messages={"required": _("Chọn tỉnh, thành phố."), "invalid_choice": _("Chọn tỉnh, thành phố.")},
    )
    address_commune = forms.ModelChoiceField(
        label=_("Xã, phường, đặc khu"),
        queryset=AdministrativeUnit.objects.none(),
        empty_label=_("— Chọn xã, phường, đặc khu —"),
        error_messages={
            "required": _("Chọn xã, phường, đặc khu."),
            "invalid_choice": _("Chọn xã, phường, đặc khu."),
        },
    )
    address_street = forms.CharField(label=_("Số nhà, đường, thôn, tổ"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        province = self.data.get(self.add_prefix("address_province")) or getattr(
            self.initial.get("address_province"), "pk", self.initial.get("address_province")
        )
        communes = AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, valid_until=None)
        self.fields["address_commune"].queryset = (
            communes.filter(parent_id=province).order_by("name_folded")
            if str(province or "").isdigit()
            else communes.none()
        )
        self.fields["address_province"].widget.attrs.update(
            {
                "hx-get": reverse_lazy("accounts:commune_options"),
                "hx-target": "#id_address_commune",
                "hx-trigger": "change",
                "hx-include": "this",
            }
        )


class RegistrationForm(AddressFields):
    full_name = forms.CharField(
        label=_("Họ, chữ đệm và tên"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân"),
        max_length=20,
        help_text=_("12 chữ số trên thẻ căn cước."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    birth_date = forms.DateField(
        label=_("Ngày sinh"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Nhập ngày sinh dạng dd/mm/yyyy.")},
    )
    gender = forms.ChoiceField(label=_("Giới tính"), choices=Gender.choices, widget=forms.RadioSelect)
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    password1 = forms.CharField(
        label=_("Mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 10 ký tự, gồm chữ cái, chữ số và ký tự đặc biệt."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    consent = forms.BooleanField(
        label=_(
            "Tôi đồng ý để cơ quan nhà nước xử lý dữ liệu cá nhân của tôi "
            "cho việc giải quyết thủ tục hành chính."
        ),
        error_messages={"required": _("Cần đồng ý xử lý dữ liệu cá nhân để đăng ký.")},
    )

    field_order = [
        "full_name",
        "personal_id",
        "birth_date",
        "gender",
        "phone",
        "email",
        "address_province",
        "address_commune",
        "address_street",
        "password1",
        "password2",
        "consent",
    ]

    def clean_birth_date(self):
        birth_date = self.cleaned_data["birth_date"]
        if birth_date > timezone.localdate():
            raise forms.ValidationError(_("Ngày sinh không được ở tương lai."))
        return birth_date

    def clean_phone(self):
        try:
            return phone_clean(self.cleaned_data["phone"])
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        data = super().clean()
        try:
            data["personal_id"] = personal_id_clean(
                data.get("personal_id", ""), birth_date=data.get("birth_date"), gender=data.get("gender")
            )
        except IdentifierError as exc:
            self.add_error("personal_id", exc.message)
        commune, province = data.get("address_commune"), data.get("address_province")
        if commune and province and commune.parent_id != province.pk:
            self.add_error("address_commune", _("Xã, phường không thuộc tỉnh, thành phố đã chọn."))
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
        elif data.get("password1"):
            candidate = User(
                username=data.get("personal_id") or "",
                personal_id=data.get("personal_id"),
                full_name=data.get("full_name", ""),
                email=data.get("email", ""),
                phone=data.get("phone", ""),
            )
            try:
                validate_password(data["password1"], candidate)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác minh"),
        max_length=6,
        min_length=6,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "pattern": "[0-9]*"}
        ),
        error_messages={"min_length": _("Mã gồm 6 chữ số."), "required": _("Nhập mã gồm 6 chữ số.")},
    )


class NewPasswordForm(forms.Form):
    """A new password, checked against the policy for `user`."""

    password1 = forms.CharField(
        label=_("Mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Ít nhất 10 ký tự, gồm chữ cái, chữ số và ký tự đặc biệt."),
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu mới"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", _("Hai lần nhập mật khẩu không khớp."))
        elif data.get("password1"):
            try:
                validate_password(data["password1"], self.user)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)
        return data


class PasswordChangeForm(NewPasswordForm):
    old_password = forms.CharField(
        label=_("Mật khẩu hiện tại"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    field_order = ["old_password", "password1", "password2"]

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise forms.ValidationError(_("Mật khẩu hiện tại không đúng."))
        return self.cleaned_data["old_password"]


class PasswordResetRequestForm(forms.Form):
    CHANNELS = [("email", _("Qua thư điện tử")), ("sms", _("Qua tin nhắn SMS"))]
    channel = forms.ChoiceField(
        label=_("Nhận hướng dẫn"), choices=CHANNELS, widget=forms.RadioSelect, initial="email"
    )
    identifier = forms.CharField(
        label=_("Thư điện tử hoặc số điện thoại đã đăng ký"),
        max_length=254,
        widget=forms.TextInput(attrs={"autocomplete": "username"}),
    )


class SmsResetForm(NewPasswordForm):
    code = CodeForm.base_fields["code"]
    field_order = ["code", "password1", "password2"]


class ContactForm(AddressFields):
    email = forms.EmailField(
        label=_("Thư điện tử"), error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")}
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
        help_text=_("Khi đổi số, chúng tôi gửi mã xác minh tới số mới."),
    )
    field_order = ["email", "phone", "address_province", "address_commune", "address_street"]

    def clean_phone(self):
        try:
            return phone_clean(self.cleaned_data["phone"])
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message) from exc

    def clean(self):
        data = super().clean()
        commune, province = data.get("address_commune"), data.get("address_province")
        if commune and province and commune.parent_id != province.pk:
            self.add_error("address_commune", _("Xã, phường không thuộc tỉnh, thành phố đã chọn."))
        return data


class ConfirmPasswordForm(forms.Form):
    password = forms.CharField(label=_("Mật khẩu hiện tại"), strip=False, widget=forms.PasswordInput)

    def __init__(self, user, *args, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        if self.user.has_usable_password() and not self.user.check_password(self.cleaned_data["password"]):
            raise forms.ValidationError(_("Mật khẩu hiện tại không đúng."))
        return self.cleaned_data["password"]


class OrganizationForm(AddressFields):
    name = forms.CharField(label=_("Tên doanh nghiệp, tổ chức"), max_length=300)
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        max_length=20,
        help_text=_(
            "10 chữ số; đơn vị phụ thuộc dạng 0100109106-001; hộ kinh doanh dùng số định danh 12 chữ số."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    field_order = ["name", "tax_code", "address_province", "address_commune", "address_street"]

    def clean_tax_code(self):
        try:
            return tax_code_clean(self.cleaned_data["tax_code"])
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message) from exc


class RepresentativeForm(forms.Form):
    personal_id = forms.CharField(
        label=_("Số định danh cá nhân của người được ủy quyền"),
        max_length=20,
        help_text=_("Người này cần có tài khoản trên cổng."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def clean_personal_id(self):
        try:
            return personal_id_clean(self.cleaned_data["personal_id"])
        except IdentifierError as exc:
            raise forms.ValidationError(exc.message) from exc
