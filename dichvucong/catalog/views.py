"""Public catalogue pages: home, search, procedure detail, agency chooser, paper-form PDFs."""

import logging

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from dichvucong.core.pagination import CappedPaginator
from dichvucong.core.pdf import PdfUnavailable, render_pdf
from dichvucong.directory.selectors import agency_children, agency_get, province_get, province_list

from . import selectors
from .models import Channel, Level
from .search import SearchParams, procedure_search

logger = logging.getLogger(__name__)

# Query-string names are Vietnamese and stable (they appear in shared links).
PARAM_FIELD, PARAM_LEVEL, PARAM_PROVINCE, PARAM_AGENCY, PARAM_PAGE = (
    "linh-vuc",
    "cap",
    "tinh",
    "co-quan",
    "trang",
)
PARAM_OFFERING = "noi-nop"


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def _clean(value: str, limit: int = 60) -> str:
    return (value or "").strip()[:limit]


@require_GET
def home(request):
    return render(
        request,
        "catalog/home.html",
        {
            "popular": selectors.procedure_list_popular(8),
            "fields": selectors.field_list_with_counts(),
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def procedure_list(request):
    """The catalogue with search and filters; htmx requests get only the results block."""
    params = SearchParams(
        q=(request.GET.get("q") or "")[: settings.CATALOG_SEARCH_MAX_QUERY],
        field=_clean(request.GET.get(PARAM_FIELD)),
        level=_clean(request.GET.get(PARAM_LEVEL), 10),
        province=_clean(request.GET.get(PARAM_PROVINCE), 5),
        agency=_clean(request.GET.get(PARAM_AGENCY)),
    )
    paginator = CappedPaginator(
        procedure_search(params), settings.CATALOG_PAGE_SIZE, cap=settings.CATALOG_SEARCH_MAX_RESULTS
    )
    page = paginator.get_page(request.GET.get(PARAM_PAGE))
    query_without_page = request.GET.copy()
    query_without_page.pop(PARAM_PAGE, None)
    context = {
        "params": params,
        "page": page,
        "query_string": query_without_page.urlencode(),
        "fields": selectors.field_list_with_counts(),
        "levels": [(Level.PROVINCE, Level.PROVINCE.label), (Level.COMMUNE, Level.COMMUNE.label)],
        "provinces": province_list(),
    }
    template = "catalog/_results.html" if _is_htmx(request) else "catalog/procedure_list.html"
    return render(request, template, context)


def _procedure_or_404(code: str):
    procedure = selectors.procedure_get_published(code[:20])
    if procedure is None:
        raise Http404("procedure")
    return procedure


@require_GET
def procedure_detail(request, code):
    procedure = _procedure_or_404(code)
    version = procedure.current_version
    times = {t.channel: t for t in version.processing_times.all()}
    return render(
        request,
        "catalog/procedure_detail.html",
        {
            "procedure": procedure,
            "version": version,
            "times": [(c, Channel(c).label, times.get(c)) for c in version.channels],
            "documents": version.documents.all(),
            "fees": version.fee_rules.all(),
            "templates": version.form_templates.all(),
            "definition": getattr(version, "form_definition", None),
        },
    )


@require_GET
@vary_on_headers("HX-Request")
def agency_chooser(request, code):
    """Choose where to file: province, then a commune or a provincial body offering the procedure."""
    procedure = _procedure_or_404(code)
    offered_in = selectors.offering_province_ids(procedure)
    provinces = [p for p in province_list() if p.pk in offered_in]
    province = province_get(_clean(request.GET.get(PARAM_PROVINCE), 5))
    if province is not None and province.pk not in offered_in:
        province = None
    offerings = selectors.offering_list_in_province(procedure, province.code) if province else []
    chosen = selectors.offering_get(procedure, request.GET.get(PARAM_OFFERING)) if province else None
    if chosen is not None and chosen.province_id != province.pk:
        chosen = None
    context = {
        "procedure": procedure,
        "version": procedure.current_version,
        "provinces": provinces,
        "province": province,
        "offerings": offerings,
        "chosen": chosen,
    }
    template = "catalog/_chooser_step.html" if _is_htmx(request) else "catalog/agency_chooser.html"
    return render(request, template, context)


@require_GET
def form_template_pdf(request, code, slug):
    """A paper form of the current version, rendered to PDF (cached: published versions never change)."""
    procedure = _procedure_or_404(code)
    template = next((t for t in procedure.current_version.form_templates.all() if t.slug == slug), None)
    if template is None:
        raise Http404("form template")
    key = f"form-pdf:{template.pk}:{template.template_name}"
    pdf = cache.get(key)
    if pdf is None:
        try:
            pdf = render_pdf(template.template_name, {"form": template, "procedure": procedure, "data": {}})
        except PdfUnavailable:
            logger.exception("PDF rendering is unavailable (system packages missing?)")
            return render(request, "catalog/pdf_unavailable.html", {"procedure": procedure}, status=503)
        cache.set(key, pdf, 24 * 3600)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{template.slug}.pdf"'
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
def agency_detail(request, code):
    """An agency's page: contact, opening hours, related bodies, the procedures it offers."""
    agency = agency_get(code[:40])
    if agency is None:
        raise Http404("agency")
    return render(
        request,
        "catalog/agency_detail.html",
        {
            "agency": agency,
            "page": Paginator(selectors.offering_list_for_agency(agency), 50).get_page(
                request.GET.get(PARAM_PAGE)
            ),
            "children": agency_children(agency),
            "siblings": agency.unit.agencies.filter(is_active=True).exclude(pk=agency.pk).order_by("role"),
        },
    )
