"""Changing a password, and resetting it by an e-mail link or an SMS code."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.encoding import force_str
from django.utils.http import urlsafe_base64_decode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dichvucong.core.identifiers import IdentifierError, phone_clean
from dichvucong.core.ratelimit import rate_limit_hit

from ..forms import NewPasswordForm, PasswordChangeForm, PasswordResetRequestForm, SmsResetForm
from ..models import CodePurpose, SecurityEventType
from ..services.codes import CodeRateLimited, code_issue, code_verify
from ..services.messages import code_sms_send, password_reset_email_send
from ..services.passwords import password_set
from ..services.security import client_ip, security_event_log

User = get_user_model()
SMS_SESSION_KEY = "password_reset_sms"
RESET_PURPOSE_TEXT = gettext_lazy("dat lai mat khau")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_set(user=request.user, raw_password=form.cleaned_data["password1"], request=request)
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("accounts:security")
    return render(request, "accounts/password_change.html", {"form": form})


def _find_user(identifier: str):
    """The active account with this e-mail or phone, if exactly one (never told to the requester)."""
    identifier = identifier.strip()
    try:
        phone = phone_clean(identifier)
    except IdentifierError:
        phone = None
    condition = Q(phone=phone, phone_verified_at__isnull=False) if phone else Q(email__iexact=identifier)
    matches = list(User.objects.filter(condition, is_active=True)[:2])
    return matches[0] if len(matches) == 1 else None


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset(request):
    """Ask for a reset. The answer is the same whether or not the address belongs to an account."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        identifier, channel = form.cleaned_data["identifier"], form.cleaned_data["channel"]
        limited = rate_limit_hit(f"reset-ip:{client_ip(request)}", limit=10, window_seconds=3600)
        user = None if limited else _find_user(identifier)
        if user is not None and not rate_limit_hit(f"reset-user:{user.pk}", limit=5, window_seconds=3600):
            security_event_log(
                SecurityEventType.PASSWORD_RESET_REQUESTED, request=request, user=user, channel=channel
            )
            if channel == "email" and user.email:
                password_reset_email_send(user)
            elif channel == "sms" and user.phone and user.phone_verified_at:
                try:
                    code = code_issue(
                        user=user, purpose=CodePurpose.RESET_PASSWORD, channel="sms", destination=user.phone
                    )
                    code_sms_send(user.phone, code, RESET_PURPOSE_TEXT)
                except CodeRateLimited:
                    pass  # same answer: the limit is not a signal that the account exists
        if channel == "sms":
            request.session[SMS_SESSION_KEY] = {
                "user_id": user.pk if user else None,
                "identifier": identifier,
            }
            return redirect("accounts:password_reset_sms")
        return render(request, "accounts/password_reset_sent.html", {"channel": channel})
    return render(request, "accounts/password_reset.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_sms(request):
    pending = request.session.get(SMS_SESSION_KEY)
    if not pending:
        return redirect("accounts:password_reset")
    user = User.objects.filter(pk=pending["user_id"]).first() if pending["user_id"] else None
    form = SmsResetForm(user or User(), request.POST or None)
    if request.method == "POST" and form.is_valid():
        if user is not None and code_verify(
            user=user, purpose=CodePurpose.RESET_PASSWORD, code=form.cleaned_data["code"]
        ):
            password_set(
                user=user,
                raw_password=form.cleaned_data["password1"],
                request=request,
                event=SecurityEventType.PASSWORD_RESET,
            )
            del request.session[SMS_SESSION_KEY]
            messages.success(request, _("Đã đặt mật khẩu mới. Mời bạn đăng nhập."))
            return redirect("accounts:sign_in")
        if user is not None:
            security_event_log(
                SecurityEventType.OTP_FAILED, request=request, user=user, purpose="reset_password"
            )
            user_login_failed.send(sender=__name__, credentials={"username": user.username}, request=request)
        form.add_error("code", _("Mã không đúng hoặc đã hết hạn."))
    return render(request, "accounts/password_reset_sms.html", {"form": form})


@never_cache
@require_http_methods(["GET", "POST"])
def password_reset_email_confirm(request, uidb64, token):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)), is_active=True)
    except (ValueError, TypeError, OverflowError, User.DoesNotExist, ValidationError):
        user = None
    if user is None or not default_token_generator.check_token(user, token):
        return render(request, "accounts/password_reset_invalid.html", status=400)
    form = NewPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        password_set(
            user=user,
            raw_password=form.cleaned_data["password1"],
            request=request,
            event=SecurityEventType.PASSWORD_RESET,
        )
        messages.success(request, _("Đã đặt mật khẩu mới. Mời bạn đăng nhập."))
        return redirect("accounts:sign_in")
    return render(request, "accounts/password_reset_confirm.html", {"form": form})
