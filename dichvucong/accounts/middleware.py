"""Session rules: idle and absolute timeouts; officials must pass two-factor authentication."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .selectors import two_factor_enabled, two_factor_required
from .services.two_factor import REQUIRED_SESSION_KEY

# Refresh the activity stamp at most once a minute: a session write on every request would be waste.
ACTIVITY_RESOLUTION = 60


class SessionTimeoutMiddleware:
    """Ends a signed-in session after SESSION_IDLE_MINUTES_* without activity (15 min for officials,
    30 for citizens) and SESSION_ABSOLUTE_HOURS after sign-in, whatever the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            idle_minutes = (
                settings.SESSION_IDLE_MINUTES_OFFICIAL
                if session.get("is_official")
                else settings.SESSION_IDLE_MINUTES_CITIZEN
            )
            last = session.get("last_activity", now)
            started = session.get("signed_in_at", now)
            if now - last > idle_minutes * 60 or now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Phiên làm việc đã hết hạn. Vui lòng đăng nhập lại."))
                return redirect(
                    f"{reverse('accounts:sign_in')}?{urlencode({'next': request.get_full_path()})}"
                )
            if now - last >= ACTIVITY_RESOLUTION:
                session["last_activity"] = now
        return self.get_response(request)


class OfficialTwoFactorMiddleware:
    """Officials must verify a TOTP device before any page but the two-factor pages themselves.

    A signed-in user who must pass two-factor authentication (every official; a citizen who turned it
    on) and has not yet is sent to the code page, or to enrolment when they have no authenticator app.
    Only the pages needed to get there are open: the two-factor pages, sign-out, the language switch
    and the health check (static files are served by WhiteNoise before any of this).
    """

    OPEN_VIEWS = frozenset(
        {
            "accounts:two_factor_verify",
            "accounts:two_factor_enrol",
            "accounts:sign_out",
            "set_language",
            "health",
        }
    )
    # Whether a citizen's session needs 2FA is looked up again at most once a minute (they may turn
    # it on in another session); once required, it stays required for the session.
    RECHECK_SECONDS = 60

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if request.resolver_match.view_name in self.OPEN_VIEWS or not self._required(request):
            return None
        target = "accounts:two_factor_verify" if two_factor_enabled(user) else "accounts:two_factor_enrol"
        url = reverse(target)
        if request.method == "GET":
            url = f"{url}?{urlencode({'next': request.get_full_path()})}"
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)

    def _required(self, request) -> bool:
        session, now = request.session, int(time.time())
        cached = session.get(REQUIRED_SESSION_KEY)
        if cached and (cached[0] or now - cached[1] < self.RECHECK_SECONDS):
            return cached[0]
        required = bool(session.get("is_official")) or two_factor_required(request.user)
        session[REQUIRED_SESSION_KEY] = [required, now]
        return required
