"""The one-stop paper documents (forms 1–6 of Circular 01/2018/TT-VPCP, retitled by Circular
03/2025/TT-VPCP) and the results of a dossier, as PDFs (WeasyPrint through core.pdf).

Each document has a context builder returning `(template, context)` (plain values: names, dates as
dd/mm/yyyy in Asia/Ho_Chi_Minh) and a `*_pdf` function. They are official papers handed to the
applicant, so they always print in Vietnamese, whatever the language of the official who prints them.
Form 7 (Sổ theo dõi hồ sơ) is a register exported as CSV/XLSX, not a PDF.

QR codes are inline SVG: the PDF renderer fetches nothing but /static/ files (no data: URIs either).
Results print a QR code to the verification URL the caller gives (documents.signing makes the token
and the /xac-thuc/<token>/ address before signing the PDF).
"""

import datetime as dt
from collections.abc import Iterable
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from dichvucong.catalog.eform import iter_fields
from dichvucong.catalog.eform_data import print_context, validate_data
from dichvucong.catalog.models import Channel as CatalogChannel
from dichvucong.core.identifiers import phone_display
from dichvucong.core.pdf import render_pdf
from dichvucong.directory.models import AgencyKind
from dichvucong.documents.models import FileKind
from dichvucong.dossiers.models import Channel, Delivery, Dossier, SupplementRequest
from dichvucong.dossiers.workflow import Outcome

TEMPLATE_DIR = "processing/paper"
RECEIPT_TEMPLATE = f"{TEMPLATE_DIR}/receipt.html"
SUPPLEMENT_REQUEST_TEMPLATE = f"{TEMPLATE_DIR}/supplement_request.html"
REFUSAL_TEMPLATE = f"{TEMPLATE_DIR}/refusal.html"
EXTENSION_TEMPLATE = f"{TEMPLATE_DIR}/extension.html"
STOP_NOTICE_TEMPLATE = f"{TEMPLATE_DIR}/stop_notice.html"
CONTROL_SHEET_TEMPLATE = f"{TEMPLATE_DIR}/control_sheet.html"
GENERIC_RESULT_TEMPLATE = f"{TEMPLATE_DIR}/result_generic.html"
# Procedure code → the template of its granted result; a procedure not listed gets the generic one.
RESULT_TEMPLATES = {
    "1.001193": f"{TEMPLATE_DIR}/result_birth_extract.html",  # Đăng ký khai sinh: Trích lục khai sinh
}

# KenhThucHien of the dossier → the catalogue's channel of its processing time.
CATALOG_CHANNEL = {
    Channel.IN_PERSON: CatalogChannel.IN_PERSON,
    Channel.ONLINE: CatalogChannel.ONLINE,
    Channel.POSTAL: CatalogChannel.POSTAL,
}
# The tiers of the national service index (processing.models.Timeliness values).
TIMELINESS_LABELS = {
    "early": gettext_noop("Trước hạn"),
    "on_time": gettext_noop("Đúng hạn"),
    "late": gettext_noop("Quá hạn"),
}


# --- Values as printed ------------------------------------------------------------------------------


def _local(value: dt.datetime | dt.date | None):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


def format_date(value: dt.datetime | dt.date | None) -> str:
    """dd/mm/yyyy in local time; '' for None."""
    value = _local(value)
    return value.strftime("%d/%m/%Y") if value else ""


def format_moment(value: dt.datetime | None) -> str:
    """'HH:MM dd/mm/yyyy' in local time; '' for None."""
    value = _local(value)
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def format_appointment(value: dt.datetime | None) -> str:
    """'16 giờ 30 phút, ngày 05/12/2026' in local time; '' for None."""
    value = _local(value)
    if not value:
        return ""
    return _("%(hour)s giờ %(minute)s phút, ngày %(date)s") % {
        "hour": f"{value.hour:02d}",
        "minute": f"{value.minute:02d}",
        "date": value.strftime("%d/%m/%Y"),
    }


_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_MONTHS = (
    "một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai",
)  # fmt: skip


def _tens_in_words(n: int) -> str:
    """1–99: 'năm', 'mười lăm', 'hai mươi mốt', 'hai mươi lăm', 'ba mươi'."""
    tens, unit = divmod(n, 10)
    if tens == 0:
        return _DIGITS[unit]
    head = "mười" if tens == 1 else f"{_DIGITS[tens]} mươi"
    if unit == 0:
        return head
    if unit == 5:
        tail = "lăm"
    elif unit == 1 and tens > 1:
        tail = "mốt"
    else:
        tail = _DIGITS[unit]
    return f"{head} {tail}"


def number_in_words(n: int) -> str:
    """0–9999 in Vietnamese words: 2005 → 'hai nghìn không trăm linh năm'."""
    if not 0 <= n <= 9999:
        raise ValueError(n)
    if n == 0:
        return _DIGITS[0]
    thousands, rest = divmod(n, 1000)
    hundreds, rest = divmod(rest, 100)
    words = []
    if thousands:
        words.append(f"{_DIGITS[thousands]} nghìn")
    if hundreds or (thousands and rest):
        words.append(f"{_DIGITS[hundreds]} trăm")
    if rest:
        words.append(f"linh {_DIGITS[rest]}" if rest < 10 and words else _tens_in_words(rest))
    return " ".join(words)


def date_in_words(value: dt.date | str | None) -> str:
    """How a civil-status paper writes a date in words: 'Ngày hai mươi tháng mười một năm hai nghìn
    không trăm hai mươi lăm'. Accepts an ISO string (clean e-form values); '' for None."""
    if not value:
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    return _("Ngày %(day)s tháng %(month)s năm %(year)s") % {
        "day": number_in_words(value.day),
        "month": _MONTHS[value.month - 1],
        "year": number_in_words(value.year),
    }


def _name(user) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def _address(street: str, *units) -> str:
    return ", ".join(part for part in (street, *(getattr(u, "name", u) for u in units)) if part)


def _person(user) -> dict:
    """The applicant as the documents print them."""
    return {
        "name": _name(user),
        "salutation": {"male": _("Ông"), "female": _("Bà")}.get(user.gender, _("Ông/Bà")),
        "personal_id": user.personal_id or "",
        "phone": phone_display(user.phone) if user.phone else "",
        "email": user.email or "",
        "address": _address(user.address_street, user.address_commune, user.address_province),
    }


def _organization(organization) -> dict | None:
    if organization is None:
        return None
    return {
        "name": organization.name,
        "tax_code": organization.tax_code,
        "address": _address(
            organization.address_street, organization.address_commune, organization.address_province
        ),
    }


def _header(agency, when: dt.datetime | dt.date | None, number: str = "") -> dict:
    """Issuer, number, place and date of an administrative document (Decree 30/2020/NĐ-CP, Appendix I):
    a body inside a People's Committee prints its committee above its own name; the place is the
    unit's name; days below 10 and the months 1 and 2 take a leading zero."""
    when = _local(when or timezone.now())
    parent = agency.parent
    superior = parent.name if parent is not None and agency.kind != AgencyKind.PEOPLES_COMMITTEE else ""
    return {
        "superior": superior,
        "issuer": agency.name,
        "number": number,
        "place": agency.unit.short_name,
        "day": f"{when.day:02d}",
        "month": f"{when.month:02d}" if when.month < 3 else str(when.month),
        "year": str(when.year),
    }


def _agency_with_province(agency) -> str:
    """'Ủy ban nhân dân xã Thượng Hồng, thành phố Hải Phòng': commune names repeat across provinces."""
    if agency.province_id == agency.unit_id:
        return agency.name
    return f"{agency.name}, {agency.province.name_in_text}"


def _dossier(dossier: Dossier) -> dict:
    return {
        "code": dossier.code or "",
        "procedure": dossier.version.name,
        "procedure_code": dossier.procedure.code,
        "submitted": format_moment(dossier.submitted_at),
        "received": format_moment(dossier.received_at),
        "received_date": format_date(dossier.received_at),
        "appointment": format_appointment(dossier.due_date),
        "appointment_date": format_date(dossier.due_date),
        "channel": dossier.get_channel_display(),
    }


def _base_context(dossier: Dossier, *, agency, when, number: str = "") -> dict:
    return {
        "header": _header(agency, when, number),
        "dossier": _dossier(dossier),
        "applicant": _person(dossier.applicant),
        "organization": _organization(dossier.organization),
        "agency": {"name": agency.name, "phone": agency.phone, "address": agency.address},
    }


# --- QR codes --------------------------------------------------------------------------------------


def site_url() -> str:
    """SITE_URL without its trailing slash: printed addresses must be absolute."""
    return (getattr(settings, "SITE_URL", "") or "http://127.0.0.1:8000").rstrip("/")


def lookup_url(dossier: Dossier) -> str:
    """The public lookup page prefilled with the dossier's code (/tra-cuu/?MHS=<code>). The identity
    number (SGT) is not printed: whoever scans still has to give it."""
    return f"{site_url()}{reverse('dossiers:lookup')}?{urlencode({'MHS': dossier.code or ''})}"


def qr_svg(url: str, *, title: str = "") -> SafeString:
    """An inline SVG QR code sized by CSS (viewBox, no width/height)."""
    svg = segno.make(url, error="m").svg_inline(
        scale=1,
        border=4,
        omitsize=True,
        title=title or None,
        svgclass="qr-code",
        lineclass=None,
        dark="#000",
        light="#fff",
    )
    # segno escapes the title and draws only paths from the matrix: the markup is ours.
    return mark_safe(svg.replace("<svg ", '<svg role="img" ', 1))  # noqa: S308


# --- Form 1: Giấy tiếp nhận hồ sơ và hẹn trả kết quả ------------------------------------------------


def documents_received(dossier: Dossier) -> list[dict]:
    """The lines of "Thành phần hồ sơ": the e-form if one was filled, then the dossier's files grouped
    by required document in catalogue order (files sent with messages are not part of the dossier)."""
    rows = []
    definition = getattr(dossier.version, "form_definition", None)
    if definition is not None and dossier.form_data:
        rows.append(
            {
                "name": definition.title,
                "copy_kind": _("Bản điện tử"),
                "copies": 1,
                "note": _("Tờ khai điện tử"),
            }
        )
    groups: dict = {}
    # What the applicant gave: not the notices and results the agency attached later (a receipt
    # reprinted after approval lists the same documents as the first print).
    attachments = (
        dossier.attachments.filter(message__isnull=True)
        .exclude(stored_file__kind__in=[FileKind.GENERATED, FileKind.RESULT])
        .select_related("required_document", "stored_file")
    )
    for attachment in attachments:
        document = attachment.required_document
        key = ("document", document.pk) if document else ("file", attachment.pk)
        group = groups.setdefault(
            key,
            {
                "order": (0, document.position, document.pk) if document else (1, 0, attachment.pk),
                "name": document.name if document else attachment.stored_file.original_name,
                "copy_kind": document.get_copy_kind_display() if document else "",
                "copies": document.copies if document else "",
                "files": 0,
                "digitised": False,
                "reused": False,
            },
        )
        group["files"] += 1
        group["digitised"] |= attachment.digitised
        group["reused"] |= attachment.reused_from_wallet
    for group in sorted(groups.values(), key=lambda g: g["order"]):
        notes = [_("%(count)s tệp") % {"count": group["files"]}]
        if group["digitised"]:
            notes.append(_("số hóa tại bộ phận một cửa"))
        if group["reused"]:
            notes.append(_("lấy từ kho dữ liệu cá nhân"))
        rows.append({**{k: group[k] for k in ("name", "copy_kind", "copies")}, "note": "; ".join(notes)})
    return rows


def _processing_time(dossier: Dossier) -> str:
    channel = CATALOG_CHANNEL.get(dossier.channel, CatalogChannel.ONLINE)
    time = dossier.version.processing_times.filter(channel=channel).first()
    return time.describe() if time else ""


def _delivery(dossier: Dossier) -> dict:
    address = dossier.delivery_address or {}
    text = ""
    if dossier.delivery == Delivery.POST:
        text = ", ".join(
            part
            for part in (
                address.get("recipient"),
                address.get("street"),
                address.get("commune"),
                address.get("province"),
                address.get("phone"),
            )
            if part
        )
    return {"method": dossier.get_delivery_display(), "address": text}


def receipt_context(dossier: Dossier, *, received_by) -> tuple[str, dict]:
    """Form 1: the receipt with the appointment date, and a QR code to follow the dossier."""
    agency = dossier.reception_agency
    url = lookup_url(dossier)
    context = _base_context(dossier, agency=agency, when=dossier.received_at)
    context.update(
        documents=documents_received(dossier),
        processing_time=_processing_time(dossier),
        delivery=_delivery(dossier),
        receptionist=_name(received_by),
        # Only an applicant at the desk signs; an online or postal one gets it without being there.
        applicant_signs=dossier.channel == Channel.IN_PERSON,
        lookup_url=url,
        lookup_qr=qr_svg(url, title=_("Mã QR tra cứu hồ sơ")),
    )
    return RECEIPT_TEMPLATE, context


# --- Form 2: Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ -----------------------------------------------


def supplement_request_context(dossier: Dossier, request: SupplementRequest) -> tuple[str, dict]:
    """Form 2: what is missing or wrong, why, and how to complete it, one row per item."""
    items = request.items or []
    ids = [item.get("required_document") for item in items if item.get("required_document")]
    names = dict(dossier.version.documents.filter(pk__in=ids).values_list("pk", "name")) if ids else {}
    context = _base_context(dossier, agency=dossier.reception_agency, when=request.created_at)
    context.update(
        number=request.number,
        requested=format_moment(request.created_at),
        items=[
            {
                "name": item.get("name") or names.get(item.get("required_document"), ""),
                "reason": item.get("reason", ""),
                "guidance": item.get("guidance", ""),
            }
            for item in items
        ],
        official=_name(request.requested_by),
    )
    return SUPPLEMENT_REQUEST_TEMPLATE, context


# --- Form 3: Phiếu từ chối tiếp nhận giải quyết hồ sơ ----------------------------------------------


def refusal_context(dossier: Dossier, *, reason: str, refused_by) -> tuple[str, dict]:
    """Form 3: the refusal to receive, with its reason."""
    when = dossier.finished_at or timezone.now()
    context = _base_context(dossier, agency=dossier.reception_agency, when=when)
    context.update(reason=reason, official=_name(refused_by))
    return REFUSAL_TEMPLATE, context


# --- Form 4: Văn bản xin lỗi và hẹn lại ngày trả kết quả -------------------------------------------


def extension_context(dossier: Dossier, extension) -> tuple[str, dict]:
    """Form 4: apology for the delay and the new appointment. `extension` has number, reason,
    previous_due, new_due, approved_by (User or None) and created_at (processing.models.Extension)."""
    context = _base_context(dossier, agency=dossier.competent_agency, when=extension.created_at)
    context.update(
        number=extension.number,
        reason=extension.reason,
        previous_appointment=format_appointment(extension.previous_due),
        new_appointment=format_appointment(extension.new_due),
        new_appointment_date=format_date(extension.new_due),
        approver=_name(extension.approved_by),
    )
    return EXTENSION_TEMPLATE, context


# --- Form 5: Thông báo dừng giải quyết hồ sơ --------------------------------------------------------


def stop_notice_context(
    dossier: Dossier, *, reason: str, stopped_by, legal_basis: str = ""
) -> tuple[str, dict]:
    """Form 5: processing is stopped, why, and on what legal basis."""
    when = dossier.stopped_at or dossier.finished_at or timezone.now()
    context = _base_context(dossier, agency=dossier.competent_agency, when=when)
    context.update(reason=reason, legal_basis=legal_basis, official=_name(stopped_by))
    return STOP_NOTICE_TEMPLATE, context


# --- Form 6: Phiếu kiểm soát quá trình giải quyết hồ sơ ---------------------------------------------


def _attr(obj, *names, default=None):
    """The first attribute of `names` that `obj` has: the sheet reads processing.DossierStep
    (position, result_note, get_role_display) and simpler step objects (order, note, role_label)."""
    for name in names:
        if hasattr(obj, name):
            value = getattr(obj, name)
            return value() if callable(value) else value
    return default


def _receiver(step) -> str:
    if step.assigned_to is not None:
        return _name(step.assigned_to)
    role = _attr(step, "role_label", "get_role_display", default="") or ""
    agency = _attr(step, "agency")
    pool = _("Tổ/nhóm %(role)s") % {"role": role[:1].lower() + role[1:]} if role else _("Tổ/nhóm xử lý")
    return f"{pool} ({agency.name})" if agency is not None else pool


def control_sheet_rows(steps: Iterable) -> list[dict]:
    """One row per hand-over, in step order: giver, receiver (an official, or the pool of a role),
    times, result and the early/on-time/late tier."""
    ordered = sorted(
        steps, key=lambda s: (_attr(s, "order", "position", default=0), _attr(s, "pk", default=0))
    )
    return [
        {
            "order": index,
            "name": step.name,
            "giver": _name(step.handed_over_by),
            "receiver": _receiver(step),
            "received": format_moment(step.received_at),
            "due": format_moment(step.due_at),
            "finished": format_moment(step.finished_at),
            "note": _attr(step, "note", "result_note", default="") or "",
            "timeliness": _(TIMELINESS_LABELS[step.timeliness])
            if step.timeliness in TIMELINESS_LABELS
            else "",
        }
        for index, step in enumerate(ordered, start=1)
    ]


def control_sheet_context(dossier: Dossier, steps: Iterable) -> tuple[str, dict]:
    """Form 6: the hand-overs of the dossier between officials and units."""
    context = _base_context(dossier, agency=dossier.reception_agency, when=timezone.now())
    context.update(rows=control_sheet_rows(steps))
    return CONTROL_SHEET_TEMPLATE, context


# --- Results -----------------------------------------------------------------------------------------


def result_template(procedure_code: str, outcome: str) -> str:
    """The procedure's own result paper when it has one and the dossier is granted; else the generic
    result (which is also the reply for a dossier not granted)."""
    if outcome == Outcome.GRANTED:
        return RESULT_TEMPLATES.get(procedure_code, GENERIC_RESULT_TEMPLATE)
    return GENERIC_RESULT_TEMPLATE


def form_values(dossier: Dossier) -> dict:
    """The dossier's e-form answers as printed (catalog.eform_data.print_context), plus
    `<date field>_words` for every date ('Ngày hai mươi tháng mười một năm …')."""
    definition = getattr(dossier.version, "form_definition", None)
    if definition is None:
        return {}
    cleaned = validate_data(definition.schema, dossier.form_data).cleaned
    values = print_context(definition.schema, cleaned)
    for _section, spec in iter_fields(definition.schema):
        if spec["type"] == "date" and cleaned.get(spec["name"]):
            values[f"{spec['name']}_words"] = date_in_words(cleaned[spec["name"]])
    return values


def result_context(
    dossier: Dossier,
    *,
    outcome: str,
    decision_text: str,
    signer_name: str,
    verification_url: str,
    number: str = "",
    issued_at: dt.datetime | None = None,
) -> tuple[str, dict]:
    """The result issued by the competent agency (granted), or its reply that the dossier is not
    granted (decision_text gives the reasons), with the QR code of its verification page."""
    if outcome not in Outcome.values:
        raise ValueError(f"unknown outcome {outcome!r}")
    issued_at = issued_at or timezone.now()
    template = result_template(dossier.procedure.code, outcome)
    agency = dossier.competent_agency
    context = _base_context(dossier, agency=agency, when=issued_at, number=number)
    context.update(
        granted=outcome == Outcome.GRANTED,
        decision_text=decision_text,
        signer_name=signer_name,
        registration={
            "number": number,
            "date": format_date(issued_at),
            "agency": _agency_with_province(agency),
        },
        form=form_values(dossier) if template != GENERIC_RESULT_TEMPLATE else {},
        verification_url=verification_url,
        verification_qr=qr_svg(verification_url, title=_("Mã QR xác thực văn bản")),
    )
    return template, context


# --- PDFs ---------------------------------------------------------------------------------------------


def _pdf(builder, *args, **kwargs) -> bytes:
    # Official papers are in Vietnamese (the msgids) whatever the language of the official's session.
    with translation.override(settings.LANGUAGE_CODE):
        template, context = builder(*args, **kwargs)
        return render_pdf(template, context)


def receipt_pdf(dossier: Dossier, *, received_by) -> bytes:
    """Form 1 as a PDF."""
    return _pdf(receipt_context, dossier, received_by=received_by)


def supplement_request_pdf(dossier: Dossier, request: SupplementRequest) -> bytes:
    """Form 2 as a PDF."""
    return _pdf(supplement_request_context, dossier, request)


def refusal_pdf(dossier: Dossier, *, reason: str, refused_by) -> bytes:
    """Form 3 as a PDF."""
    return _pdf(refusal_context, dossier, reason=reason, refused_by=refused_by)


def extension_pdf(dossier: Dossier, extension) -> bytes:
    """Form 4 as a PDF."""
    return _pdf(extension_context, dossier, extension)


def stop_notice_pdf(dossier: Dossier, *, reason: str, stopped_by, legal_basis: str = "") -> bytes:
    """Form 5 as a PDF."""
    return _pdf(stop_notice_context, dossier, reason=reason, stopped_by=stopped_by, legal_basis=legal_basis)


def control_sheet_pdf(dossier: Dossier, steps: Iterable) -> bytes:
    """Form 6 as a PDF."""
    return _pdf(control_sheet_context, dossier, steps)


def result_pdf(
    dossier: Dossier,
    *,
    outcome: str,
    decision_text: str,
    signer_name: str,
    verification_url: str,
    number: str = "",
    issued_at: dt.datetime | None = None,
) -> bytes:
    """The result (or the reply not granting it) as a PDF, ready to be signed."""
    return _pdf(
        result_context,
        dossier,
        outcome=outcome,
        decision_text=decision_text,
        signer_name=signer_name,
        verification_url=verification_url,
        number=number,
        issued_at=issued_at,
    )
