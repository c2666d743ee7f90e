"""Form 7, Sổ theo dõi hồ sơ (/mot-cua/so-theo-doi/): a period and a kind, the count, and the register
as CSV or XLSX, written while the rows are read (processing.register)."""

from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dichvucong.accounts.decorators import official_required
from dichvucong.accounts.models import StaffRole

from ..forms_desk import RegisterForm
from ..register import KINDS, csv_lines, register_queryset, register_rows, xlsx_file

register_required = official_required(StaffRole.RECEPTIONIST, StaffRole.APPROVER, StaffRole.AGENCY_ADMIN)
CSV, XLSX = "csv", "xlsx"
PARAMS = ("tu", "den", "loai")


def _dossiers(request, form: RegisterForm):
    data = form.cleaned_data
    return register_queryset(
        official=request.user,
        agency=request.active_membership.agency,
        kind=form.kind,
        start=data["tu"],
        end=data["den"],
    )


def _page(request, form: RegisterForm):
    valid = form.is_valid()
    return render(
        request,
        "processing/register.html",
        {
            "agency": request.active_membership.agency,
            "form": form,
            "count": _dossiers(request, form).count() if valid else None,
            "kind_label": KINDS[form.kind] if valid else "",
            "query_string": urlencode({key: form.data.get(key, "") for key in PARAMS}) if valid else "",
        },
        status=200 if valid else 400,
    )


@never_cache
@register_required
@require_GET
def register(request):
    """The period and kind; how many dossiers the register holds, and the links to download it."""
    return _page(request, RegisterForm.from_query(request.GET))


def _filename(request, form: RegisterForm, extension: str) -> str:
    data = form.cleaned_data
    agency = request.active_membership.agency
    return (
        f"so-theo-doi-{form.cleaned_data['loai']}-{agency.code}-"
        f"{data['tu']:%Y%m%d}-{data['den']:%Y%m%d}.{extension}"
    )


@never_cache
@register_required
@require_GET
def register_download(request, fmt):
    """The register of the period as CSV (UTF-8 with BOM) or XLSX."""
    form = RegisterForm.from_query(request.GET)
    if fmt not in (CSV, XLSX) or not form.is_valid():
        return _page(request, form)
    rows = register_rows(_dossiers(request, form))
    filename = _filename(request, form, fmt)
    if fmt == CSV:
        response = StreamingHttpResponse(csv_lines(rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    else:
        data, agency = form.cleaned_data, request.active_membership.agency
        title = _("Sổ theo dõi hồ sơ – %(kind)s – %(agency)s") % {
            "kind": KINDS[form.kind],
            "agency": agency.name,
        }
        subtitle = _("Từ ngày %(start)s đến ngày %(end)s") % {
            "start": data["tu"].strftime("%d/%m/%Y"),
            "end": data["den"].strftime("%d/%m/%Y"),
        }
        response = FileResponse(
            xlsx_file(rows, title=title, subtitle=subtitle),
            as_attachment=True,
            filename=filename,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
