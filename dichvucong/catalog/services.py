"""Every write to the catalogue: loading fixtures, publishing versions, generating offerings."""

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import get_template
from django.utils import timezone

from dichvucong.core.progress import NullProgress, Progress
from dichvucong.core.text import fold
from dichvucong.directory.models import AdministrativeUnit, Agency, UnitLevel

from .models import (
    FeeRule,
    Field,
    FormDefinition,
    FormTemplate,
    Level,
    Offering,
    Procedure,
    ProcedureVersion,
    ProcessingTime,
    RequiredDocument,
    VersionStatus,
)
from .selectors import FIELDS_CACHE_KEY
from .sources import DATA_DIR, FixtureError, ProcedureSource, parse_cutoff, read_fields, read_procedures


@dataclass
class CatalogLoadReport:
    fields_created: int = 0
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)


def build_search_document(version: ProcedureVersion, field_name: str) -> str:
    """The folded text both search backends index: code, name, field, keywords and results."""
    code = version.procedure.code
    parts = [code, code.replace(".", " "), version.name, field_name, *version.keywords]
    parts += [result.get("name", "") for result in version.results]
    return fold(" ".join(parts))


@transaction.atomic
def procedure_version_publish(version: ProcedureVersion) -> ProcedureVersion:
    """Publish a draft: retire the previous published version and make this one current."""
    version = (
        ProcedureVersion.objects.select_for_update().select_related("procedure__field").get(pk=version.pk)
    )
    if version.status != VersionStatus.DRAFT:
        raise FixtureError(f"{version}: chỉ công bố được bản nháp")
    procedure = version.procedure
    ProcedureVersion.objects.filter(procedure=procedure, status=VersionStatus.PUBLISHED).update(
        status=VersionStatus.RETIRED
    )
    version.status = VersionStatus.PUBLISHED
    version.published_at = timezone.now()
    version.save(update_fields=["status", "published_at", "content_hash"])

    procedure.current_version = version
    procedure.name = version.name
    procedure.name_folded = fold(version.name)
    procedure.is_ministry_level = Level.MINISTRY in version.levels
    procedure.is_province_level = Level.PROVINCE in version.levels
    procedure.is_commune_level = Level.COMMUNE in version.levels
    procedure.search_document = build_search_document(version, procedure.field.name)
    procedure.save()
    transaction.on_commit(lambda: cache.delete(FIELDS_CACHE_KEY))
    return version


def _create_version(procedure: Procedure, source: ProcedureSource) -> ProcedureVersion:
    data = source.data
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=last + 1,
        content_hash=source.content_hash,
        name=data["name"],
        levels=data["levels"],
        applicant_types=data["applicant_types"],
        description=data.get("description", ""),
        conditions=data.get("conditions", ""),
        steps=data["steps"],
        legal_basis=data["legal_basis"],
        results=data["results"],
        competent_agency_text=data["competent_agency_text"],
        agency_rules=data["agencies"],
        service_level=data["service_level"],
        channels=data["channels"],
        fee_text=data.get("fee_text", ""),
        processing_time_text=data.get("processing_time_text", ""),
        publishing_decision=data.get("publishing_decision", ""),
        source_url=data.get("source_url", ""),
        keywords=data.get("keywords", []),
    )
    ProcessingTime.objects.bulk_create(
        ProcessingTime(
            version=version,
            position=i,
            channel=t["channel"],
            value=Decimal(str(t["value"])),
            unit=t["unit"],
            same_day_cutoff=parse_cutoff(t.get("same_day_cutoff")),
            note=t.get("note", ""),
        )
        for i, t in enumerate(data["processing_times"])
    )
    templates = {}
    for i, t in enumerate(data.get("form_templates") or []):
        templates[t["slug"]] = FormTemplate.objects.create(
            version=version,
            position=i,
            slug=t["slug"],
            name=t["name"],
            template_name=t["template"],
            legal_reference=t.get("legal_reference", ""),
        )
    RequiredDocument.objects.bulk_create(
        RequiredDocument(
            version=version,
            position=i,
            name=d["name"],
            copies=d.get("copies", 1),
            copy_kind=d.get("copy_kind", "original"),
            requirement=d.get("requirement", "required"),
            condition=d.get("condition", ""),
            accepted_types=d.get("accepted_types") or ["pdf", "jpeg", "png"],
            upload_online=d.get("upload_online", d.get("copy_kind") != "shown"),
            form_template=templates.get(d.get("form_template")),
            note=d.get("note", ""),
        )
        for i, d in enumerate(data["documents"])
    )
    FeeRule.objects.bulk_create(
        FeeRule(
            version=version,
            position=i,
            name=f["name"],
            kind=f["kind"],
            amount=f.get("amount", 0),
            tiers=f.get("tiers") or [],
            cap=f.get("cap"),
            channel=f.get("channel", ""),
            exemptions=f.get("exemptions") or [],
            note=f.get("note", ""),
        )
        for i, f in enumerate(data["fees"])
    )
    if data.get("eform"):
        FormDefinition.objects.create(
            version=version, title=data["eform"]["title"], schema={"sections": data["eform"]["sections"]}
        )
    return version


def _template_exists(name: str) -> bool:
    try:
        get_template(name)
    except TemplateDoesNotExist:
        return False
    return True


def read_catalog(data_dir: Path = DATA_DIR) -> tuple[list[dict], list[ProcedureSource]]:
    """All fixtures, checked (FixtureError on the first fault); nothing is written."""
    fields = read_fields(data_dir)
    sources = read_procedures(data_dir, field_slugs={f["slug"] for f in fields})
    for source in sources:
        for i, template in enumerate(source.data.get("form_templates") or []):
            if not _template_exists(template["template"]):
                where = f"{source.path.name}.form_templates[{i}].template"
                raise FixtureError(f"{where}: không có tệp mẫu {template['template']!r}")
    return fields, sources


@transaction.atomic
def catalog_load_all(data_dir: Path = DATA_DIR, *, progress: Progress | None = None) -> CatalogLoadReport:
    """Load every fixture in one transaction; a changed procedure gets a new published version."""
    fields, sources = read_catalog(data_dir)
    progress = progress or NullProgress()
    progress.total = len(sources)
    report = CatalogLoadReport()
    by_slug = {}
    for position, data in enumerate(fields):
        obj, created = Field.objects.update_or_create(
            slug=data["slug"],
            defaults={"name": data["name"], "description": data.get("description", ""), "position": position},
        )
        by_slug[obj.slug] = obj
        report.fields_created += created

    for source in sources:
        data = source.data
        procedure, created = Procedure.objects.get_or_create(
            code=data["code"],
            defaults={"field": by_slug[data["field"]], "popularity": data.get("popularity", 0)},
        )
        current = procedure.current_version
        if current is not None and current.content_hash == source.content_hash:
            report.unchanged.append(procedure.code)
        else:
            procedure.field = by_slug[data["field"]]
            procedure.popularity = data.get("popularity", procedure.popularity)
            procedure.save(update_fields=["field", "popularity", "updated_at"])
            procedure_version_publish(_create_version(procedure, source))
            (report.created if created else report.new_versions).append(procedure.code)
        progress.advance()
    progress.finish()
    return report


@transaction.atomic
def procedure_version_create_draft(version: ProcedureVersion) -> ProcedureVersion:
    """A new draft copying `version` and all its parts, for an administrator to edit."""
    procedure = version.procedure
    last = procedure.versions.order_by("-number").values_list("number", flat=True).first() or 0
    parts = {
        "times": list(version.processing_times.all()),
        "templates": list(version.form_templates.all()),
        "documents": list(version.documents.all()),
        "fees": list(version.fee_rules.all()),
    }
    definition = FormDefinition.objects.filter(version=version).first()
    draft = ProcedureVersion.objects.get(pk=version.pk)
    draft.pk = None
    draft.number = last + 1
    draft.status = VersionStatus.DRAFT
    draft.published_at = None
    draft.content_hash = ""
    draft.save(force_insert=True)
    template_map = {}
    for template in parts["templates"]:
        old_pk = template.pk
        template.pk, template.version = None, draft
        template.save(force_insert=True)
        template_map[old_pk] = template
    for group in ("times", "documents", "fees"):
        for part in parts[group]:
            part.pk, part.version = None, draft
            if group == "documents" and part.form_template_id:
                part.form_template = template_map.get(part.form_template_id)
            part.save(force_insert=True)
    if definition:
        FormDefinition.objects.create(version=draft, title=definition.title, schema=definition.schema)
    return draft


# --- Offerings ------------------------------------------------------------------------------------


@dataclass
class OfferingReport:
    created: int = 0
    existing: int = 0


def _role_agency(agencies_by_unit_role, unit, province, role):
    if role.startswith("province:"):
        return agencies_by_unit_role.get((province.pk, role.removeprefix("province:")))
    return agencies_by_unit_role.get((unit.pk, role))


@transaction.atomic
def offering_generate_all(*, progress: Progress | None = None) -> OfferingReport:
    """Create an Offering for every unit at each level a procedure's current version names (idempotent).

    Existing offerings are left as they are: an administrator may have changed their service level or
    channels for one agency.
    """
    report = OfferingReport()
    procedures = list(
        Procedure.objects.filter(is_active=True, current_version__isnull=False).select_related(
            "current_version"
        )
    )
    units_by_level = {
        UnitLevel.PROVINCE: list(
            AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, valid_until=None)
        ),
        UnitLevel.COMMUNE: list(
            AdministrativeUnit.objects.filter(level=UnitLevel.COMMUNE, valid_until=None).select_related(
                "parent"
            )
        ),
    }
    agencies = {(a.unit_id, a.role): a for a in Agency.objects.filter(is_active=True)}
    existing = set(Offering.objects.values_list("procedure_id", "agency_id", "reception_agency_id"))
    progress = progress or NullProgress()
    progress.total = len(procedures)
    to_create = []
    for procedure in procedures:
        version = procedure.current_version
        for level, rule in version.agency_rules.items():
            for unit in units_by_level[level]:
                province = unit if level == UnitLevel.PROVINCE else unit.parent
                agency = _role_agency(agencies, unit, province, rule["agency"])
                reception = _role_agency(agencies, unit, province, rule["reception"])
                if agency is None or reception is None:
                    continue  # agencies not generated yet for this unit
                key = (procedure.pk, agency.pk, reception.pk)
                if key in existing:
                    report.existing += 1
                    continue
                existing.add(key)
                to_create.append(
                    Offering(
                        procedure=procedure,
                        agency=agency,
                        reception_agency=reception,
                        province=province,
                        unit=unit,
                        level=level,
                        service_level=version.service_level,
                        online="online" in version.channels,
                        postal="postal" in version.channels,
                        in_person="in_person" in version.channels,
                    )
                )
        progress.advance()
    Offering.objects.bulk_create(to_create, batch_size=1000)
    report.created = len(to_create)
    progress.finish()
    return report
