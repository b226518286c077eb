"""On PostgreSQL the database itself refuses to change or delete a document or its PDF (API.md v1.1: a
document is never changed; a correction is a new document). As for the audit trail
(accounts/migrations/0002_audit_append_only.py), the application's role is also granted only SELECT and
INSERT on these tables (accounts/db_roles.py), so the trigger guards against the owner's mistakes."""

from django.db import migrations

TABLES = ("documents_document", "documents_documentfile")

CREATE = """
CREATE OR REPLACE FUNCTION documents_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'Documents are never changed: % on % is not allowed', TG_OP, TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
"""
TRIGGER = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION documents_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)
        for table in TABLES:
            schema_editor.execute(TRIGGER.format(table=table), params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for table in TABLES:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}", params=None)
        schema_editor.execute("DROP FUNCTION IF EXISTS documents_append_only()", params=None)


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
