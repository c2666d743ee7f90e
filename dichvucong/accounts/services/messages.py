"""What the accounts pages send by e-mail and SMS (Vietnamese templates, links to SITE_URL)."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from dichvucong.core.sms import send_sms

from ..tokens import email_verification_token


def _link(view_name: str, user, token: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL.rstrip("/") + reverse(view_name, kwargs={"uidb64": uid, "token": token})


def _mail(to: str, subject: str, template: str, context: dict) -> None:
    body = render_to_string(template, {**context, "SITE_NAME": settings.SITE_NAME})
    send_mail(f"[{settings.SITE_NAME}] {subject}", body, None, [to])


def email_verification_send(user) -> None:
    link = _link("accounts:verify_email", user, email_verification_token.make_token(user))
    _mail(
        user.email,
        _("Xác minh địa chỉ thư điện tử"),
        "accounts/email/verify_email.txt",
        {"user": user, "link": link},
    )


def registration_attempt_notice_send(user) -> None:
    """Told to the owner when someone registers again with their ID: the page itself reveals nothing."""
    if user.email:
        _mail(
            user.email,
            _("Có người đăng ký tài khoản bằng số định danh của bạn"),
            "accounts/email/registration_attempt.txt",
            {"user": user},
        )


def password_reset_email_send(user) -> None:
    from django.contrib.auth.tokens import default_token_generator

    link = _link("accounts:password_reset_email_confirm", user, default_token_generator.make_token(user))
    _mail(
        user.email, _("Đặt lại mật khẩu"), "accounts/email/password_reset.txt", {"user": user, "link": link}
    )


def code_sms_send(phone: str, code: str, purpose_text: str) -> None:
    minutes = settings.OTP_CODE_MINUTES
    send_sms(
        phone,
        _("%(code)s la ma %(purpose)s cua ban, hieu luc %(minutes)s phut. Khong chia se ma nay.")
        % {"code": code, "purpose": purpose_text, "minutes": minutes},
    )
