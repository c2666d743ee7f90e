"""Catalogue search: diacritic- and case-insensitive, by code or words, ranked, filtered.

Both databases search the same folded column (`Procedure.search_document`, built by `core.text.fold`,
so "dang ky khai sinh" finds "Đăng ký khai sinh" and đ folds to d) with their own full-text facility to
find candidates: an FTS5 table on SQLite, a stored tsvector column with a GIN index on PostgreSQL
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
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Collate
from django.db.models.lookups import Contains

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


def _matches_any(tokens: list[str]) -> Q | RawSQL:
    """Procedures whose indexed text has a word starting with any token (the full-text lookup)."""
    if connection.vendor == "postgresql":
        # On the row itself (not `id IN (subquery)`), so the planner ranks only the matching rows.
        # Tokens are [a-z0-9]+ (fold), safe inside a tsquery; still passed as a parameter.
        tsquery = " | ".join(f"{t}:*" for t in tokens)
        return RawSQL(
            "search_vector @@ to_tsquery('simple'::regconfig, %s)", (tsquery,), output_field=BooleanField()
        )
    if connection.vendor == "sqlite":
        match = " OR ".join(f'"{t}"*' for t in tokens)
        ids = RawSQL("SELECT rowid FROM catalog_procedure_fts WHERE catalog_procedure_fts MATCH %s", (match,))
        return Q(pk__in=ids)
    raise NotImplementedError(f"catalogue search does not support {connection.vendor}")


def _byte_order(field_name: str):
    """Order by raw bytes on both databases (PostgreSQL's locale collation ignores spaces)."""
    if connection.vendor == "postgresql":
        return Collate(field_name, "C")
    return field_name


def _tsquery(tokens: list[str], operator: str) -> str:
    """'dang:* & ky:*' (all words), 'dang:* | ky:*' (any word), 'dang <-> ky:*' (phrase)."""
    if operator == "<->":
        return " <-> ".join([*tokens[:-1], f"{tokens[-1]}:*"])
    return f" {operator} ".join(f"{t}:*" for t in tokens)


def _postgres_tiers(tokens: list[str]) -> tuple[RawSQL, RawSQL, RawSQL]:
    """Phrase in the name, all words in the name, all words anywhere: tsvector operators on stored
    columns, much cheaper than LIKE over each candidate row."""

    def match(column, query):
        sql = f"{column} @@ to_tsquery('simple'::regconfig, %s)"  # column: one of our two constants
        return RawSQL(sql, (query,), output_field=BooleanField())  # noqa: S611

    return (
        match("name_vector", _tsquery(tokens, "<->")),
        match("name_vector", _tsquery(tokens, "&")),
        match("search_vector", _tsquery(tokens, "&")),
    )


def _sqlite_tiers(tokens: list[str]) -> tuple[Q, Q, Q]:
    """The same three tests as word-prefix LIKEs on the space-separated folded words."""
    name = RawSQL("(' ' || name_folded)", (), output_field=TextField())
    document = RawSQL("(' ' || search_document)", (), output_field=TextField())

    def contains_all(expression, words):
        condition = Q()
        for word in words:
            condition &= Q(Contains(expression, Value(f" {word}")))
        return condition

    return (
        Q(Contains(name, Value(" " + " ".join(tokens)))),
        contains_all(name, tokens),
        contains_all(document, tokens),
    )


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

    raw = params.q.strip()[:20]
    exact = Q(name_folded=" ".join(tokens))
    if CODE_QUERY.match(raw):
        exact |= Q(code=raw)
    # One-character words ("1" of "1.001193", a stray "a") match almost everything: they rank, but
    # only longer words select candidates, unless the query has nothing else.
    selective = [t for t in tokens if len(t) > 1] or tokens
    phrase, all_in_name, all_anywhere = (
        _postgres_tiers(tokens) if connection.vendor == "postgresql" else _sqlite_tiers(tokens)
    )
    rank = Case(
        When(exact, then=Value(0)),
        When(phrase, then=Value(1)),
        When(all_in_name, then=Value(2)),
        When(all_anywhere, then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )
    return (
        procedures.filter(_matches_any(selective))
        .annotate(rank=rank)
        .order_by("rank", "-popularity", _byte_order("name_folded"), "code")
    )
