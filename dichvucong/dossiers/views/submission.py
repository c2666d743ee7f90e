"""Filing a dossier: start from an offering, then the draft's steps, then submit and confirmation."""

from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from dichvucong.accounts.models import OrganizationMember
from dichvucong.catalog.eform_data import display_value, raw_from_post, validate_data
from dichvucong.catalog.models import Offering
from dichvucong.catalog.selectors import procedure_get_published
from dichvucong.core.pdf import PdfUnavailable, render_pdf
from dichvucong.documents.selectors import wallet_list_for
from dichvucong.documents.validation import UploadRejected

from ..completeness import dossier_completeness
from ..declaration import declaration_pdf_context, expected_result_window
from ..eform_render import bind_form, commune_choices, group_add_item, group_remove_item, provinces
from ..models import Delivery, Dossier
from ..services.drafts import (
    DraftError,
    attachment_remove,
    attachment_reuse,
    attachment_upload,
    delivery_options,
    draft_create,
    draft_delete,
    draft_save_delivery,
    draft_save_form,
)
from ..services.submission import IncompleteDossier, dossier_submit
from ..workflow import State

STEPS = [
    ("form", _("Tờ khai")),
    ("documents", _("Giấy tờ")),
    ("delivery", _("Nhận kết quả")),
    ("review", _("Xem lại và nộp")),
]
STEP_URLS = {
    "form": "dossiers:draft_form",
    "documents": "dossiers:draft_documents",
    "delivery": "dossiers:draft_delivery",
    "review": "dossiers:draft_review",
}


def _draft_or_404(request, public_id) -> Dossier:
    """The signed-in user's own draft; anyone else's is a 404. A submitted one goes to its page."""
    dossier = get_object_or_404(
        Dossier.objects.select_related(
            "version__form_definition", "offering", "reception_agency", "procedure"
        ),
        public_id=public_id,
        applicant=request.user,
    )
    return dossier


def _context(dossier: Dossier, step: str, **extra) -> dict:
    return {
        "dossier": dossier,
        "version": dossier.version,
        "offering": dossier.offering,
        "steps": [(key, label, STEP_URLS[key]) for key, label in STEPS],
        "step": step,
        **extra,
    }


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def submission_start(request, code):
    """Confirm where to file (the offering chosen on the procedure page) and for whom; POST starts a draft."""
    procedure = procedure_get_published(code[:20])
    if procedure is None:
        raise Http404
    offering = (
        Offering.objects.filter(
            pk=request.GET.get("noi-nop") or request.POST.get("noi-nop") or 0,
            procedure=procedure,
            is_active=True,
        )
        .select_related("agency", "reception_agency", "unit", "province")
        .first()
        if (str(request.GET.get("noi-nop") or request.POST.get("noi-nop") or "").isdigit())
        else None
    )
    if offering is None:
        return redirect("catalog:agency_chooser", code=procedure.code)
    memberships = OrganizationMember.objects.filter(user=request.user).select_related("organization")
    if request.method == "POST":
        organization = None
        if request.POST.get("for") and request.POST["for"] != "self":
            membership = memberships.filter(organization_id=request.POST["for"]).first()
            if membership is None:
                raise PermissionDenied
            organization = membership.organization
        # A double click must not leave two drafts: reuse the one started a moment ago.
        recent = Dossier.objects.filter(
            applicant=request.user,
            offering=offering,
            organization=organization,
            state=State.DRAFT,
            created_at__gte=timezone.now() - timedelta(minutes=1),
        ).first()
        try:
            dossier = recent or draft_create(user=request.user, offering=offering, organization=organization)
        except DraftError as exc:
            messages.error(request, str(exc))
            return redirect("catalog:agency_chooser", code=procedure.code)
        return redirect("dossiers:draft_form", public_id=dossier.public_id)
    return render(
        request,
        "dossiers/submission/start.html",
        {
            "procedure": procedure,
            "version": procedure.current_version,
            "offering": offering,
            "memberships": memberships,
            "delivery_options": delivery_options(offering),
        },
    )


@never_cache
@login_required
@require_GET
def draft_resume(request, public_id):
    dossier = _draft_or_404(request, public_id)
    if not dossier.is_draft:
        return redirect("dossiers:dossier_detail", code=dossier.code)
    return redirect("dossiers:draft_form", public_id=public_id)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def draft_form(request, public_id):
    """Step 1: the e-form. Everything typed is saved, valid or not; errors are shown next to fields."""
    dossier = _draft_or_404(request, public_id)
    if not dossier.is_draft:
        return redirect("dossiers:dossier_detail", code=dossier.code)
    definition = getattr(dossier.version, "form_definition", None)
    if definition is None:
        return redirect("dossiers:draft_documents", public_id=public_id)
    schema, errors = definition.schema, {}
    raw = dossier.form_data
    if request.method == "POST":
        raw = raw_from_post(schema, request.POST)
        if request.POST.get("_add"):
            raw = group_add_item(schema, raw, request.POST["_add"])
        elif request.POST.get("_remove"):
            raw = group_remove_item(schema, raw, request.POST["_remove"])
        try:
            dossier = draft_save_form(dossier_id=dossier.pk, user=request.user, raw=raw)
        except DraftError as exc:
            messages.error(request, str(exc))
            return redirect("dossiers:draft_resume", public_id=public_id)
        if not (request.POST.get("_add") or request.POST.get("_remove")):
            result = validate_data(schema, raw)
            if result.is_valid:
                return redirect("dossiers:draft_documents", public_id=public_id)
            errors = result.errors
            messages.error(
                request,
                _("Tờ khai còn %(count)s mục cần sửa; các mục đã nhập đã được lưu.") % {"count": len(errors)},
            )
    return render(
        request,
        "dossiers/submission/form.html",
        _context(
            dossier,
            "form",
            title=definition.title,
            sections=bind_form(schema, raw, errors),
            provinces=provinces(),
            error_count=len(errors),
            check_url=reverse("dossiers:draft_form_check", kwargs={"public_id": dossier.public_id}),
        ),
    )


@login_required
@require_POST
def draft_form_check(request, public_id):
    """htmx: save the draft and return the message for one field (empty when it is fine)."""
    dossier = _draft_or_404(request, public_id)
    definition = getattr(dossier.version, "form_definition", None)
    if not dossier.is_draft or definition is None:
        return HttpResponse("")
    raw = raw_from_post(definition.schema, request.POST)
    try:
        draft_save_form(dossier_id=dossier.pk, user=request.user, raw=raw)
    except DraftError:
        return HttpResponse("")
    errors = validate_data(definition.schema, raw).errors
    path = request.POST.get("_field", "")[:200]
    message = errors.get(path) or next((v for k, v in errors.items() if k.startswith(f"{path}.")), "")
    # Only the touched field speaks: an empty required field is not "wrong" before it is left.
    return render(request, "dossiers/submission/_field_error.html", {"error": message})


@login_required
@require_GET
def commune_options(request):
    """<option>s of a province's communes, by code (the e-form's address fields)."""
    return render(
        request,
        "dossiers/submission/_communes.html",
        {"communes": commune_choices((request.GET.get("tinh") or "")[:2])},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def draft_documents(request, public_id):
    """Step 2: files for each required document (upload, reuse from the wallet, remove)."""
    dossier = _draft_or_404(request, public_id)
    if not dossier.is_draft:
        return redirect("dossiers:dossier_detail", code=dossier.code)
    upload_errors = {}
    if request.method == "POST":
        action, document_id = request.POST.get("action"), request.POST.get("document")
        try:
            if action == "upload":
                files = request.FILES.getlist("files")
                if not files:
                    raise DraftError(_("Chọn ít nhất một tệp để tải lên."))
                attachment_upload(
                    dossier_id=dossier.pk,
                    user=request.user,
                    required_document_id=document_id,
                    uploaded_files=files,
                )
                messages.success(request, _("Đã tải lên %(count)s tệp.") % {"count": len(files)})
            elif action == "reuse":
                attachment_reuse(
                    dossier_id=dossier.pk,
                    user=request.user,
                    required_document_id=document_id,
                    stored_file_public_id=request.POST.get("file"),
                )
                messages.success(request, _("Đã dùng lại tệp từ kho dữ liệu."))
            elif action == "remove":
                attachment_remove(
                    dossier_id=dossier.pk,
                    user=request.user,
                    attachment_id=int(request.POST.get("attachment", 0) or 0),
                )
            elif action == "next":
                return redirect("dossiers:draft_delivery", public_id=public_id)
            return redirect("dossiers:draft_documents", public_id=public_id)
        except (DraftError, UploadRejected) as exc:
            upload_errors[str(document_id)] = getattr(exc, "message", None) or str(exc)
    attachments = list(dossier.attachments.select_related("stored_file"))
    documents = [
        {
            "document": document,
            "attachments": [a for a in attachments if a.required_document_id == document.pk],
            "error": upload_errors.get(str(document.pk), ""),
        }
        for document in dossier.version.documents.select_related("form_template")
    ]
    return render(
        request,
        "dossiers/submission/documents.html",
        _context(
            dossier,
            "documents",
            documents=documents,
            wallet=list(wallet_list_for(request.user)[:30]),
            max_file_mb=settings.UPLOAD_MAX_FILE_MB,
            max_dossier_mb=settings.UPLOAD_MAX_DOSSIER_MB,
        ),
        status=400 if upload_errors else 200,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def draft_delivery(request, public_id):
    """Step 3: how to receive the result — only what the offering allows."""
    dossier = _draft_or_404(request, public_id)
    if not dossier.is_draft:
        return redirect("dossiers:dossier_detail", code=dossier.code)
    options = delivery_options(dossier.offering)
    error = ""
    address = dossier.delivery_address or {}
    if request.method == "POST":
        choice = request.POST.get("delivery", "")
        address = {
            key: (request.POST.get(f"post_{key}") or "").strip()[:200]
            for key in ("recipient", "phone", "street", "commune", "province")
        }
        if choice not in options:
            error = _("Chọn một cách nhận kết quả.")
        elif choice == Delivery.POST and not (address["recipient"] and address["street"]):
            error = _("Nhập người nhận và địa chỉ nhận kết quả qua bưu chính.")
        else:
            draft_save_delivery(dossier_id=dossier.pk, user=request.user, delivery=choice, address=address)
            return redirect("dossiers:draft_review", public_id=public_id)
    return render(
        request,
        "dossiers/submission/delivery.html",
        _context(
            dossier,
            "delivery",
            options=[(o, Delivery(o).label) for o in options],
            error=error,
            address=address,
            postal_fee=_postal_fee(dossier),
        ),
        status=400 if error else 200,
    )


def _postal_fee(dossier: Dossier) -> int:
    rule = dossier.version.fee_rules.filter(kind="postal").first()
    return rule.amount if rule and rule.amount else settings.POSTAL_FEE_DEFAULT


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def draft_review(request, public_id):
    """Step 4: the summary, the declaration, submit. Submitting twice shows the same dossier."""
    dossier = _draft_or_404(request, public_id)
    if not dossier.is_draft:
        return redirect("dossiers:dossier_submitted", code=dossier.code)
    problems = []
    if request.method == "POST":
        try:
            dossier, _now = dossier_submit(
                dossier_id=dossier.pk,
                user=request.user,
                declaration_accepted=request.POST.get("declaration") == "on",
            )
        except IncompleteDossier as exc:
            problems = exc.completeness.problems
        else:
            return redirect("dossiers:dossier_submitted", code=dossier.code)
    completeness = dossier_completeness(dossier)
    definition = getattr(dossier.version, "form_definition", None)
    return render(
        request,
        "dossiers/submission/review.html",
        _context(
            dossier,
            "review",
            sections=_review_sections(definition, completeness),
            completeness=completeness,
            declaration_missing="declaration" in problems,
            attachments=dossier.attachments.select_related("stored_file", "required_document"),
            fees=dossier.version.fee_rules.all(),
            window=expected_result_window(dossier),
            postal_fee=_postal_fee(dossier) if dossier.delivery == Delivery.POST else None,
        ),
        status=400 if problems else 200,
    )


def _review_sections(definition, completeness) -> list:
    if definition is None or completeness.form is None:
        return []
    cleaned = completeness.form.cleaned
    sections = []
    for section in definition.schema["sections"]:
        rows = []
        for spec in section["fields"]:
            value = cleaned.get(spec["name"])
            if spec["type"] == "group":
                for i, item in enumerate(value or []):
                    for sub in spec["fields"]:
                        rows.append(
                            (
                                f"{spec['label']} {i + 1} – {sub['label']}",
                                display_value(sub, item.get(sub["name"])),
                            )
                        )
            else:
                rows.append((spec["label"], display_value(spec, value)))
        sections.append((section["title"], rows))
    return sections


@login_required
@require_POST
def draft_discard(request, public_id):
    dossier = _draft_or_404(request, public_id)
    if dossier.is_draft:
        draft_delete(dossier_id=dossier.pk, user=request.user)
        messages.success(request, _("Đã xóa bản nháp."))
    return redirect("dossiers:my_dossiers")


@never_cache
@login_required
@require_GET
def dossier_submitted(request, code):
    dossier = get_object_or_404(
        Dossier.objects.select_related("version", "reception_agency", "procedure"),
        code=code[:40],
        applicant=request.user,
    )
    return render(
        request,
        "dossiers/submission/submitted.html",
        {"dossier": dossier, "window": expected_result_window(dossier)},
    )


@never_cache
@login_required
@require_GET
def declaration_pdf(request, code):
    """The filled declaration (tờ khai) as the paper form, for the applicant only."""
    dossier = get_object_or_404(
        Dossier.objects.select_related("version", "competent_agency", "reception_agency"),
        code=code[:40],
        applicant=request.user,
    )
    template_name, context = declaration_pdf_context(dossier)
    try:
        pdf = render_pdf(template_name, context)
    except PdfUnavailable:
        return render(request, "catalog/pdf_unavailable.html", {"procedure": dossier.procedure}, status=503)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="to-khai-{dossier.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
