"""Forms of following a dossier: withdrawal, messages, public lookup.

Every form acting on a dossier carries the `lock_version` the page was drawn from, so an action taken
on a stale page is refused with a clear message instead of acting on a state the applicant never saw.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

from .services.messages import MAX_BODY_CHARS


class VersionedForm(forms.Form):
    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label=_("Lý do rút hồ sơ"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Hãy cho biết lý do rút hồ sơ.")},
    )
    confirm = forms.BooleanField(
        label=_("Tôi hiểu rằng hồ sơ đã rút sẽ không được giải quyết tiếp, và tôi muốn rút hồ sơ này."),
        error_messages={"required": _("Hãy đánh dấu xác nhận để rút hồ sơ.")},
    )


class MessageForm(VersionedForm):
    """The text of a message; its files come as `files` (documents/_upload_field.html)."""

    body = forms.CharField(
        label=_("Nội dung tin nhắn"),
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Hãy nhập nội dung tin nhắn.")},
    )


class LookupForm(forms.Form):
    """Public lookup: the dossier code and the applicant's personal ID or registered phone number.

    The form is sent by POST so the identity number stays out of addresses, logs and histories; the
    national portal's links (`?MHS=…&SGT=…`) are mapped onto it by the view.
    """

    code = forms.CharField(
        label=_("Mã hồ sơ"),
        max_length=40,
        error_messages={"required": _("Nhập mã hồ sơ.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}
        ),
    )
    identity = forms.CharField(
        label=_("Số định danh cá nhân hoặc số điện thoại đã đăng ký"),
        max_length=30,
        error_messages={"required": _("Nhập số định danh cá nhân hoặc số điện thoại của người nộp hồ sơ.")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )
