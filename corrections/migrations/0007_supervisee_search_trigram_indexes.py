"""Trigram indexes for the caseload search by name and case number (issue 14: `icontains` scanned the
table, 1.2-2.1 s p95 at 700,000 cases).

Django's `icontains` on PostgreSQL is `UPPER(col::text) LIKE UPPER('%q%')`; a GIN index with pg_trgm's
`gin_trgm_ops` over that same expression serves it (https://www.postgresql.org/docs/15/pgtrgm.html,
"Index Support"). pg_trgm is a trusted extension: the database's owner (the role that migrates) may
create it. A pattern of fewer than three characters (a two-character name) yields no trigram, and the
planner then keeps its other paths (the office and officer indexes narrow the scope first).

Only on PostgreSQL: SQLite has neither the extension nor GIN, and its LIKE is scanned either way.
"""

from django.db import migrations

INDEXES = {
    "supervisee_name_trgm": "name",
    "supervisee_case_number_trgm": "case_number",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{name}" ON "corrections_supervisee" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{name}"')


class Migration(migrations.Migration):
    dependencies = [("corrections", "0006_transfer_of_place_of_execution")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
