"""One dossier as the officials of the active agency see it (/mot-cua/ho-so/<code>/), and its files.

Everything is read through processing.selectors scoped to the agency: a dossier of another agency (or an
unknown code) is a 404 that says so and shows nothing of it. The actions on the dossier are another
module's (views/actions*.py); this page includes their partial with the official's roles, the current
step and the `lock_version` the actions send back (a stale page is refused there).
"""

import logging

from django.db.models import prefetch_related_objects
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from dichvucong.catalog.eform_data import display_value, validate_data
from dichvucong.catalog.models import ServiceLevel
from dichvucong.core.identifiers import phone_display
from dichvucong.documents.models import FileKind
from dichvucong.documents.responses import file_download_response
from dichvucong.dossiers.models import Channel, Delivery, Dossier
from dichvucong.dossiers.selectors import dossier_attachments, dossier_messages, dossier_timeline, event_label
from dichvucong.dossiers.workflow import CLOCK_RUNNING_STATES, STATE_EXPLANATION, Actor, State

from ..models import ResultDelivery
from ..register import TIMELINESS_LABELS, dossier_timeliness
from ..selectors import (
    dossier_extensions,
    dossier_get_for_agency,
    dossier_internal_notes,
    dossier_steps,
    due_soon_limit,
)
from .inbox import desk_required

# Who downloaded which file of which dossier (personal data: Law 91/2025, docs/security.md).
access_log = logging.getLogger("dichvucong.processing.access")
JUST_RECEIVED = "vua-tiep-nhan"  # set by the walk-in reception: the page offers the receipt at once
RECEIPT_URL_NAME, RECEIPT_KIND = "processing:print", "tiep-nhan"


def not_found_response(request, code: str):
    return render(
        request,
        "processing/dossier/not_found.html",
        {"code": code[:40], "agency": request.active_membership.agency},
        status=404,
    )


def dossier_for_request(request, code: str) -> Dossier | None:
    """The dossier `code` of the official's active agency, or None."""
    return dossier_get_for_agency(official=request.user, agency=request.active_membership.agency, code=code)


def form_sections(dossier: Dossier) -> tuple[str, list[tuple[str, list[tuple[str, str]]]]]:
    """The e-form's title and its answers as (section, [(label, text)]), as the citizen reviewed them
    (catalog.eform_data.display_value over the cleaned answers); group items are numbered."""
    definition = getattr(dossier.version, "form_definition", None)
    if definition is None or not dossier.form_data:
        return "", []
    cleaned = validate_data(definition.schema, dossier.form_data).cleaned
    sections = []
    for section in definition.schema.get("sections", []):
        rows = []
        for spec in section["fields"]:
            value = cleaned.get(spec["name"])
            if spec["type"] == "group":
                for i, item in enumerate(value or [], start=1):
                    for sub in spec["fields"]:
                        rows.append(
                            (
                                f"{spec['label']} {i} – {sub['label']}",
                                display_value(sub, item.get(sub["name"])),
                            )
                        )
            else:
                rows.append((spec["label"], display_value(spec, value)))
        sections.append((section["title"], rows))
    return definition.title, sections


def _timeline(dossier: Dossier) -> list[dict]:
    rows = []
    events = dossier_timeline(dossier)
    prefetch_related_objects(events, "actor")
    for event in events:
        role = Actor(event.actor_role).label if event.actor_role in Actor.values else ""
        name = (event.actor.get_full_name() or event.actor.username) if event.actor else ""
        rows.append(
            {
                "at": event.created_at,
                "label": event_label(event),
                "who": name,
                "role": role,
                "note": event.note,
            }
        )
    return rows


def _address(*parts: str) -> str:
    return ", ".join(part for part in parts if part)


def _delivery_address(dossier: Dossier) -> str:
    if dossier.delivery != Delivery.POST:
        return ""
    address = dossier.delivery_address or {}
    return _address(
        *(str(address.get(key) or "") for key in ("recipient", "phone", "street", "commune", "province"))
    )


def receipt_url(dossier: Dossier) -> str:
    """The printed receipt (form 1) of a received dossier, from the actions module's print view."""
    if not dossier.received_at:
        return ""
    try:
        return reverse(RECEIPT_URL_NAME, kwargs={"code": dossier.code, "kind": RECEIPT_KIND})
    except NoReverseMatch:  # the print view is not wired (yet)
        return ""


def _current_step(steps):
    return next((row.step for row in steps if row.step.is_current), None)


def _result_delivery(dossier: Dossier) -> ResultDelivery | None:
    return ResultDelivery.objects.filter(dossier=dossier).select_related("recorded_by").first()


def detail_context(request, dossier: Dossier) -> dict:
    """What the dossier page shows (and the actions partial needs: dossier, roles, agency, step,
    lock_version)."""
    now = timezone.now()
    steps = dossier_steps(dossier, now=now)
    attachments = dossier_attachments(dossier)
    form_title, sections = form_sections(dossier)
    running = dossier.state in CLOCK_RUNNING_STATES and dossier.due_date is not None
    tier = dossier_timeliness(dossier, now=now)
    conversation = dossier_messages(dossier)
    prefetch_related_objects(conversation, "author")
    applicant = dossier.applicant
    return {
        "dossier": dossier,
        "agency": request.active_membership.agency,
        "roles": request.active_membership.roles,
        "step": _current_step(steps),
        "lock_version": dossier.lock_version,
        "applicant": applicant,
        "applicant_phone": phone_display(applicant.phone) if applicant.phone else "",
        "applicant_address": _address(
            applicant.address_street,
            applicant.address_commune.name if applicant.address_commune_id else "",
            applicant.address_province.name if applicant.address_province_id else "",
        ),
        "delivery_address": _delivery_address(dossier),
        "just_received": request.GET.get(JUST_RECEIVED) == "1",
        "receipt_url": receipt_url(dossier),
        "state_label": State(dossier.state).label,
        "state_explanation": STATE_EXPLANATION[State(dossier.state)],
        "channel_label": Channel(dossier.channel).label if dossier.channel in Channel.values else "",
        "service_level_label": ServiceLevel(dossier.service_level).label
        if dossier.service_level in ServiceLevel.values
        else dossier.service_level,
        "overdue": running and dossier.due_date < now,
        "due_soon": running and now <= dossier.due_date <= due_soon_limit(now),
        "timeliness_label": TIMELINESS_LABELS[tier] if tier else "",
        "form_title": form_title,
        "form_sections": sections,
        "documents": [
            a for a in attachments if a.supplement_id is None and a.stored_file.kind != FileKind.RESULT
        ],
        "supplement_files": [a for a in attachments if a.supplement_id is not None],
        "results": [a for a in attachments if a.stored_file.kind == FileKind.RESULT],
        "steps": steps,
        "supplements": list(
            dossier.supplement_requests.select_related("requested_by").order_by("number", "id")
        ),
        "extensions": dossier_extensions(dossier),
        "notes": dossier_internal_notes(dossier),
        "conversation": conversation,
        "timeline": _timeline(dossier),
        "result_delivery": _result_delivery(dossier),
    }


@never_cache
@desk_required
@require_GET
def dossier_detail(request, code):
    """Everything an official needs on one dossier of their agency, and the actions they may take."""
    dossier = dossier_for_request(request, code)
    if dossier is None:
        return not_found_response(request, code)
    return render(request, "processing/dossier/detail.html", detail_context(request, dossier))


@desk_required
@require_GET
def attachment_download(request, code, attachment_id):
    """A file of a dossier of the official's agency (documents, supplements, messages, results); the
    response is private and never stored (documents.responses)."""
    # Permission: the dossier through the agency-scoped selector, then its own attachment only.
    dossier = dossier_for_request(request, code)
    attachment = (
        dossier.attachments.filter(pk=attachment_id).select_related("stored_file").first()
        if dossier
        else None
    )
    if attachment is None:
        return not_found_response(request, code)
    access_log.info(
        "official %s (agency %s) downloaded attachment %s of dossier %s",
        request.user.pk,
        request.active_membership.agency.pk,
        attachment.pk,
        dossier.code,
    )
    return file_download_response(attachment.stored_file)
