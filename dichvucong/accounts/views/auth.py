"""Signing in and out, and the lockout page."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import SignInForm
from ..models import SecurityEventType
from ..services.security import client_ip, security_event_log


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(settings.LOGIN_REDIRECT_URL)


def complete_sign_in(request, user, *, method: str) -> None:
    """Everything a successful sign-in does, whatever the method (password, VNeID)."""
    login(request, user, backend=getattr(user, "backend", None))  # rotates the session key
    now = timezone.now()
    request.session["signed_in_at"] = int(now.timestamp())
    request.session["last_activity"] = int(now.timestamp())
    request.session["is_official"] = user.is_official
    user.last_login_ip = client_ip(request)
    user.save(update_fields=["last_login_ip"])
    security_event_log(SecurityEventType.SIGN_IN, request=request, user=user, method=method)
    max_age = timedelta(days=settings.PASSWORD_MAX_AGE_DAYS)
    if user.has_usable_password() and user.password_changed_at and now - user.password_changed_at > max_age:
        messages.warning(
            request,
            _("Bạn đã dùng mật khẩu này hơn %(days)s ngày. Hãy đổi mật khẩu để bảo vệ tài khoản.")
            % {"days": settings.PASSWORD_MAX_AGE_DAYS},
        )


@never_cache
@csrf_protect
@require_http_methods(["GET", "POST"])
def sign_in(request):
    if request.user.is_authenticated and request.method == "GET":
        return redirect(_safe_next(request))
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            complete_sign_in(request, form.get_user(), method="password")
            return redirect(_safe_next(request))
        security_event_log(
            SecurityEventType.SIGN_IN_FAILED, request=request, username=request.POST.get("username", "")
        )
    return render(
        request,
        "accounts/sign_in.html",
        {"form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
    )


@require_POST
def sign_out(request):
    if request.user.is_authenticated:
        security_event_log(SecurityEventType.SIGN_OUT, request=request, user=request.user)
    logout(request)
    messages.info(request, _("Bạn đã đăng xuất. Nếu dùng máy tính chung, hãy xóa lịch sử duyệt web."))
    return redirect(settings.LOGOUT_REDIRECT_URL)


def locked_out(request, response=None, credentials=None, *args, **kwargs):
    """django-axes lockout: a clear page with the time the account unlocks (429)."""
    from axes.models import AccessAttempt

    username = (credentials or {}).get("username") or request.POST.get("username", "")
    attempt = (
        AccessAttempt.objects.filter(username=username, ip_address=client_ip(request))
        .order_by("-attempt_time")
        .first()
    )
    last = attempt.attempt_time if attempt else timezone.now()
    unlock_at = timezone.localtime(last + settings.AXES_COOLOFF_TIME)
    if request.method == "POST":
        security_event_log(SecurityEventType.LOCKED_OUT, request=request, username=username)
    return render(
        request,
        "accounts/locked_out.html",
        {"unlock_at": unlock_at, "minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)},
        status=429,
    )
