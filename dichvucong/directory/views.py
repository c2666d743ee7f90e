"""Public directory pages: the list of agencies (an agency's own page, with its procedures, is in catalog)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors


@require_GET
def agency_list(request):
    province_code = (request.GET.get("tinh") or "").strip()[:5]
    query = (request.GET.get("q") or "")[:100]
    page = Paginator(selectors.agency_list(province_code=province_code, query=query), 30).get_page(
        request.GET.get("trang")
    )
    query_without_page = request.GET.copy()
    query_without_page.pop("trang", None)
    return render(
        request,
        "directory/agency_list.html",
        {
            "provinces": selectors.province_list(),
            "province_code": province_code,
            "query": query,
            "page": page,
            "query_string": query_without_page.urlencode(),
        },
    )
