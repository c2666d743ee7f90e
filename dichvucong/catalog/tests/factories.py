"""Building published procedures in tests without YAML fixtures."""

import itertools

from dichvucong.catalog.models import Field, Procedure, ProcedureVersion
from dichvucong.catalog.services import procedure_version_publish

_codes = itertools.count(900001)


def make_procedure(
    name, *, code=None, field_slug="thu-nghiem", keywords=(), popularity=0, levels=("commune",), results=()
):
    """A procedure with one published version (no documents: enough for search and listing)."""
    field, _ = Field.objects.get_or_create(
        slug=field_slug, defaults={"name": field_slug.replace("-", " ").title()}
    )
    procedure = Procedure.objects.create(code=code or f"9.{next(_codes)}", field=field, popularity=popularity)
    version = ProcedureVersion.objects.create(
        procedure=procedure,
        number=1,
        name=name,
        levels=list(levels),
        applicant_types=["citizen"],
        steps=["Nộp hồ sơ."],
        legal_basis=["Luật thử nghiệm"],
        results=[{"name": r} for r in results],
        service_level="partial",
        channels=["online", "in_person"],
        keywords=list(keywords),
    )
    procedure_version_publish(version)
    procedure.refresh_from_db()
    return procedure
