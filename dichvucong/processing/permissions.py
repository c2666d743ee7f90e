"""Who may do what in the back office: role × action × whether the dossier is the agency's.

A pure function (`official_may`) answers from plain values; services call `official_check`, which
reads the official's active roles in their active agency and raises NotPermitted with a Vietnamese
message. The state table (dossiers.workflow) says which roles may fire each transition; this module
adds the agency rule and the back office's own actions.

The agency rule: a dossier is an agency's when the agency is where it was received
(`reception_agency`), the agency competent to decide it (`competent_agency`) or the agency now
holding it after a transfer (`handling_agency`). Reading follows the same rule (selectors.py).
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from dichvucong.accounts.models import StaffMembership, StaffRole
from dichvucong.dossiers.workflow import STAFF_ACTORS, TRANSITIONS

# Back-office actions that are not transitions of the table, with the roles that may take them.
EXTRA_ACTIONS: dict[str, frozenset[str]] = {
    # Create a dossier for a citizen at the desk (walk-in or postal reception).
    "walk_in": frozenset({StaffRole.RECEPTIONIST}),
    # Read a dossier, its steps and notes; search; the inbox.
    "view": frozenset({StaffRole.RECEPTIONIST, StaffRole.SPECIALIST, StaffRole.APPROVER}),
}
# The order in which a role is chosen when an official holds several that may act.
ROLE_ORDER = (StaffRole.RECEPTIONIST, StaffRole.SPECIALIST, StaffRole.APPROVER)


def action_roles(action: str) -> frozenset[str]:
    """The officials' roles that may take `action` (a transition of the table or an EXTRA_ACTIONS one)."""
    if action in EXTRA_ACTIONS:
        return EXTRA_ACTIONS[action]
    transition = TRANSITIONS.get(action)
    return transition.actors & STAFF_ACTORS if transition else frozenset()


BACK_OFFICE_ACTIONS = tuple(sorted({name for name in TRANSITIONS if action_roles(name)} | set(EXTRA_ACTIONS)))


def dossier_agency_ids(dossier) -> frozenset[int]:
    """The agencies a dossier belongs to (module docstring)."""
    ids = {dossier.reception_agency_id, dossier.competent_agency_id, dossier.handling_agency_id}
    return frozenset(i for i in ids if i is not None)


def official_may(
    *, roles: Iterable[str], action: str, agency_id: int | None, dossier_agencies: Iterable[int] | None
) -> bool:
    """True when someone holding `roles` in agency `agency_id` may take `action` on a dossier of
    `dossier_agencies` (None: an action on no dossier, such as walk_in)."""
    if agency_id is None or not set(roles) & action_roles(action):
        return False
    return dossier_agencies is None or agency_id in set(dossier_agencies)


def acting_role(roles: Iterable[str], action: str, *, preferred: str | None = None) -> str | None:
    """The role an official acts in for `action`: `preferred` (the current step's role) when they hold
    it and it may act, else the first of ROLE_ORDER that may."""
    allowed = set(roles) & action_roles(action)
    if preferred in allowed:
        return preferred
    return next((role for role in ROLE_ORDER if role in allowed), None)


class NotPermitted(PermissionDenied):
    """The official may not take this action on this dossier; `message` says why (views: 403)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def official_roles(official, agency) -> frozenset[str]:
    """The active roles of `official` in the active `agency` (read at the time of the action)."""
    if agency is None or not getattr(official, "is_authenticated", False) or not official.is_active:
        return frozenset()
    return frozenset(
        StaffMembership.objects.filter(
            user=official, agency=agency, is_active=True, agency__is_active=True
        ).values_list("role", flat=True)
    )


def official_check(official, agency, action: str, dossier=None, *, preferred: str | None = None) -> str:
    """The role `official` acts in for `action` on `dossier` in their active `agency`; NotPermitted
    (another agency's dossier first, so nothing else about it is told) otherwise."""
    roles = official_roles(official, agency)
    agencies = dossier_agency_ids(dossier) if dossier is not None else None
    if agencies is not None and (agency is None or agency.pk not in agencies):
        raise NotPermitted(_("Hồ sơ này không thuộc cơ quan bạn đang làm việc."))
    if not official_may(
        roles=roles, action=action, agency_id=agency.pk if agency else None, dossier_agencies=agencies
    ):
        raise NotPermitted(_("Vai trò của bạn tại cơ quan này không được thực hiện thao tác này."))
    return acting_role(roles, action, preferred=preferred)
