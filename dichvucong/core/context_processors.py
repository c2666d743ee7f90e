from django.conf import settings


def site(request):
    """Values every page template needs (site name, operator)."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_OPERATOR": settings.SITE_OPERATOR,
        "VNEID_ENABLED": getattr(settings, "VNEID_ENABLED", False),
    }
