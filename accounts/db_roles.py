"""The application's database role on PostgreSQL: what it may do to the tables the owner role made.

Two roles (README "Database roles"): the owner (DATABASE_OWNER_URL) owns the schema and every table and
runs `manage.py migrate`; the application (DATABASE_URL) reads and writes the ordinary tables but on the
audit trail may only SELECT and INSERT. Not owning the audit table, it cannot ALTER it (so it cannot
DISABLE its trigger), TRUNCATE or DROP it; not being a superuser, it cannot SET session_replication_role
(which would silence the trigger); without UPDATE and DELETE it never even reaches the trigger
(accounts/migrations/0002_audit_append_only.py), which stays for the owner's own mistakes.

A superuser creates the roles once (deploy/postgres/roles.sql); the grants on tables are the owner's and
are made here, after every `migrate` (post_migrate, so also in a test database and after a restore),
with default privileges for tables a later migration creates in between.
"""

import logging
import re

from django.conf import settings
from django.db import connections

logger = logging.getLogger(__name__)

AUDIT_TABLE = "accounts_auditevent"
# Tables the application may only read and add to: the audit trail, and what higher apps register (the
# documents and their PDFs, documents.apps), as corrections registers its audit mask.
_append_only_tables: list[str] = [AUDIT_TABLE]


def register_append_only_table(table: str) -> None:
    if not _ROLE_NAME.match(table):
        raise ValueError(f"unexpected table name {table!r}")
    if table not in _append_only_tables:
        _append_only_tables.append(table)


def append_only_tables() -> tuple[str, ...]:
    return tuple(_append_only_tables)


# Read-only for the application: it never migrates, so it has no business writing the migration history.
READ_ONLY_TABLES = ("django_migrations",)
_ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]*$")


def application_grants(*, app_role: str) -> list[str]:
    """The statements the owner runs, in order: ordinary tables and sequences for reading and writing,
    the same for tables created later, then the audit trail and the migration history narrowed."""
    if not _ROLE_NAME.match(app_role):
        raise ValueError(f"unexpected database role name {app_role!r}")
    role = f'"{app_role}"'
    statements = [
        # Tables and sequences the owner creates from now on (a later migration), in this database.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
        # The tables that exist. No TRUNCATE, REFERENCES or TRIGGER on any of them.
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
    ]
    # The audit trail (CCL 4, PIPL: a trail that can be trusted) and the documents as issued: read them,
    # add to them, nothing else.
    for table in _append_only_tables:
        statements += [f"REVOKE ALL ON {table} FROM {role}", f"GRANT SELECT, INSERT ON {table} TO {role}"]
    for table in READ_ONLY_TABLES:
        statements += [f"REVOKE ALL ON {table} FROM {role}", f"GRANT SELECT ON {table} TO {role}"]
    return statements


def grant_application_role(*, using: str = "default", app_role: str | None = None) -> bool:
    """As the owner, give the application role its privileges on every table of the schema. Does nothing
    (and says so) on SQLite, with one role for both, or when the application role does not exist."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return False
    app_role = app_role if app_role is not None else settings.DATABASE_APP_ROLE
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, EXISTS (SELECT FROM pg_roles WHERE rolname = %s)", [app_role or ""]
        )
        current_user, role_exists = cursor.fetchone()
        if not app_role or app_role == current_user:
            return False  # one role for both: nothing to grant (README "Database roles")
        if not role_exists:
            logger.warning("database role %r does not exist: run deploy/postgres/roles.sql", app_role)
            return False
        for statement in application_grants(app_role=app_role):
            cursor.execute(statement)
    return True


def grant_after_migrate(sender, using: str = "default", **kwargs) -> None:
    """post_migrate receiver (accounts.apps): after every migrate, and after a test runner's flush."""
    grant_application_role(using=using)
