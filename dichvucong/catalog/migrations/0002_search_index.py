"""Full-text index on Procedure.search_document, each database with its own facility.

SQLite: an external-content FTS5 table kept in step by triggers (catalog.search, candidate lookup).
PostgreSQL: a stored generated column search_vector = to_tsvector('simple', search_document) with a GIN
index. Stored, because broad queries ("d", twelve words) match most rows and the planner then scans the
table: recomputing to_tsvector for every row cost 60 ms at 10,000 procedures (bench/search.py).
The column already holds folded ASCII words (core.text.fold), so no accent handling is needed here.
"""

from django.db import migrations

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE catalog_procedure_fts USING fts5("
    "search_document, content='catalog_procedure', content_rowid='id', prefix='1 2 3')",
    "CREATE TRIGGER catalog_procedure_fts_ai AFTER INSERT ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
    "CREATE TRIGGER catalog_procedure_fts_ad AFTER DELETE ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); END",
    "CREATE TRIGGER catalog_procedure_fts_au AFTER UPDATE OF search_document ON catalog_procedure BEGIN "
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts, rowid, search_document) "
    "VALUES ('delete', old.id, old.search_document); "
    "INSERT INTO catalog_procedure_fts(rowid, search_document) VALUES (new.id, new.search_document); END",
    "INSERT INTO catalog_procedure_fts(catalog_procedure_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_au",
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_ad",
    "DROP TRIGGER IF EXISTS catalog_procedure_fts_ai",
    "DROP TABLE IF EXISTS catalog_procedure_fts",
]
POSTGRES_FORWARD = [
    "ALTER TABLE catalog_procedure ADD COLUMN search_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, search_document)) STORED",
    "CREATE INDEX catalog_procedure_search_gin ON catalog_procedure USING gin (search_vector)",
    # Ranking only (phrase / all words in the name), on rows already selected by search_vector.
    "ALTER TABLE catalog_procedure ADD COLUMN name_vector tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, name_folded)) STORED",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS catalog_procedure_search_gin",
    "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS name_vector",
    "ALTER TABLE catalog_procedure DROP COLUMN IF EXISTS search_vector",
]


def _run(statements_by_vendor):
    def operation(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return operation


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
    ]
