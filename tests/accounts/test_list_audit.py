"""List reads are audited as well (API.md "Need to know"): one `list` row per answered list, with the
filters as read, tied to the case when the list is of one case; a search stays one `search` row."""

import datetime as dt

import pytest

from accounts.models import AuditEvent
from tests.factories import CheckInFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(office, officer, court):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    CheckInFactory(supervisee=case, on=dt.date(2026, 3, 2))
    return case


# (path, query, target_type, the filters the row keeps, whether it is tied to the case)
LISTS = [
    ("/api/v1/supervisees/", {}, "corrections.supervisee", {}, False),
    (
        "/api/v1/supervisees/",
        {"status": "under_supervision", "management_level": "normal"},
        "corrections.supervisee",
        {"status": "under_supervision", "management_level": "normal"},
        False,
    ),
    (
        "/api/v1/checkins/",
        {"supervisee": "{case}", "since": "2026-03-01", "kind": "in_person"},
        "supervision.checkin",
        {"supervisee": "{case}", "since": "2026-03-01T00:00:00+08:00", "kind": "in_person"},
        True,
    ),
    ("/api/v1/checkins/", {}, "supervision.checkin", {}, False),
    ("/api/v1/alerts/", {"status": "open"}, "supervision.alert", {"status": "open"}, False),
    (
        "/api/v1/leave-requests/",
        {"supervisee": "{case}"},
        "supervision.leaverequest",
        {"supervisee": "{case}"},
        True,
    ),
    ("/api/v1/measures/", {"kind": "warning"}, "supervision.measure", {"kind": "warning"}, False),
    ("/api/v1/referrals/", {"box": "outbox"}, "coordination.referral", {"box": "outbox"}, False),
    ("/api/v1/supervisees/{case}/suggestions/", {}, "supervision.suggestion", {}, True),
]


def filled(value, case):
    if isinstance(value, dict):
        return {k: filled(v, case) for k, v in value.items()}
    return case.pk if value == "{case}" else value


@pytest.mark.parametrize(("path", "query", "target_type", "kept", "tied"), LISTS)
def test_each_list_read_writes_one_list_row_with_its_filters(
    api_as, officer, case, path, query, target_type, kept, tied
):
    api = api_as(officer)
    query = {k: str(filled(v, case)) for k, v in query.items()}
    response = api.get(path.format(case=case.pk), query)
    assert response.status_code == 200, response.content
    rows = list(AuditEvent.objects.filter(action="list"))
    assert len(rows) == 1
    row = rows[0]
    assert (row.actor, row.agency_id, row.target_type) == (officer, officer.agency_id, target_type)
    assert row.changes == filled(kept, case)
    assert row.supervisee_id == (case.pk if tied else None)


def test_a_search_is_one_search_row_and_no_list_row(api_as, officer, case):
    api_as(officer).get("/api/v1/supervisees/", {"q": case.name, "status": "under_supervision"})
    assert list(AuditEvent.objects.values_list("action", "changes")) == [
        ("search", {"q": case.name, "status": "under_supervision"})
    ]


def test_the_cases_behind_a_figure_are_a_list_read(client, supervisor, office, case):
    client.force_login(supervisor)
    response = client.get(
        "/reports/cases/", {"month": "2026-01", "figure": "intake", "justice_office": office.pk}
    )
    assert response.status_code == 200
    row = AuditEvent.objects.get(action="list")
    assert (row.target_type, row.changes) == (
        "reports.figure",
        {"month": "2026-01", "figure": "intake", "justice_office": office.pk},
    )


def test_a_page_that_does_not_exist_writes_no_list_row(api_as, officer, case):
    assert api_as(officer).get("/api/v1/checkins/", {"page": 99}).status_code == 404
    assert not AuditEvent.objects.filter(action="list").exists()
