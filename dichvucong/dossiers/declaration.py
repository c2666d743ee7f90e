"""The filled declaration (tờ khai) printed from the e-form, and the expected time of the result."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from dichvucong.catalog.eform_data import print_context, validate_data
from dichvucong.catalog.models import Channel as CatalogChannel
from dichvucong.core.calendar import add_working_days, next_working_day

from .models import Dossier

GENERIC_TEMPLATE = "dossiers/declaration_generic.html"


def declaration_pdf_context(dossier: Dossier) -> tuple[str, dict]:
    """(template, context) for the paper form of the dossier's version filled with its answers; a
    generic declaration lists the answers when the procedure has no paper form of its own."""
    definition = getattr(dossier.version, "form_definition", None)
    cleaned = validate_data(definition.schema, dossier.form_data).cleaned if definition else {}
    data = print_context(definition.schema, cleaned) if definition else {}
    when = timezone.localtime(dossier.submitted_at or timezone.now())
    data.update(
        place=dossier.competent_agency.unit.short_name,
        day=f"{when.day:02d}",
        month=f"{when.month:02d}",
        year=str(when.year),
    )
    form = dossier.version.form_templates.order_by("position").first()
    context = {
        "form": form,
        "procedure": dossier.procedure,
        "version": dossier.version,
        "dossier": dossier,
        "agency": dossier.competent_agency.name,
        "data": data,
        "definition": definition,
    }
    if form is None:
        return GENERIC_TEMPLATE, context
    return form.template_name, context


def expected_result_window(dossier: Dossier) -> dict:
    """When the result may be expected: from the processing time on the dossier's channel, counted from
    reception (the next working day for an online dossier; today during office hours)."""
    time = dossier.version.processing_times.filter(channel=CatalogChannel.ONLINE).first()
    if time is None:
        return {}
    start = timezone.localdate(dossier.submitted_at or timezone.now())
    received = next_working_day(start, include_today=True)
    if time.same_day_cutoff is not None:
        return {
            "text": _(
                "Trong ngày làm việc hồ sơ được tiếp nhận (nhận sau %(time)s thì ngày làm việc tiếp theo)."
            )
            % {"time": time.same_day_cutoff.strftime("%H:%M")},
            "earliest": received,
            "latest": next_working_day(received),
        }
    if time.unit == "working_days":
        earliest = add_working_days(received, int(time.value))
        latest = add_working_days(next_working_day(received), int(time.value))
    elif time.unit == "calendar_days":
        earliest = received + timedelta(days=int(time.value))
        latest = earliest + timedelta(days=1)
    else:
        earliest = latest = received
    return {"text": time.describe(), "earliest": earliest, "latest": latest}
