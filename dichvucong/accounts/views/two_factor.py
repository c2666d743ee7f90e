"""Two-factor pages: the code at sign-in, setting up an authenticator app (QR code), recovery codes and,
for citizens only, turning it off."""

from base64 import b32encode
from binascii import unhexlify

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from ..forms_officials import TotpConfirmForm, TwoFactorCodeForm
from ..selectors import two_factor_enabled, two_factor_status
from ..services.two_factor import (
    PENDING_KEY_SESSION_KEY,
    REQUIRED_SESSION_KEY,
    CodeOutcome,
    recovery_code_display,
    recovery_codes_regenerate,
    totp_config_url,
    totp_pending_key,
    two_factor_check,
    two_factor_disable,
    two_factor_enrol,
    two_factor_session_verify,
)


def next_url(request, default: str = settings.LOGIN_REDIRECT_URL) -> str:
    """The `next` of the request when it is a path of this site, else the `default` URL name."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


def with_next(url_name: str, target: str) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


def qr_code_svg(text: str) -> str:
    """An inline SVG QR code (no script, no style attribute, no external image: CSP-safe)."""
    svg = segno.make(text, error="m").svg_inline(
        scale=4,
        border=4,
        title=_("Mã QR để thêm tài khoản vào ứng dụng xác thực"),
        svgclass="qr-code",
        lineclass=None,
        dark="#000",
        light="#fff",
    )
    # segno escapes the title and draws only paths from the matrix: the markup is ours.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


def _wrong_code_error(check) -> str:
    if check.outcome is CodeOutcome.THROTTLED:
        return _("Bạn vừa nhập sai. Vui lòng chờ %(seconds)s giây rồi nhập lại.") % {
            "seconds": check.retry_after_seconds
        }
    return _("Mã xác thực không đúng hoặc đã hết hạn. Hãy nhập mã đang hiện trên ứng dụng.")


def _locked_out(request):
    """After too many wrong codes: signed out; django-axes' middleware answers with the lockout page."""
    logout(request)
    return redirect("accounts:sign_in")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def verify(request):
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    user, target = request.user, next_url(request)
    if user.is_verified():
        return redirect(target)
    if not two_factor_enabled(user):
        return redirect(with_next("accounts:two_factor_enrol", target) if user.is_official else target)
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        check = two_factor_check(request=request, user=user, code=form.cleaned_data["otp_token"])
        if check.outcome is CodeOutcome.VERIFIED:
            if check.used_recovery_code:
                messages.warning(
                    request,
                    _("Bạn đã dùng một mã khôi phục; còn %(left)s mã. Hãy tạo mã mới nếu sắp hết.")
                    % {"left": check.recovery_codes_left},
                )
            return redirect(target)
        if check.outcome is CodeOutcome.LOCKED_OUT:
            return _locked_out(request)
        form.add_error("otp_token", _wrong_code_error(check))
    return render(request, "accounts/two_factor/verify.html", {"form": form, "next": target})


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the key), confirm with its first code."""
    user, target = request.user, next_url(request, default="accounts:two_factor_manage")
    if two_factor_enabled(user) and not user.is_verified():
        # Replacing the app needs the current one: a stolen password alone must not enrol a new phone.
        return redirect(with_next("accounts:two_factor_verify", target))
    key = totp_pending_key(request.session)
    form = TotpConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        enrolled = two_factor_enrol(
            user=user, key_hex=key, code=form.cleaned_data["otp_token"], request=request
        )
        if enrolled is not None:
            device, codes = enrolled
            request.session.pop(PENDING_KEY_SESSION_KEY, None)
            two_factor_session_verify(request, device)
            messages.success(request, _("Đã bật xác thực hai lớp."))
            return _recovery_codes_page(request, codes, target)
        form.add_error(
            "otp_token",
            _("Mã không đúng. Kiểm tra giờ trên điện thoại, rồi nhập mã đang hiện trên ứng dụng."),
        )
    secret = b32encode(unhexlify(key)).decode()
    context = {
        "form": form,
        "next": target,
        "qr_svg": qr_code_svg(totp_config_url(user, key)),
        "secret_groups": [secret[i : i + 4] for i in range(0, len(secret), 4)],
        "issuer": settings.OTP_TOTP_ISSUER,
        "replacing": two_factor_enabled(user),
    }
    return render(request, "accounts/two_factor/enrol.html", context)


def _recovery_codes_page(request, codes: list[str], target: str):
    """The recovery codes, shown this once (never cached, never stored for display)."""
    return render(
        request,
        "accounts/two_factor/recovery_codes.html",
        {"codes": [recovery_code_display(code) for code in codes], "next": target},
    )


@never_cache
@login_required
@require_http_methods(["GET"])
def manage(request):
    """The two-factor section of the account: status, new recovery codes, new phone, turning it off."""
    return _manage_page(request, TwoFactorCodeForm(auto_id="disable_%s"))


def _manage_page(request, disable_form, status=200):
    disable_form.fields["otp_token"].widget.attrs.pop("autofocus", None)  # the page is not about it
    context = {"status": two_factor_status(request.user), "form": disable_form}
    return render(request, "accounts/two_factor/manage.html", context, status=status)


@never_cache
@login_required
@require_POST
def recovery_codes(request):
    """Ten new recovery codes replace the old ones."""
    if not request.user.is_verified():
        return redirect(with_next("accounts:two_factor_verify", reverse("accounts:two_factor_manage")))
    codes = recovery_codes_regenerate(user=request.user, request=request)
    messages.success(request, _("Đã tạo mã khôi phục mới; các mã cũ không còn dùng được."))
    return _recovery_codes_page(request, codes, reverse("accounts:two_factor_manage"))


@never_cache
@login_required
@require_POST
def disable(request):
    """A citizen turns two-factor authentication off, confirming with a current code."""
    user = request.user
    if user.is_official:
        raise PermissionDenied
    if not two_factor_enabled(user):
        return redirect("accounts:two_factor_manage")
    form = TwoFactorCodeForm(request.POST, auto_id="disable_%s")
    if form.is_valid():
        check = two_factor_check(request=request, user=user, code=form.cleaned_data["otp_token"])
        if check.outcome is CodeOutcome.VERIFIED:
            two_factor_disable(user=user, request=request)
            request.session.pop(REQUIRED_SESSION_KEY, None)
            messages.success(request, _("Đã tắt xác thực hai lớp."))
            return redirect("accounts:two_factor_manage")
        if check.outcome is CodeOutcome.LOCKED_OUT:
            return _locked_out(request)
        form.add_error("otp_token", _wrong_code_error(check))
    return _manage_page(request, form, status=400)
