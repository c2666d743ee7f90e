from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


@never_cache
@require_GET
def health(request):
    """Liveness and readiness for load balancers: 200 when the database answers, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any database failure means "not ready"
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def page_not_found(request, exception=None):
    """A friendly Vietnamese 404 with a way back to search."""
    return render(request, "404.html", {"query": request.GET.get("q", "")[:100]}, status=404)


def server_error(request):
    """Rendered without context processors' database work: the failure may be the database."""
    return render(request, "500.html", status=500)


def security_advice(request):
    """The founding document's advice for using online public services safely (DOMAIN.md §5)."""
    return render(request, "core/security_advice.html")
