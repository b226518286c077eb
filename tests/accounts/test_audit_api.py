"""`GET /api/v1/audit-events/` (docs/api.md#op-get-api-v1-audit-events): read by a bureau supervisor and the
procuratorate, scoped to their district, filtered, read-only, and itself audited."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from accounts.constants import AgencyKind, AuditAction, Role
from accounts.models import AuditEvent
from accounts.services import audit_record
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    JusticeOfficeFactory,
    SuperviseeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/audit-events/"
UTC = dt.UTC


def at(moment: dt.datetime):
    """Write audit rows as if at `moment` (the `at` column is set on insert): the test clock, stopped."""
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def elsewhere():
    """Another district with its own officer and case."""
    office = JusticeOfficeFactory(district=DistrictFactory(name="市中区", code="370402"))
    return {
        "officer": UserFactory(username="far_officer", role=Role.JUSTICE_OFFICER, agency=office),
        "case": SuperviseeFactory(justice_office=office),
    }


@pytest.fixture
def trail(officer, police, office, court, elsewhere):
    """Events of the district and of another district."""
    case = SuperviseeFactory(justice_office=office)
    with at(dt.datetime(2026, 11, 24, 15, 59, 59, tzinfo=UTC)):  # 23:59:59 on the 24th in Shanghai
        late = audit_record(actor=officer, action=AuditAction.VIEW, target=case, supervisee_id=case.pk)
    with at(dt.datetime(2026, 11, 24, 16, 0, 0, tzinfo=UTC)):  # midnight of the 25th in Shanghai
        midnight = audit_record(actor=officer, action=AuditAction.UPDATE, target=case, supervisee_id=case.pk)
    with at(dt.datetime(2026, 11, 25, 2, 0, 0, tzinfo=UTC)):
        by_police = audit_record(actor=police, action=AuditAction.VIEW, target=case, supervisee_id=case.pk)
        # No actor, but about a case of the district: the district's.
        anonymous = audit_record(actor=None, action=AuditAction.VIEW, target=case, supervisee_id=case.pk)
        far = elsewhere["case"]
        other_district = audit_record(
            actor=elsewhere["officer"], action=AuditAction.VIEW, target=far, supervisee_id=far.pk
        )
        # About no case at all, by someone of the district: the district's.
        sign_in = audit_record(actor=officer, action=AuditAction.SIGN_IN, target=officer)
    return {
        "case": case,
        "late": late,
        "midnight": midnight,
        "by_police": by_police,
        "anonymous": anonymous,
        "other_district": other_district,
        "sign_in": sign_in,
    }


def ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("role_fixture", ["supervisor", "procurator"])
def test_supervisor_and_procurator_read_their_districts_events_newest_first(
    request, api_as, trail, role_fixture
):
    response = api_as(request.getfixturevalue(role_fixture)).get(URL)
    expected = [trail[key].pk for key in ("sign_in", "anonymous", "by_police", "midnight", "late")]
    assert ids(response) == expected
    assert trail["other_district"].pk not in ids(response)
    row = response.json()["results"][-1]
    assert row == {
        "id": trail["late"].pk,
        "at": "2026-11-24T23:59:59+08:00",
        "actor": "t_officer",
        "agency": trail["late"].agency_id,
        "action": "view",
        "target_type": "corrections.supervisee",
        "target_id": str(trail["case"].pk),
        "supervisee": trail["case"].pk,
        "changes": {},
    }


@pytest.mark.parametrize("role_fixture", ["officer", "social_worker", "police", "judge"])
def test_other_roles_are_refused_with_403(request, api_as, trail, role_fixture):
    response = api_as(request.getfixturevalue(role_fixture)).get(URL)
    assert response.status_code == 403
    assert "audit trail" in response.json()["detail"]


def test_no_credential_is_401(api):
    assert api.get(URL).status_code == 401


def test_the_other_district_reads_only_its_own(api_as, trail, elsewhere):
    far_procurator = UserFactory(
        username="far_procurator",
        role=Role.PROCURATORATE,
        agency=AgencyFactory(
            kind=AgencyKind.PROCURATORATE, district=elsewhere["case"].justice_office.district
        ),
    )
    assert ids(api_as(far_procurator).get(URL)) == [trail["other_district"].pk]


def test_filters(api_as, supervisor, trail, officer):
    client = api_as(supervisor)
    case = trail["case"]
    assert ids(client.get(URL, {"supervisee": case.pk})) == [
        trail[key].pk for key in ("anonymous", "by_police", "midnight", "late")
    ]
    assert ids(client.get(URL, {"actor": "t_police"})) == [trail["by_police"].pk]
    assert ids(client.get(URL, {"action": "update"})) == [trail["midnight"].pk]
    # A date is local midnight in Asia/Shanghai: 16:00:00Z of the day before is in, 15:59:59Z is out.
    assert trail["late"].pk not in ids(client.get(URL, {"since": "2026-11-25", "supervisee": case.pk}))
    assert ids(client.get(URL, {"since": "2026-11-25", "actor": officer.username})) == [
        trail["sign_in"].pk,
        trail["midnight"].pk,
    ]
    # A time with its offset, percent-encoded or not.
    assert ids(client.get(URL, {"since": "2026-11-25T10:00:00+08:00", "actor": officer.username})) == [
        trail["sign_in"].pk
    ]
    assert ids(client.get(f"{URL}?since=2026-11-25T10:00:00+08:00&actor={officer.username}")) == [
        trail["sign_in"].pk
    ]
    assert ids(client.get(URL, {"actor": "t_police", "action": "update"})) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"action": "delete_all"}, "action"),
        ({"supervisee": "x"}, "supervisee"),
    ],
)
def test_bad_filters_answer_400_naming_the_field(api_as, supervisor, params, field):
    response = api_as(supervisor).get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_the_trail_is_read_only(api_as, supervisor, trail, method):
    count = AuditEvent.objects.count()
    response = getattr(api_as(supervisor), method)(URL, {"action": "view"}, format="json")
    assert response.status_code == 405
    assert AuditEvent.objects.count() == count


def test_each_read_is_audited_once_with_its_filters(api_as, procurator, trail):
    client = api_as(procurator)
    before = timezone.now()
    response = client.get(URL, {"actor": "t_police", "since": "2026-11-01"})
    searches = AuditEvent.objects.filter(action=AuditAction.SEARCH, actor=procurator)
    assert searches.count() == 1
    search = searches.get()
    assert search.at >= before
    assert search.target_type == "accounts.auditevent"
    assert search.changes == {"actor": "t_police", "since": "2026-11-01T00:00:00+08:00"}
    # The answer shows the trail as it was before this read.
    assert search.pk not in ids(response)
    # The next read shows it.
    assert search.pk in ids(client.get(URL))


@pytest.mark.parametrize("extra", [0, 40])
def test_a_page_runs_a_fixed_number_of_queries(
    api_as, supervisor, trail, officer, extra, django_assert_num_queries
):
    for _ in range(extra):
        audit_record(
            actor=officer, action=AuditAction.VIEW, target=trail["case"], supervisee_id=trail["case"].pk
        )
    client = api_as(supervisor)
    # The count, the page, the audit row of this read.
    with django_assert_num_queries(3):
        response = client.get(URL, {"page_size": 50})
    assert response.json()["count"] == 5 + extra
