"""Catalogue search: diacritic- and case-insensitive, by code or words, ranked, filtered.

Both databases search the same folded column (`Procedure.search_document`, built by `core.text.fold`,
so "dang ky khai sinh" finds "Đăng ký khai sinh" and đ folds to d) with their own full-text facility to
find candidates: an FTS5 table on SQLite, a GIN index on to_tsvector('simple', …) on PostgreSQL
(migration 0002). Ranking is then the same SQL on both, so both return the same results in the same
order:

    0  the code, or the whole name, equals the query
    1  the name contains the query as a phrase
    2  the name contains every word
    3  the indexed text (keywords, field, results) contains every word
    4  some of the words (partial match)

Within a tier: more popular first, then name and code (byte order, not the locale's collation).
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, TextField, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate, Concat

from dichvucong.core.text import fold_tokens

from .models import Level, Offering, Procedure

MAX_TOKENS = 12
CODE_QUERY = re.compile(r"^\d\.\d{1,6}$")


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    field: str = ""
    level: str = ""
    province: str = ""
    agency: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.q.strip() or self.field or self.level or self.province or self.agency)


def query_tokens(text: str) -> list[str]:
    """The folded words of a query, trimmed to a sane size (any input is acceptable)."""
    text = (text or "")[: settings.CATALOG_SEARCH_MAX_QUERY]
    tokens = []
    for token in fold_tokens(text):
        if token not in tokens:
            tokens.append(token)
    return tokens[:MAX_TOKENS]


def _candidate_ids(tokens: list[str]) -> RawSQL:
    """Ids of procedures whose indexed text has a word starting with any token."""
    if connection.vendor == "postgresql":
        # Tokens are [a-z0-9]+ (fold), so they are safe inside a tsquery; still passed as a parameter.
        tsquery = " | ".join(f"{t}:*" for t in tokens)
        return RawSQL(
            "SELECT id FROM catalog_procedure "
            "WHERE to_tsvector('simple'::regconfig, search_document) @@ to_tsquery('simple'::regconfig, %s)",
            (tsquery,),
        )
    if connection.vendor == "sqlite":
        match = " OR ".join(f'"{t}"*' for t in tokens)
        return RawSQL(
            "SELECT rowid FROM catalog_procedure_fts WHERE catalog_procedure_fts MATCH %s", (match,)
        )
    raise NotImplementedError(f"catalogue search does not support {connection.vendor}")


def _byte_order(field_name: str):
    """Order by raw bytes on both databases (PostgreSQL's locale collation ignores spaces)."""
    if connection.vendor == "postgresql":
        return Collate(field_name, "C")
    return field_name


def _all_words(field_name: str, tokens: list[str]) -> Q:
    condition = Q()
    for token in tokens:
        condition &= Q(**{f"{field_name}__contains": f" {token}"})
    return condition


def procedure_search(params: SearchParams) -> QuerySet[Procedure]:
    """Active, published procedures matching `params`, best first, annotated with `rank`."""
    procedures = Procedure.objects.filter(is_active=True, current_version__isnull=False).select_related(
        "field"
    )
    if params.field:
        procedures = procedures.filter(field__slug=params.field)
    if params.level in Level.values:
        procedures = procedures.filter(**{f"is_{params.level}_level": True})
    if params.province:
        procedures = procedures.filter(
            Exists(
                Offering.objects.filter(
                    procedure=OuterRef("pk"), province__code=params.province, is_active=True
                )
            )
        )
    if params.agency:
        procedures = procedures.filter(
            Exists(
                Offering.objects.filter(procedure=OuterRef("pk"), is_active=True).filter(
                    Q(agency__code=params.agency) | Q(reception_agency__code=params.agency)
                )
            )
        )

    tokens = query_tokens(params.q)
    if not tokens:
        return procedures.annotate(rank=Value(0, output_field=IntegerField())).order_by(
            "-popularity", _byte_order("name_folded"), "code"
        )

    phrase = " ".join(tokens)
    raw = params.q.strip()[:20]
    exact = Q(name_folded=phrase)
    if CODE_QUERY.match(raw):
        exact |= Q(code=raw)
    procedures = procedures.filter(pk__in=_candidate_ids(tokens)).annotate(
        padded_name=Concat(Value(" "), "name_folded", output_field=TextField()),
        padded_document=Concat(Value(" "), "search_document", output_field=TextField()),
    )
    rank = Case(
        When(exact, then=Value(0)),
        When(padded_name__contains=f" {phrase}", then=Value(1)),
        When(_all_words("padded_name", tokens), then=Value(2)),
        When(_all_words("padded_document", tokens), then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return procedures.annotate(rank=rank).order_by("rank", "-popularity", _byte_order("name_folded"), "code")
