"""The read replica (issue 14, config/db_router.py): with one configured, the monthly statistics, the
reports page's counting and the exports read from the `replica` alias, and every write (the audit rows)
goes to `default`.

The `replica` alias of the test settings is a TEST MIRROR of `default`: the same test database through a
second connection. That connection sees only committed rows, so these tests commit (transaction=True).
"""

import datetime as dt
import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext

from accounts.models import AuditEvent
from config.db_router import REPLICA, ReplicaRouter, on_replica, reading_replica
from corrections.models import Supervisee
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])
URL = "/api/v1/reports/monthly/"


@pytest.fixture
def replica_on(settings):
    settings.READ_REPLICA_ENABLED = True


@pytest.fixture
def cases(office, other_office, officer):
    made = []
    for index in range(6):
        case = SuperviseeFactory(
            justice_office=office if index % 2 else other_office,
            officer=officer,
            intake_date=dt.date(2026, 1 + index, 3),
        )
        case.status_changes.create(
            from_status="pending_report", to_status="under_supervision", date=case.intake_date
        )
        made.append(case)
    made[0].status_changes.create(
        from_status="under_supervision", to_status="absconded", date=dt.date(2026, 10, 5)
    )
    return made


def _captured(call):
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as replica,
    ):
        result = call()
    return result, [q["sql"] for q in primary], [q["sql"] for q in replica]


def _reads_supervisees(sqls: list[str]) -> bool:
    return any(re.search(r'FROM "corrections_supervisee"', sql) for sql in sqls)


def test_the_statistics_read_the_replica_and_the_audit_row_goes_to_default(
    api_as, supervisor, cases, replica_on
):
    response, primary, replica = _captured(lambda: api_as(supervisor).get(URL, {"month": "2026-10"}))
    assert response.status_code == 200
    body = response.json()
    assert body["closing"] == 6 and body["absconded"] == 1
    # The counting (over the supervisees, the measures, the alerts) ran on the replica, and only reads.
    assert _reads_supervisees(replica) and len(replica) >= 4
    # Reads only: SELECTs, and the planner's settings for the count (reports.statistics.counting_plans).
    assert all(
        sql.lstrip().upper().startswith(("SELECT", "SET ENABLE_SORT", "RESET ENABLE_SORT")) for sql in replica
    )
    assert not _reads_supervisees(primary)
    # The export's audit row was written to default.
    assert any(sql.startswith('INSERT INTO "accounts_auditevent"') for sql in primary)
    assert AuditEvent.objects.filter(action="export", target_type="reports.monthly").count() == 1


def test_without_a_replica_everything_reads_default(api_as, supervisor, cases, settings):
    settings.READ_REPLICA_ENABLED = False
    response, primary, replica = _captured(lambda: api_as(supervisor).get(URL, {"month": "2026-10"}))
    assert response.status_code == 200 and response.json()["closing"] == 6
    assert replica == [] and _reads_supervisees(primary)


def test_the_reports_page_counts_on_the_replica(client, supervisor, cases, replica_on):
    client.force_login(supervisor)
    response, primary, replica = _captured(lambda: client.get("/reports/", {"month": "2026-10"}))
    assert response.status_code == 200
    # The month's figures and the trend's twelve months, counted on the replica.
    assert _reads_supervisees(replica) and not _reads_supervisees(primary)


def test_the_exports_stream_from_the_replica(client, officer, cases, replica_on):
    client.force_login(officer)
    for export_format in ("csv", "xlsx"):

        def read(export_format=export_format):
            response = client.get(f"/reports/exports/caseload.{export_format}")
            return response, response.getvalue()

        (response, content), primary, replica = _captured(read)
        assert response.status_code == 200 and len(content) > 100
        # The COUNT for the audit row and the rows themselves: both on the replica.
        assert sum(1 for sql in replica if "COUNT(" in sql) == 1
        assert _reads_supervisees(replica) and not _reads_supervisees(primary)
        assert any(sql.startswith('INSERT INTO "accounts_auditevent"') for sql in primary)
    assert AuditEvent.objects.filter(action="export", target_type="corrections.supervisee").count() == 2


def test_writes_go_to_default_even_while_reading_the_replica(replica_on):
    router = ReplicaRouter()
    with reading_replica():
        assert router.db_for_read(Supervisee) == REPLICA
        assert router.db_for_write(Supervisee) == "default"
    assert router.db_for_read(Supervisee) is None  # outside: default
    assert router.allow_migrate(REPLICA, "corrections") is False
    assert router.allow_migrate("default", "corrections") is True


def test_a_streamed_body_is_routed_only_while_each_chunk_is_made(replica_on):
    router = ReplicaRouter()
    seen = []

    def chunks():
        for index in range(3):
            seen.append(router.db_for_read(Supervisee))
            yield str(index).encode()

    stream = on_replica(chunks())
    assert next(stream) == b"0"
    assert router.db_for_read(Supervisee) is None  # between two chunks, nothing is routed
    assert b"".join(stream) == b"12"
    assert seen == [REPLICA, REPLICA, REPLICA]
