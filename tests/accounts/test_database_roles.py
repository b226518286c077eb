"""The application's database role cannot remove audit rows, by any of the means its owner would have:
ALTER TABLE ... DISABLE TRIGGER, SET session_replication_role = replica, TRUNCATE, or a plain DELETE
(README "Database roles", accounts/db_roles.py). Ordinary tables it still reads and writes.

These run as the application role: tests/database_roles.py connects every test as DATABASE_URL's role
when DATABASE_OWNER_URL names another (CI does, on PostgreSQL)."""

import os

import psycopg2
import pytest
from django.conf import settings
from django.db import DatabaseError, connection, transaction

from accounts.constants import AuditAction
from accounts.db_roles import AUDIT_TABLE, grant_application_role
from accounts.models import Agency, AuditEvent
from accounts.services import audit_record
from tests.database_roles import two_roles

if connection.vendor != "postgresql":
    pytestmark = pytest.mark.skip(
        reason="database roles are PostgreSQL's; SQLite has none (CI runs PostgreSQL)"
    )
elif two_roles() is None:
    if os.environ.get("CI"):
        raise RuntimeError("CI runs these tests with two roles: set DATABASE_OWNER_URL (see .ci/run)")
    pytestmark = pytest.mark.skip(
        reason="one database role for both: set DATABASE_OWNER_URL to the owner's (README 'Database roles')"
    )


def _refused(statement: str) -> str:
    """Run `statement` in a savepoint; return PostgreSQL's refusal (fail if it was allowed)."""
    with pytest.raises(DatabaseError) as refusal, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement)
    return str(refusal.value)


def _privileges(table: str) -> set[str]:
    every = ["SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p FROM unnest(%s) p WHERE has_table_privilege(current_user, %s, p)", [every, table]
        )
        return {row[0] for row in cursor.fetchall()}


@pytest.mark.django_db
def test_the_tests_run_as_the_application_role_which_owns_nothing_and_is_no_superuser():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_user, rolsuper, rolcreaterole, rolbypassrls, pg_get_userbyid(c.relowner)"
            " FROM pg_roles, pg_class c WHERE rolname = current_user AND c.relname = %s",
            [AUDIT_TABLE],
        )
        user, superuser, createrole, bypassrls, audit_owner = cursor.fetchone()
    assert user == settings.DATABASE_APP_ROLE
    assert (superuser, createrole, bypassrls) == (False, False, False)
    assert audit_owner == settings.DATABASE_OWNER["USER"] != user


@pytest.mark.django_db
def test_on_the_audit_trail_the_application_may_only_read_and_add():
    assert _privileges(AUDIT_TABLE) == {"SELECT", "INSERT"}
    assert _privileges("django_migrations") == {"SELECT"}
    assert _privileges("supervision_alert") == {"SELECT", "INSERT", "UPDATE", "DELETE"}


@pytest.mark.django_db
def test_documents_as_issued_are_read_and_added_only():
    # documents.apps registers them (API.md v1.1: a document is never changed).
    assert _privileges("documents_document") == {"SELECT", "INSERT"}
    assert _privileges("documents_documentfile") == {"SELECT", "INSERT"}
    assert "must be owner of table" in _refused("ALTER TABLE documents_document DISABLE TRIGGER ALL")
    assert "permission denied for table" in _refused("TRUNCATE documents_documentfile")
    # Notices are received (an update), so they are an ordinary table.
    assert _privileges("documents_notice") == {"SELECT", "INSERT", "UPDATE", "DELETE"}


@pytest.mark.django_db
def test_no_means_of_the_owner_removes_an_audit_row(officer):
    audit_record(actor=officer, action=AuditAction.VIEW, target=officer)
    before = AuditEvent.objects.count()

    # 1. Silence the append-only trigger, then delete.
    assert "must be owner of table" in _refused(f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER ALL")
    assert "must be owner of table" in _refused(
        f"ALTER TABLE {AUDIT_TABLE} DISABLE TRIGGER accounts_auditevent_append_only"
    )
    # 2. Replication mode, in which ordinary triggers do not fire.
    assert "permission denied to set parameter" in _refused("SET session_replication_role = replica")
    assert "permission denied" in _refused("SET LOCAL session_replication_role = replica")
    # 3. TRUNCATE, which fires no row trigger at all.
    assert "permission denied for table" in _refused(f"TRUNCATE {AUDIT_TABLE}")
    assert "permission denied for table" in _refused(f"TRUNCATE {AUDIT_TABLE} CASCADE")
    # And the plain ways, refused before the trigger is reached; the table and trigger stay.
    assert "permission denied for table" in _refused(f"DELETE FROM {AUDIT_TABLE}")
    assert "permission denied for table" in _refused(f"UPDATE {AUDIT_TABLE} SET action = 'export'")
    assert "must be owner of table" in _refused(f"DROP TABLE {AUDIT_TABLE} CASCADE")
    assert "must be owner of" in _refused("DROP FUNCTION accounts_auditevent_append_only() CASCADE")
    # Replacing the trigger's function with one that lets rows go: it may not create in the schema.
    assert "permission denied for schema public" in _refused(
        "CREATE OR REPLACE FUNCTION accounts_auditevent_append_only() RETURNS trigger"
        " AS $$ BEGIN RETURN OLD; END $$ LANGUAGE plpgsql"
    )
    assert "must be owner of table" in _refused(f"ALTER TABLE {AUDIT_TABLE} OWNER TO current_user")

    assert AuditEvent.objects.count() == before
    assert AuditEvent.objects.filter(action=AuditAction.VIEW, actor=officer).exists()


@pytest.mark.django_db
def test_ordinary_tables_are_read_and_written_as_before(district):
    agency = Agency.objects.create(name="测试司法所", kind="justice_office", district=district)
    Agency.objects.filter(pk=agency.pk).update(name="改名司法所")
    assert Agency.objects.select_for_update().get(pk=agency.pk).name == "改名司法所"
    agency.delete()
    assert not Agency.objects.filter(pk=agency.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_owner_still_meets_the_trigger_and_a_flush_empties_the_trail(officer):
    """The trigger stays for the owner's own mistakes; the owner's TRUNCATE (the test runner's flush
    between transactional tests) is what empties the table, and it is not the application's."""
    audit_record(actor=officer, action=AuditAction.VIEW, target=officer)  # committed, as the app role
    owner = settings.DATABASE_OWNER
    db = connection.settings_dict
    owner_connection = psycopg2.connect(
        dbname=db["NAME"],
        user=owner["USER"],
        password=owner["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
    )
    try:
        with owner_connection.cursor() as cursor, pytest.raises(psycopg2.Error, match="append-only"):
            cursor.execute(f"DELETE FROM {AUDIT_TABLE}")
    finally:
        owner_connection.close()
    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db
def test_grants_are_the_owners_to_make_and_the_application_cannot_widen_its_own():
    # Without the grant option PostgreSQL only warns ("no privileges were granted"); nothing changes.
    with connection.cursor() as cursor:
        cursor.execute(f"GRANT DELETE, TRUNCATE ON {AUDIT_TABLE} TO current_user")
    assert _privileges(AUDIT_TABLE) == {"SELECT", "INSERT"}
    # Running the grants as the application itself does nothing (it is the role being granted).
    assert grant_application_role(app_role=settings.DATABASE_APP_ROLE) is False
    assert _privileges(AUDIT_TABLE) == {"SELECT", "INSERT"}
