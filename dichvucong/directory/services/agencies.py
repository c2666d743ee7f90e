"""Generating the tree of agencies for every administrative unit (idempotent)."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from dichvucong.core.progress import NullProgress, Progress
from dichvucong.core.text import fold

from ..blueprints import COMMUNE_AGENCIES, PROVINCE_AGENCIES, AgencyBlueprint
from ..models import AdministrativeUnit, Agency, UnitLevel

# Generated fields follow the unit (a renamed commune renames its agencies); contact details and the
# identifier are an administrator's to edit and are never overwritten.
GENERATED_FIELDS = ["name", "name_folded", "kind", "level", "province", "parent", "is_active"]


@dataclass
class AgencyGenerateReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def agency_identifier(
    unit: AdministrativeUnit, province: AdministrativeUnit, blueprint: AgencyBlueprint
) -> str:
    """The default identifier, from settings.AGENCY_IDENTIFIER_FORMAT (docs/directory.md)."""
    scope = "00000" if unit.level == UnitLevel.PROVINCE else unit.code
    return settings.AGENCY_IDENTIFIER_FORMAT.format(
        scope=scope, body=f"{blueprint.body:02d}", province=province.code, unit=unit.code
    )


def _desired(unit, province, blueprint, parent) -> Agency:
    name = blueprint.name.format(unit=unit.name_in_text)
    return Agency(
        code=f"{unit.code}.{blueprint.role}",
        identifier=agency_identifier(unit, province, blueprint),
        role=blueprint.role,
        kind=blueprint.kind,
        level=unit.level,
        unit=unit,
        province=province,
        parent=parent,
        name=name,
        name_folded=fold(name),
        opening_hours=settings.AGENCY_DEFAULT_OPENING_HOURS,
        is_active=unit.valid_until is None,
    )


def _value(agency: Agency, name: str):
    """A field's value for comparison; foreign keys by id, so that no related row is fetched."""
    if name in ("parent", "province"):
        related = getattr(agency, name) if getattr(agency, f"{name}_id") is None else None
        return related.pk if related is not None else getattr(agency, f"{name}_id")
    return getattr(agency, name)


def _sync(units, blueprints, parent_of, existing, report, progress):
    """Create missing agencies and refresh generated fields of existing ones, for `units`."""
    to_create, to_update = [], []
    for unit in units:
        province = unit if unit.level == UnitLevel.PROVINCE else unit.parent
        local: dict[str, Agency] = {}
        # Blueprints list parents before children, so a local parent is always resolved first.
        for blueprint in blueprints:
            parent = parent_of(unit, province, blueprint, local)
            wanted = _desired(unit, province, blueprint, parent)
            current = existing.get((unit.pk, blueprint.role))
            if current is None:
                to_create.append(wanted)
                local[blueprint.role] = wanted
                continue
            local[blueprint.role] = current
            stale = [f for f in GENERATED_FIELDS if _value(current, f) != _value(wanted, f)]
            if stale:
                for f in stale:
                    setattr(current, f, getattr(wanted, f))
                to_update.append(current)
            else:
                report.unchanged += 1
        progress.advance()
        if len(to_create) + len(to_update) >= 2000:
            _flush(to_create, to_update, report)
    _flush(to_create, to_update, report)


def _flush(to_create, to_update, report):
    # A child may point at a parent created in the same batch: insert in generations (parents
    # first); bulk_create fills primary keys on PostgreSQL and SQLite ≥ 3.35, so children then link.
    pending = list(to_create)
    while pending:
        ready = [a for a in pending if a.parent is None or a.parent.pk is not None]
        Agency.objects.bulk_create(ready, batch_size=500)
        pending = [a for a in pending if a.pk is None]
    Agency.objects.bulk_update(to_update, GENERATED_FIELDS, batch_size=500)
    report.created += len(to_create)
    report.updated += len(to_update)
    to_create.clear()
    to_update.clear()


@transaction.atomic
def agency_generate_all(*, progress: Progress | None = None) -> AgencyGenerateReport:
    """Make sure every unit has its agencies (PROVINCE_AGENCIES, COMMUNE_AGENCIES); one transaction."""
    report = AgencyGenerateReport()
    provinces = list(AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE).order_by("code"))
    communes = list(
        AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE).select_related("parent").order_by("code")
    )
    progress = progress or NullProgress()
    progress.total = len(provinces) + len(communes)
    existing = {(a.unit_id, a.role): a for a in Agency.objects.all()}

    def province_parent(unit, province, blueprint, local):
        return local.get(blueprint.parent_role) if blueprint.parent_role else None

    _sync(provinces, PROVINCE_AGENCIES, province_parent, existing, report, progress)

    province_bodies = {(a.unit_id, a.role): a for a in Agency.objects.filter(level=UnitLevel.PROVINCE)}

    def commune_parent(unit, province, blueprint, local):
        role = blueprint.parent_role
        if role and role.startswith("province:"):
            return province_bodies[(province.pk, role.removeprefix("province:"))]
        return local.get(role) if role else None

    _sync(communes, COMMUNE_AGENCIES, commune_parent, existing, report, progress)
    progress.finish()
    return report
