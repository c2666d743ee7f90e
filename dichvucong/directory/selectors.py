"""Reads of the directory: provinces, communes and agencies for choosers and public pages."""

from django.core.cache import cache
from django.db.models import QuerySet

from dichvucong.core.text import fold

from .models import AdministrativeUnit, Agency, UnitLevel

PROVINCES_CACHE_KEY = "directory:provinces"


def province_list() -> list[AdministrativeUnit]:
    """The provinces in alphabetical order of their own name (Cà Mau … Tuyên Quang), not by type.

    Cached for an hour (every chooser and filter shows them); the unit loader clears it.
    """
    provinces = cache.get(PROVINCES_CACHE_KEY)
    if provinces is None:
        units = AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, valid_until=None)
        provinces = sorted(units, key=lambda unit: (fold(unit.short_name), unit.code))
        cache.set(PROVINCES_CACHE_KEY, provinces, 3600)
    return provinces


def province_get(code: str) -> AdministrativeUnit | None:
    return AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, code=code, valid_until=None).first()


def agency_get(code: str) -> Agency | None:
    return (
        Agency.objects.filter(code=code, is_active=True).select_related("unit", "province", "parent").first()
    )


def agency_list(*, province_code: str = "", query: str = "") -> QuerySet[Agency]:
    """Active agencies, optionally of one province and matching `query` in any spelling."""
    agencies = Agency.objects.filter(is_active=True).select_related("unit", "province")
    if province_code:
        agencies = agencies.filter(province__code=province_code)
    folded = fold(query)[:100]
    if folded:
        agencies = agencies.filter(name_folded__contains=folded)
    return agencies.order_by("province__code", "level", "name_folded")


def agency_children(agency: Agency) -> QuerySet[Agency]:
    return agency.children.filter(is_active=True).order_by("name_folded")
