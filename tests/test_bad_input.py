"""Malformed input answers 400 naming the parameter, never 500, and writes nothing (API.md "Operating":
no malformed query parameter, body or file gives a 500; each is a 400 naming the parameter).

Each request is sent as a user who may make it, so that nothing but the input is wrong. "Writes
nothing" is checked on every table a request of this kind could write to, the audit trail included (a
refused read is not audited: nothing was read). The NUL-byte cases fail only on PostgreSQL without the
fix (it refuses NUL in text and JSONB, where SQLite stores it): run this module on both databases.
"""

import datetime as dt

import pytest

from accounts.models import AuditEvent
from coordination.models import Referral
from corrections.models import Supervisee
from supervision.models import Alert, CheckIn, LeaveRequest, Measure
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db

NUL = "\x00"
TABLES = (AuditEvent, Supervisee, CheckIn, Referral, LeaveRequest, Measure, Alert)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


@pytest.fixture
def case(office, officer, court):
    return SuperviseeFactory(justice_office=office, officer=officer, intake_date=dt.date(2026, 1, 15))


# (who asks, path, query, the parameter the answer must name)
API_QUERIES = [
    ("officer", "/api/v1/supervisees/", {"justice_office": "abc"}, "justice_office"),
    ("officer", "/api/v1/supervisees/", {"justice_office": "-3"}, "justice_office"),
    ("officer", "/api/v1/supervisees/", {"justice_office": "9" * 30}, "justice_office"),
    ("officer", "/api/v1/supervisees/", {"status": NUL}, "status"),
    ("officer", "/api/v1/supervisees/", {"status": "on_the_run"}, "status"),
    ("officer", "/api/v1/supervisees/", {"category": "probation" + NUL}, "category"),
    ("officer", "/api/v1/supervisees/", {"management_level": "loose"}, "management_level"),
    ("officer", "/api/v1/supervisees/", {"officer": NUL}, "officer"),
    ("officer", "/api/v1/supervisees/", {"q": NUL}, "q"),
    ("officer", "/api/v1/supervisees/", {"q": "张" + NUL + "三"}, "q"),
    ("officer", "/api/v1/supervisees/", {"q": "370404" + NUL}, "q"),
    ("officer", "/api/v1/checkins/", {"supervisee": "abc"}, "supervisee"),
    ("officer", "/api/v1/checkins/", {"supervisee": "1.5"}, "supervisee"),
    ("officer", "/api/v1/checkins/", {"supervisee": NUL}, "supervisee"),
    ("officer", "/api/v1/checkins/", {"since": "2026-02-30"}, "since"),
    ("officer", "/api/v1/checkins/", {"until": "2026-13-01"}, "until"),
    ("officer", "/api/v1/checkins/", {"until": "9999-12-31"}, "until"),
    ("officer", "/api/v1/checkins/", {"since": "0001-01-01"}, "since"),
    ("officer", "/api/v1/checkins/", {"until": "9999-12-31T23:00:00-10:00"}, "until"),
    ("officer", "/api/v1/checkins/", {"since": "2026-11-25T09:30:00"}, "since"),  # no offset
    ("officer", "/api/v1/checkins/", {"since": "2026-02-30T09:30:00+08:00"}, "since"),
    ("officer", "/api/v1/checkins/", {"since": NUL}, "since"),
    ("officer", "/api/v1/checkins/", {"kind": NUL}, "kind"),
    ("officer", "/api/v1/alerts/", {"supervisee": "abc"}, "supervisee"),
    ("officer", "/api/v1/alerts/", {"status": NUL}, "status"),
    ("officer", "/api/v1/alerts/", {"kind": "late"}, "kind"),
    ("officer", "/api/v1/leave-requests/", {"supervisee": "abc"}, "supervisee"),
    ("officer", "/api/v1/leave-requests/", {"status": NUL}, "status"),
    ("officer", "/api/v1/measures/", {"supervisee": NUL}, "supervisee"),
    ("officer", "/api/v1/measures/", {"kind": NUL}, "kind"),
    ("officer", "/api/v1/referrals/", {"supervisee": "abc"}, "supervisee"),
    ("officer", "/api/v1/referrals/", {"box": NUL}, "box"),
    ("officer", "/api/v1/referrals/", {"kind": NUL}, "kind"),
    ("supervisor", "/api/v1/audit-events/", {"supervisee": "abc"}, "supervisee"),
    ("supervisor", "/api/v1/audit-events/", {"actor": NUL}, "actor"),
    ("supervisor", "/api/v1/audit-events/", {"since": "2026-02-30"}, "since"),
    ("supervisor", "/api/v1/audit-events/", {"since": "9999-12-31"}, "since"),
    ("supervisor", "/api/v1/audit-events/", {"action": NUL}, "action"),
    (
        "supervisor",
        "/api/v1/reports/monthly/",
        {"month": "2026-10", "justice_office": "abc"},
        "justice_office",
    ),
    ("supervisor", "/api/v1/reports/monthly/", {"month": NUL}, "month"),
    ("procurator", "/api/v1/oversight/exceptions/", {"code": NUL}, "code"),
    ("officer", "/api/v1/supervisees/{case}/team/", {"include_left": "maybe"}, "include_left"),
]


@pytest.mark.parametrize(("who", "path", "query", "name"), API_QUERIES)
def test_a_bad_api_query_parameter_is_400_naming_it_and_writes_nothing(
    request, api_as, case, who, path, query, name
):
    api = api_as(request.getfixturevalue(who))
    before = counts()
    response = api.get(path.format(case=case.pk), query)
    assert response.status_code == 400, response.content
    assert name in response.json(), response.json()
    assert counts() == before


PAGE_QUERIES = [
    ("officer", "/supervisees/", {"q": NUL}, "q"),
    ("officer", "/supervisees/", {"q": "王" + NUL}, "q"),
    ("officer", "/supervisees/", {"status": NUL}, "status"),
    ("officer", "/supervisees/", {"category": "fine"}, "category"),
    ("officer", "/alerts/", {"status": NUL}, "status"),
    ("officer", "/alerts/", {"kind": "late"}, "kind"),
    ("officer", "/referrals/", {"box": NUL}, "box"),
    ("officer", "/referrals/", {"status": "open"}, "status"),
    ("procurator", "/oversight/", {"code": NUL}, "code"),
    ("supervisor", "/reports/", {"justice_office": "abc"}, "justice_office"),
    ("supervisor", "/reports/", {"month": "2026-10", "justice_office": NUL}, "justice_office"),
    (
        "supervisor",
        "/reports/cases/",
        {"month": "2026-10", "figure": "intake", "justice_office": "abc"},
        "justice_office",
    ),
    ("supervisor", "/reports/cases/", {"month": "2026-10", "figure": NUL}, "figure"),
    ("supervisor", "/reports/cases/", {"month": "2026-13", "figure": "intake"}, "month"),
    # the exports, twins of the caseload page and of the check-in list
    ("officer", "/reports/exports/caseload.csv", {"q": NUL}, "q"),
    ("officer", "/reports/exports/caseload.xlsx", {"status": NUL}, "status"),
    ("officer", "/reports/exports/checkins.csv", {"since": "2026-02-30"}, "since"),
    ("officer", "/reports/exports/checkins.csv", {"until": "2026-13-01"}, "until"),
    ("officer", "/reports/exports/checkins.csv", {"until": "9999-12-31"}, "until"),
    ("officer", "/reports/exports/checkins.xlsx", {"since": NUL}, "since"),
]


@pytest.mark.parametrize(("who", "path", "query", "name"), PAGE_QUERIES)
def test_a_bad_page_or_export_query_parameter_is_400_naming_it_and_writes_nothing(
    request, client, case, who, path, query, name
):
    client.force_login(request.getfixturevalue(who))
    before = counts()
    response = client.get(path, query)
    assert response.status_code == 400, response.content[:500]
    assert f"<code>{name}</code>" in response.content.decode()
    assert counts() == before


def test_the_audit_page_refuses_a_nul_byte_in_its_search(client, supervisor):
    client.force_login(supervisor)
    before = counts()
    assert client.get("/audit/", {"actor": NUL}).status_code == 400
    assert counts() == before


def test_good_queries_still_answer_and_are_read_as_before(api_as, client, officer, case):
    """The same filters written well: a date bound with its offset, a lower-case code, an id."""
    api = api_as(officer)
    since = api.get("/api/v1/checkins/", {"supervisee": case.pk, "since": "2026-01-01T00:00:00+08:00"})
    assert since.status_code == 200
    # An unencoded "+" arrives as a space; the offset is still read.
    assert api.get("/api/v1/checkins/?since=2026-01-01T00:00:00+08:00".replace("+", " ")).status_code == 200
    assert api.get("/api/v1/supervisees/", {"justice_office": case.justice_office_id}).json()["count"] == 1
    client.force_login(officer)
    assert client.get("/supervisees/", {"status": "all", "q": case.name}).status_code == 200
    assert (
        client.get(
            "/reports/exports/checkins.csv", {"since": "2026-01-01", "until": "2026-12-31"}
        ).status_code
        == 200
    )
