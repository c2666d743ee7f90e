"""Sign-in with VNeID: the start of the code flow and the callback (docs/vneid.md)."""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from ..models import SecurityEventType
from ..services.security import security_event_log
from ..services.vneid import VNeIDRefused
from .auth import complete_sign_in

logger = logging.getLogger("dichvucong.accounts.vneid")

# What went wrong, by kind: (HTTP status, heading, explanation). Each refusal reason maps to one kind.
_KINDS = {
    "session": (
        400,
        _("Phiên đăng nhập VNeID không còn hiệu lực"),
        _(
            "Kết quả đăng nhập nhận được không khớp với lần đăng nhập bắt đầu trên trình duyệt này. Có thể "
            "bạn đã mở lại một đường dẫn cũ, bấm nút Quay lại, đăng nhập ở một thẻ khác, hoặc để quá lâu."
        ),
    ),
    "cancelled": (
        400,
        _("Bạn chưa hoàn tất đăng nhập bằng VNeID"),
        _("Đăng nhập đã bị hủy, hoặc bạn chưa đồng ý chia sẻ thông tin định danh với Cổng Dịch vụ công."),
    ),
    "provider": (
        502,
        _("Chưa nhận được xác nhận từ VNeID"),
        _(
            "Hệ thống định danh VNeID không trả lời hoặc không xác nhận lần đăng nhập này. "
            "Vui lòng thử lại sau ít phút."
        ),
    ),
    "verification": (
        403,
        _("Không xác minh được thông tin từ VNeID"),
        _(
            "Thông tin đăng nhập nhận được không vượt qua bước kiểm tra an toàn (chữ ký số, mã dùng một "
            "lần hoặc thời hạn không hợp lệ), nên Cổng không cho đăng nhập. Sự việc đã được ghi lại."
        ),
    ),
    "identity": (
        403,
        _("VNeID không cung cấp số định danh cá nhân hợp lệ"),
        _(
            "Cổng cần số định danh cá nhân để xác định tài khoản của bạn nhưng không nhận được số hợp lệ "
            "từ VNeID. Hãy kiểm tra tài khoản VNeID của bạn đã được định danh chưa."
        ),
    ),
    "account": (
        403,
        _("Tài khoản gắn với số định danh này đang bị khóa"),
        _(
            "Tài khoản trên Cổng gắn với số định danh cá nhân của bạn đang tạm khóa hoặc cần được kiểm tra. "
            "Vui lòng liên hệ bộ phận hỗ trợ của Cổng Dịch vụ công."
        ),
    ),
}
_KIND_BY_REASON = {
    "bad_state": "session",
    "missing_code": "session",
    "access_denied": "cancelled",
    "provider_error": "provider",
    "provider_unreachable": "provider",
    "token_refused": "provider",
    "userinfo_refused": "provider",
    "authentication_failed": "provider",
    "missing_personal_id": "identity",
    "invalid_personal_id": "identity",
    "inactive_account": "account",
    "account_conflict": "account",
}  # every other reason (signature, nonce, issuer, audience, algorithm, expiry...) is "verification"


@method_decorator(never_cache, name="dispatch")
class VNeIDSignInView(OIDCAuthenticationRequestView):
    """Sends the browser to VNeID with a fresh state and nonce kept in the session."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.VNEID_ENABLED:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


@method_decorator(never_cache, name="dispatch")
class VNeIDCallbackView(OIDCAuthenticationCallbackView):
    """VNeID sends the browser back here with a code; mozilla-django-oidc checks the state, the backend
    checks the rest. A success goes through `complete_sign_in` like a password sign-in; a refusal
    shows vneid_failed.html and writes an OIDC_REFUSED audit row with the reason."""

    def dispatch(self, request, *args, **kwargs):
        if not settings.VNEID_ENABLED:
            raise Http404
        self.user = None
        self.refusal = ("authentication_failed", {}, None)  # (reason, log detail, account)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        state = request.GET.get("state")
        pending = request.session.get("oidc_states")
        if not isinstance(pending, dict):
            pending = {}
        error = request.GET.get("error")
        if error:
            # Cancelled or failed at the provider: forget the state (no replay). Unlike mozilla-django-oidc,
            # do not sign out whoever is signed in: anyone can send a browser to this address.
            if state in pending:
                del pending[state]
                request.session.modified = True
            reason = "access_denied" if error == "access_denied" else "provider_error"
            self.refusal = (reason, {"error": error[:50]}, None)
            return self.login_failure()
        if not request.GET.get("code") or not state:
            self.refusal = ("missing_code", {}, None)
            return self.login_failure()
        if state not in pending:
            # Not a sign-in this browser started, or one already completed (a replayed callback).
            self.refusal = ("bad_state", {"pending_sign_ins": len(pending)}, None)
            return self.login_failure()
        try:
            return super().get(request)
        except VNeIDRefused as exc:
            self.refusal = (exc.reason, exc.detail, exc.user)
        except SuspiciousOperation as exc:
            self.refusal = ("suspicious_operation", {"error": str(exc)[:100]}, None)
        return self.login_failure()

    def login_success(self):
        request = self.request
        next_url = request.session.pop("oidc_login_next", None) or self.success_url
        complete_sign_in(request, self.user, method="vneid")
        if getattr(self.user, "vneid_created", False):
            messages.success(request, _("Chào mừng bạn! Tài khoản đã được tạo từ thông tin định danh VNeID."))
        return HttpResponseRedirect(next_url)

    def login_failure(self):
        reason, detail, account = self.refusal
        event = security_event_log(
            SecurityEventType.OIDC_REFUSED, request=self.request, user=account, reason=reason, **detail
        )
        logger.warning("VNeID sign-in refused (%s) %s, audit event %s", reason, detail, event.pk)
        status, title, explanation = _KINDS[_KIND_BY_REASON.get(reason, "verification")]
        return render(
            self.request,
            "accounts/vneid_failed.html",
            {"title": title, "explanation": explanation, "reference": event.pk, "reason": reason},
            status=status,
        )
