"""Which actions an official is offered on a dossier, grouped for the dossier page's panel.

The state table (workflow.transitions_available) and the permission rule (permissions.official_may)
decide, with the same desk/holder conditions the services check; what the menu offers, the service
accepts (and checks again under the row lock).
"""

from dataclasses import dataclass, field

from django.urls import reverse

from dichvucong.accounts.models import StaffRole
from dichvucong.dossiers.workflow import transitions_available

from ..permissions import acting_role, dossier_agency_ids, official_may
from ..services.common import STATE_OF_KIND, step_next_planned
from .action_specs import ACTIONS, ActionSpec, Group


@dataclass
class MenuContext:
    dossier: object
    official: object
    agency: object
    roles: frozenset
    step: object = None


@dataclass
class Entry:
    spec: ActionSpec
    url: str
    form: object = None

    @property
    def label(self):
        return self.spec.label


@dataclass
class MenuGroup:
    label: str
    entries: list = field(default_factory=list)


def action_url(dossier, spec: ActionSpec) -> str:
    return reverse("processing:action", args=[dossier.code, spec.slug])


def _on_desk(ctx: MenuContext) -> bool:
    desk_agency_id = ctx.dossier.handling_agency_id or ctx.dossier.reception_agency_id
    return desk_agency_id == ctx.agency.pk


def _extra_condition(spec: ActionSpec, ctx: MenuContext, role: str) -> bool:
    """What the services check beyond the table and the desk (services/steps.py, delivery.py)."""
    dossier, step = ctx.dossier, ctx.step
    if spec.key == "take":
        return step is not None and dossier.assigned_to_id is None and role == step.role
    if spec.key == "assign":
        return step is not None and (
            role == StaffRole.APPROVER
            or (role == step.role and dossier.assigned_to_id in (None, ctx.official.pk))
        )
    if spec.key == "hand_over":
        following = step_next_planned(dossier, step) if step is not None else None
        return following is not None and STATE_OF_KIND[following.kind] == STATE_OF_KIND[step.kind]
    if spec.key == "transfer":
        return step is not None
    return True


def spec_available(spec: ActionSpec, ctx: MenuContext) -> bool:
    """Whether `spec` may be offered to the official on the dossier now."""
    dossier = ctx.dossier
    if not official_may(
        roles=ctx.roles,
        action=spec.transition,
        agency_id=ctx.agency.pk,
        dossier_agencies=dossier_agency_ids(dossier),
    ):
        return False
    role = acting_role(ctx.roles, spec.transition, preferred=ctx.step.role if ctx.step else None)
    if role is None or spec.transition not in {t.name for t in transitions_available(dossier.state, role)}:
        return False
    if spec.desk and not _on_desk(ctx):
        return False
    if spec.holder and dossier.assigned_to_id not in (None, ctx.official.pk):
        return False
    return _extra_condition(spec, ctx, role)


def available_actions(ctx: MenuContext) -> list[ActionSpec]:
    return [spec for spec in ACTIONS if spec_available(spec, ctx)]


def action_menu(ctx: MenuContext, *, with_forms: bool = True) -> list[MenuGroup]:
    """The available actions in groups (Group.ORDER), each with its URL and, for inline ones, an unbound
    form carrying the page's lock_version."""
    groups = {label: MenuGroup(label=label) for label in Group.ORDER}
    for spec in available_actions(ctx):
        form = None
        if with_forms and spec.inline:
            form = spec.form_class(
                initial={"lock_version": ctx.dossier.lock_version},
                dossier=ctx.dossier,
                official=ctx.official,
                agency=ctx.agency,
                step=ctx.step,
                auto_id=f"id_{spec.slug}_%s",
            )
        groups[spec.group].entries.append(Entry(spec=spec, url=action_url(ctx.dossier, spec), form=form))
    return [group for group in groups.values() if group.entries]
