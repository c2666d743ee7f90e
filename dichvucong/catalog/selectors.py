"""Reads of the catalogue for public pages; every list is bounded or paginated."""

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from dichvucong.directory.models import Agency, AgencyKind

from .models import Field, Offering, Procedure, RequiredDocument


def procedure_get_published(code: str) -> Procedure | None:
    """The procedure with `code` and its current version's parts, or None (unknown or unpublished)."""
    return (
        Procedure.objects.filter(code=code, is_active=True, current_version__isnull=False)
        .select_related("field", "current_version", "current_version__form_definition")
        .prefetch_related(
            "current_version__processing_times",
            "current_version__form_templates",
            "current_version__fee_rules",
            Prefetch(
                "current_version__documents",
                queryset=RequiredDocument.objects.select_related("form_template"),
            ),
        )
        .first()
    )


def procedure_list_popular(limit: int = 8) -> QuerySet[Procedure]:
    return (
        Procedure.objects.filter(is_active=True, current_version__isnull=False)
        .select_related("field")
        .order_by("-popularity", "code")[:limit]
    )


FIELDS_CACHE_KEY = "catalog:fields-with-counts"


def field_list_with_counts() -> list[Field]:
    """Fields with the number of active procedures in each; empty fields are left out.

    Cached for five minutes (every search page shows them): the loader and publishing clear it.
    """
    fields = cache.get(FIELDS_CACHE_KEY)
    if fields is None:
        active = Q(procedures__is_active=True, procedures__current_version__isnull=False)
        fields = list(
            Field.objects.annotate(procedure_count=Count("procedures", filter=active)).filter(
                procedure_count__gt=0
            )
        )
        cache.set(FIELDS_CACHE_KEY, fields, 300)
    return fields


def offering_province_ids(procedure: Procedure) -> set[int]:
    return set(
        Offering.objects.filter(procedure=procedure, is_active=True)
        .values_list("province_id", flat=True)
        .distinct()
    )


def offering_list_in_province(procedure: Procedure, province_code: str) -> QuerySet[Offering]:
    """Where this procedure can be filed in one province: province-level bodies first, then communes."""
    return (
        Offering.objects.filter(procedure=procedure, province__code=province_code, is_active=True)
        .select_related("unit", "province", "agency", "reception_agency")
        .order_by("-level", "unit__name_folded", "id")
    )


def offering_get(procedure: Procedure, offering_id) -> Offering | None:
    try:
        offering_id = int(offering_id)
    except (TypeError, ValueError):
        return None
    return (
        Offering.objects.filter(procedure=procedure, pk=offering_id, is_active=True)
        .select_related("unit", "province", "agency", "reception_agency")
        .first()
    )


def offering_list_for_agency(agency: Agency) -> QuerySet[Offering]:
    """What an agency's own portal lists: procedures it settles or receives.

    For a commune's People's Committee or service centre, that is everything filed in the commune
    (including procedures settled by provincial bodies but received at the commune's centre).
    """
    offerings = Offering.objects.filter(is_active=True, procedure__is_active=True)
    if agency.kind in (AgencyKind.PEOPLES_COMMITTEE, AgencyKind.SERVICE_CENTRE):
        scope = Q(unit_id=agency.unit_id)
    else:
        scope = Q(agency=agency) | Q(reception_agency=agency)
    return (
        offerings.filter(scope)
        .select_related("procedure__field", "agency", "reception_agency")
        .order_by("procedure__field__position", "procedure__code")
    )
