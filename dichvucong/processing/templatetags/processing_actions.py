"""The actions panel of the desk's dossier page (processing/dossier/_actions.html).

`{% dossier_action_panel as panel %}` reads the page's context (dossier, roles, agency, step,
lock_version) and the signed-in official, and gives the grouped actions with their forms, the forms
that can be printed, the signed results, and the one-shot offer to print what an action just issued.
"""

from dataclasses import dataclass

from django import template

from ..permissions import official_roles
from ..services.common import step_current
from ..views.action_menu import MenuContext, action_menu
from ..views.actions import PRINT_OFFER_SESSION_KEY
from ..views.printing import printable_documents
from ..views.results import result_files

register = template.Library()


@dataclass
class Panel:
    groups: list
    prints: list
    results: list
    offer: dict | None


@register.simple_tag(takes_context=True)
def dossier_action_panel(context) -> Panel:
    request = context["request"]
    dossier = context["dossier"]
    agency = context.get("agency") or request.active_membership.agency
    roles = context.get("roles")
    if roles is None:
        roles = official_roles(request.user, agency)
    step = context["step"] if "step" in context else step_current(dossier)
    offer = request.session.get(PRINT_OFFER_SESSION_KEY)
    if offer and offer.get("code") == dossier.code:
        del request.session[PRINT_OFFER_SESSION_KEY]
    else:
        offer = None
    menu = MenuContext(
        dossier=dossier, official=request.user, agency=agency, roles=frozenset(roles), step=step
    )
    return Panel(
        groups=action_menu(menu),
        prints=printable_documents(dossier),
        results=result_files(dossier),
        offer=offer,
    )
