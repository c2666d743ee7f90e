"""The portal's URLs plus /bench/lookup-bare/: the baseline of the lookup benchmark.

The bare view does the public lookup's essential work and nothing else: the single indexed query on
the unique dossier code (joined to the applicant for the identity check), the identity comparison, and
a tiny plain-text answer. It runs in the same gunicorn, behind the same middleware, as /tra-cuu/.
"""

from django.http import HttpResponse
from django.urls import include, path

from dichvucong.dossiers.models import Dossier


def lookup_bare(request):
    code = request.GET.get("MHS", "")[:40]
    identity = request.GET.get("SGT", "")[:30]
    row = (
        Dossier.objects.filter(code=code)
        .exclude(state="draft")
        .values("state", "applicant__personal_id", "applicant__phone")
        .first()
    )
    phone = "+84" + identity[1:] if identity.startswith("0") else identity
    found = row is not None and (
        identity == row["applicant__personal_id"] or phone == row["applicant__phone"]
    )
    return HttpResponse(b"found" if found else b"not found", content_type="text/plain")


urlpatterns = [
    path("bench/lookup-bare/", lookup_bare),
    path("", include("dichvucong.urls")),
]

handler404 = "dichvucong.core.views.page_not_found"
handler500 = "dichvucong.core.views.server_error"
