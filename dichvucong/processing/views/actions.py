"""Taking an action on a dossier (/mot-cua/ho-so/<code>/thao-tac/<slug>/): one view for every entry of
action_specs.ACTIONS.

GET draws the action's own page (the long forms: supplement request, transfer, result upload; and any
form again after an error). POST validates the form and calls the action's one service:
- bad input → the page again (400) with the messages next to the fields and everything typed kept;
- a refused transition (wrong state, someone else was quicker, a stale page) or a missing permission →
  the reason as a message and back to the dossier page, nothing changed;
- a result that cannot be signed (SigningUnavailable) → the page again (409) with the reason;
- success → the message, an offer to print the form just issued, and back to the dossier page.
A dossier of another agency is a 404 (selectors.dossier_get_for_agency).
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from dichvucong.accounts.decorators import official_required
from dichvucong.documents.signing import SigningUnavailable
from dichvucong.documents.validation import UploadRejected
from dichvucong.dossiers.services.transitions import StaleDossier, transition_error_message
from dichvucong.dossiers.workflow import AlreadyDone, GuardFailed, InvalidTransition

from ..permissions import NotPermitted
from ..selectors import dossier_get_for_agency
from ..services.common import step_current
from .action_menu import MenuContext, spec_available
from .action_specs import ACTIONS_BY_SLUG, Call
from .printing import PRINT_KINDS, print_url

# One-shot offer to print the form an action has just issued (shown once by the dossier page's panel).
PRINT_OFFER_SESSION_KEY = "processing_print_offer"


def dossier_page_url(dossier) -> str:
    """The desk's dossier page (processing:dossier), at the actions panel."""
    return reverse("processing:dossier", args=[dossier.code]) + "#thao-tac"


def _render(request, spec, dossier, form, *, status=200, error: str = ""):
    return render(
        request,
        "processing/actions/page.html",
        {
            "spec": spec,
            "dossier": dossier,
            "form": form,
            "error": error,
            "action_url": reverse("processing:action", args=[dossier.code, spec.slug]),
            "agency": request.active_membership.agency,
        },
        status=status,
    )


@never_cache
@official_required()
@require_http_methods(["GET", "POST"])
def dossier_action(request, code, slug):
    spec = ACTIONS_BY_SLUG.get(slug)
    agency = request.active_membership.agency
    dossier = dossier_get_for_agency(official=request.user, agency=agency, code=code)
    if spec is None or dossier is None:
        raise Http404
    step = step_current(dossier)
    context = {"dossier": dossier, "official": request.user, "agency": agency, "step": step}

    if request.method == "GET":
        ctx = MenuContext(roles=request.active_membership.roles, **context)
        if not spec_available(spec, ctx):
            messages.warning(request, _("Thao tác này hiện không áp dụng cho hồ sơ."))
            return redirect(dossier_page_url(dossier))
        form = spec.form_class(initial={"lock_version": dossier.lock_version}, **context)
        return _render(request, spec, dossier, form)

    form = spec.form_class(request.POST, request.FILES, **context)
    if not form.is_valid():
        if "lock_version" in form.errors:
            messages.error(request, transition_error_message(StaleDossier("stale", dossier.state)))
            return redirect(dossier_page_url(dossier))
        return _render(request, spec, dossier, form, status=400)
    try:
        result = spec.run(Call(files=request.FILES, data=form.cleaned_data, **_call_context(context)))
    except SigningUnavailable as exc:
        return _render(request, spec, dossier, form, status=409, error=exc.message)
    except UploadRejected as exc:
        form.add_error("file", exc.message)
        return _render(request, spec, dossier, form, status=400)
    except GuardFailed as exc:
        # What the table's guard found wrong with the facts given: say it with the form kept.
        form.add_error(None, transition_error_message(exc))
        return _render(request, spec, dossier, form, status=400)
    except (AlreadyDone, StaleDossier, InvalidTransition) as exc:
        messages.error(request, transition_error_message(exc))
        return redirect(dossier_page_url(dossier))
    except NotPermitted as exc:
        messages.error(request, exc.message)
        return redirect(dossier_page_url(dossier))

    messages.success(request, spec.success(result, form.cleaned_data))
    if spec.offer is not None:
        kind, number = spec.offer(result)
        request.session[PRINT_OFFER_SESSION_KEY] = {
            "code": dossier.code,
            "kind": kind,
            "url": print_url(dossier, kind, number),
            "label": str(PRINT_KINDS[kind].label),
        }
    return redirect(dossier_page_url(dossier))


def _call_context(context: dict) -> dict:
    return {"dossier": context["dossier"], "official": context["official"], "agency": context["agency"]}
