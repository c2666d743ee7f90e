"""Public status lookup (/tra-cuu/): a dossier code and its applicant's identity number or phone.

Privacy rules: the answer holds only `PublicDossierStatus` facts (no name, number, address, contact
or document); any wrong pair gets one generic answer, byte for byte the same whatever was wrong and
without echoing what was typed, so the page cannot tell whether a code exists; tries are limited per
IP and per code (a guessing run spread over many addresses still meets the per-code limit); nothing is
cached.
"""

import hashlib

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dichvucong.accounts.services.security import client_ip
from dichvucong.core.ratelimit import rate_limit_hit

from ..forms_tracking import LookupForm
from ..selectors import dossier_code_normalize, dossier_lookup_public

WINDOW_SECONDS = 3600
# The national portal links here as /tra-cuu/?MHS=<code>&SGT=<identity number>.
PORTAL_CODE, PORTAL_IDENTITY = "MHS", "SGT"


def _limited(request, code: str) -> bool:
    limit = settings.LOOKUP_MAX_PER_HOUR
    by_ip = rate_limit_hit(f"lookup-ip:{client_ip(request)}", limit=limit, window_seconds=WINDOW_SECONDS)
    code_key = hashlib.sha256(dossier_code_normalize(code).upper().encode()).hexdigest()[:32]
    by_code = rate_limit_hit(f"lookup-code:{code_key}", limit=limit, window_seconds=WINDOW_SECONDS)
    return by_ip or by_code


@never_cache
@require_http_methods(["GET", "POST"])
def lookup(request):
    """Works signed out. GET shows the form (prefilled with ?MHS=); GET with MHS and SGT, or POST,
    looks up."""
    if request.method == "POST":
        data = request.POST
    elif request.GET.get(PORTAL_CODE) and request.GET.get(PORTAL_IDENTITY):
        data = {"code": request.GET[PORTAL_CODE], "identity": request.GET[PORTAL_IDENTITY]}
    else:
        data = None
    if data is None:
        form = LookupForm(initial={"code": (request.GET.get(PORTAL_CODE) or "")[:40]})
        return render(request, "dossiers/lookup/lookup.html", {"form": form})

    form = LookupForm(data)
    if not form.is_valid():
        return render(request, "dossiers/lookup/lookup.html", {"form": form}, status=400)
    if _limited(request, form.cleaned_data["code"]):
        return render(
            request,
            "dossiers/lookup/lookup.html",
            {
                "form": LookupForm(),
                "limited": _(
                    "Đã có quá nhiều lượt tra cứu trong một giờ (tối đa %(count)s lượt). "
                    "Vui lòng thử lại sau."
                )
                % {"count": settings.LOOKUP_MAX_PER_HOUR},
            },
            status=429,
        )
    result = dossier_lookup_public(form.cleaned_data["code"], form.cleaned_data["identity"])
    # A fresh, empty form either way: what was typed is not echoed (see the module's docstring).
    return render(
        request,
        "dossiers/lookup/lookup.html",
        {"form": LookupForm(), "result": result, "not_found": result is None},
    )
