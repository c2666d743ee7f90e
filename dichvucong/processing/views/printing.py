"""Printing the one-stop forms of a dossier (/mot-cua/ho-so/<code>/in/<kind>/): rendered on demand by
processing.paper from what was recorded (events, SupplementRequest, Extension, DossierStep) and served
inline as a PDF to the officials of the dossier's agencies. A dossier without such a document: 404.
"""

from dataclasses import dataclass

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from dichvucong.accounts.decorators import official_required
from dichvucong.core.pdf import PdfUnavailable
from dichvucong.documents.responses import content_disposition
from dichvucong.dossiers.models import DossierEvent

from .. import paper
from ..models import Extension
from ..selectors import dossier_get_for_agency, dossier_steps


@dataclass(frozen=True)
class PrintKind:
    slug: str
    label: object
    filename: str
    numbered: bool = False  # several of them: ?lan=N (default: the latest)


PRINT_KINDS = {
    kind.slug: kind
    for kind in (
        PrintKind(
            "tiep-nhan", gettext_lazy("Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)"), "giay-tiep-nhan"
        ),
        PrintKind(
            "bo-sung",
            gettext_lazy("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)"),
            "phieu-yeu-cau-bo-sung",
            numbered=True,
        ),
        PrintKind(
            "tu-choi", gettext_lazy("Phiếu từ chối tiếp nhận giải quyết hồ sơ (mẫu 03)"), "phieu-tu-choi"
        ),
        PrintKind(
            "gia-han",
            gettext_lazy("Văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04)"),
            "van-ban-gia-han",
            numbered=True,
        ),
        PrintKind("dung", gettext_lazy("Thông báo dừng giải quyết hồ sơ (mẫu 05)"), "thong-bao-dung"),
        PrintKind(
            "kiem-soat",
            gettext_lazy("Phiếu kiểm soát quá trình giải quyết hồ sơ (mẫu 06)"),
            "phieu-kiem-soat",
        ),
    )
}


@dataclass(frozen=True)
class Printable:
    kind: PrintKind
    number: int | None
    url: str

    @property
    def label(self) -> str:
        if self.number and self.kind.numbered:
            return _("%(form)s – lần %(number)s") % {"form": self.kind.label, "number": self.number}
        return str(self.kind.label)


def print_url(dossier, slug: str, number: int | None = None) -> str:
    url = reverse("processing:print", args=[dossier.code, slug])
    return f"{url}?lan={number}" if number else url


def printable_documents(dossier) -> list[Printable]:
    """The forms this dossier has, in form order (a few small indexed queries)."""
    actions = set(
        DossierEvent.objects.filter(dossier=dossier, action__in=("receive", "refuse", "stop")).values_list(
            "action", flat=True
        )
    )
    found = []
    if "receive" in actions:
        found.append(("tiep-nhan", None))
    found += [
        ("bo-sung", n)
        for n in dossier.supplement_requests.order_by("number").values_list("number", flat=True)
    ]
    if "refuse" in actions:
        found.append(("tu-choi", None))
    found += [("gia-han", n) for n in dossier.extensions.order_by("number").values_list("number", flat=True)]
    if "stop" in actions:
        found.append(("dung", None))
    if dossier.steps.exists():
        found.append(("kiem-soat", None))
    return [Printable(PRINT_KINDS[slug], number, print_url(dossier, slug, number)) for slug, number in found]


def _last_event(dossier, action: str) -> DossierEvent:
    event = (
        DossierEvent.objects.filter(dossier=dossier, action=action)
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    if event is None:
        raise Http404
    return event


def _number(request) -> int | None:
    value = request.GET.get("lan", "")
    return int(value) if value.isdigit() and 0 < int(value) < 1000 else None


def _numbered(queryset, number: int | None):
    found = queryset.filter(number=number).first() if number else queryset.order_by("-number").first()
    if found is None:
        raise Http404
    return found


def render_form(dossier, slug: str, number: int | None) -> tuple[bytes, str]:
    """The PDF of form `slug` of the dossier and its file name; Http404 when it has none."""
    kind = PRINT_KINDS.get(slug)
    if kind is None:
        raise Http404
    suffix = f"-lan-{number}" if number else ""
    if slug == "tiep-nhan":
        event = _last_event(dossier, "receive")
        pdf = paper.receipt_pdf(dossier, received_by=event.actor)
    elif slug == "bo-sung":
        request = _numbered(dossier.supplement_requests.select_related("requested_by"), number)
        suffix = f"-lan-{request.number}"
        pdf = paper.supplement_request_pdf(dossier, request)
    elif slug == "tu-choi":
        event = _last_event(dossier, "refuse")
        pdf = paper.refusal_pdf(dossier, reason=event.note, refused_by=event.actor)
    elif slug == "gia-han":
        extension = _numbered(Extension.objects.filter(dossier=dossier).select_related("approved_by"), number)
        suffix = f"-lan-{extension.number}"
        pdf = paper.extension_pdf(dossier, extension)
    elif slug == "dung":
        event = _last_event(dossier, "stop")
        pdf = paper.stop_notice_pdf(
            dossier,
            reason=event.note,
            stopped_by=event.actor,
            legal_basis=(event.detail or {}).get("legal_basis", ""),
        )
    else:  # kiem-soat
        rows = dossier_steps(dossier)
        if not rows:
            raise Http404
        pdf = paper.control_sheet_pdf(dossier, [row.step for row in rows])
    return pdf, f"{kind.filename}-{dossier.code}{suffix}.pdf"


@official_required()
@require_GET
def print_form(request, code, kind):
    """One form of a dossier of the official's agency, as an inline PDF."""
    dossier = dossier_get_for_agency(
        official=request.user, agency=request.active_membership.agency, code=code
    )
    if dossier is None:
        raise Http404
    try:
        pdf, filename = render_form(dossier, kind, _number(request))
    except PdfUnavailable:
        return render(request, "catalog/pdf_unavailable.html", {"procedure": dossier.procedure}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(filename, inline=True)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
