"""The audit trail is append-only: the application refuses, and on PostgreSQL the database too."""

import pytest
from django.db import DatabaseError, connection, transaction

from accounts.constants import AuditAction
from accounts.models import AuditEvent
from accounts.services import audit_record, field_changes

pytestmark = pytest.mark.django_db


def test_audit_record_keeps_actor_agency_and_target(officer):
    event = audit_record(actor=officer, action=AuditAction.VIEW, target=officer, supervisee_id=7)
    assert (
        event.actor_username,
        event.agency_id,
        event.target_type,
        event.target_id,
        event.supervisee_id,
    ) == (officer.username, officer.agency_id, "accounts.user", str(officer.pk), 7)


def test_the_application_refuses_to_change_or_delete_an_event(officer):
    event = audit_record(actor=officer, action=AuditAction.VIEW, target=officer)
    event.action = AuditAction.EXPORT
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        AuditEvent.objects.filter(pk=event.pk).update(action="export")
    with pytest.raises(TypeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == AuditAction.VIEW


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only")
@pytest.mark.parametrize(
    "statement", ["UPDATE accounts_auditevent SET action = 'export'", "DELETE FROM accounts_auditevent"]
)
def test_postgresql_refuses_raw_updates_and_deletes(officer, statement):
    """As the application role (CI), privileges refuse before the trigger is reached; with one role for
    both, the trigger refuses (the owner's case: tests/accounts/test_database_roles.py)."""
    audit_record(actor=officer, action=AuditAction.VIEW, target=officer)
    with (
        pytest.raises(DatabaseError, match="append-only|permission denied for table accounts_auditevent"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(statement)
    assert AuditEvent.objects.filter(action="view").count() == 1


def test_field_changes_lists_only_what_changed():
    assert field_changes({"a": 1, "b": "x"}, {"a": 1, "b": "y", "c": None}) == {
        "b": {"before": "x", "after": "y"}
    }
