"""Every role against every endpoint of API v1 (docs/roles.md#the-roles), table-driven.

Each row names an endpoint (its URL name and method), how to build the request against a small world,
and the status each role gets. `test_every_endpoint_has_a_row` walks the URL configuration, so an
endpoint added without a row here fails. Out of scope is 404; a visible object the role may not act on
is 403; a role with no object in scope sees an empty list (200).

Authorize first (docs/roles.md principle 2): a role that may NEVER take a write action (the police
posting a check-in, an officer deciding a measure) gets 403 from its role alone, before the body is read
and before the record is looked up, so whatever the body says and even where the record is outside its
scope. Those roles are each row's `never`; `test_a_role_that_may_never_act_is_refused_before_its_body`
sends them a bad body too. A role that may take the action on some records keeps the order 404 (out of
scope), 403 (visible, may not change), 400 (bad input).
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import timezone

from accounts.constants import Role
from corrections.idnumber import make_id_number
from supervision.models import Alert, LeavePermit, LeaveRequest, Measure
from tests.factories import PASSWORD, SuperviseeFactory, UserFactory
from tests.test_bad_input import counts

ROLES = ("officer", "other_office_officer", "supervisor", "procurator", "judge", "police", "social_worker")


def every(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


# The case belongs to the officer's office and was decided by the judge's court.
READ_CASE = {
    "officer": 200,
    "other_office_officer": 404,
    "supervisor": 200,
    "procurator": 200,
    "judge": 200,
    "police": 404,
    "social_worker": 404,
}


# Roles that never change a case (corrections.scoping.CHANGE_CASES and the rules beside it): refused by
# their role alone. The police and social workers got 404 here before, the case being outside their scope,
# but only after the body had been validated, so a bad body got them 400 field errors first.
NEVER_CHANGE_CASES = ("procurator", "judge", "police", "social_worker")


def write_case(ok: int) -> dict[str, int]:
    """A change to the case: its office's officer and the district's supervisors. An officer of another
    office changes cases, only not this one, which is outside their scope: 404."""
    return {
        "officer": ok,
        "other_office_officer": 404,
        "supervisor": ok,
        **dict.fromkeys(NEVER_CHANGE_CASES, 403),
    }


# Social workers record education and community service for the cases of their team: this case is not
# one (404), so they are not refused by their role, and stay out of `never`.
RECORD_CHECKIN = {**write_case(201), "social_worker": 404}
NEVER_RECORD_CHECKINS = ("procurator", "judge", "police")
# Activities (community.services.RECORD_ACTIVITIES): the same roles as check-ins, for the same cases.
RECORD_ACTIVITY = RECORD_CHECKIN


def supervisor_only(ok: int) -> dict[str, int]:
    """Deciding a measure: only a bureau supervisor ever does (CCL 28). Every other role is refused by its
    role, officers of another office, the police and social workers included, who got 404 before (the
    measure being outside their scope)."""
    return {**every(403), "supervisor": ok}


NEVER_DECIDE_MEASURES = tuple(role for role in ROLES if role != "supervisor")


# The audit trail and the oversight exceptions: the bureau's supervisors and the procuratorate.
OVERSIGHT = {**every(403), "supervisor": 200, "procurator": 200}
# Monthly statistics: officers for their own office, supervisors and the procuratorate for the district.
REPORTS = {**OVERSIGHT, "officer": 200, "other_office_officer": 200}


@dataclass
class World:
    case: object
    office: object
    today: dt.date


Build = Callable[[World], tuple[str, dict | None]]


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    build: Build
    expect: dict[str, int]
    # Roles refused by their role alone (403 before the body is read), and a body that is bad for this
    # endpoint (None: it reads no body), with the role that gets 400 for it, proving it bad.
    never: tuple[str, ...] = ()
    bad: Callable[[World], dict] | None = None
    bad_for: str = "officer"


def _case(world):
    return f"/api/v1/supervisees/{world.case.pk}/"


def _alert(world):
    alert = Alert.objects.create(supervisee=world.case, kind="missed_report", due_date=dt.date(2026, 11, 1))
    return f"/api/v1/alerts/{alert.pk}/"


def _leave(world, status="pending"):
    start = world.today + dt.timedelta(days=2) if status == "pending" else world.today - dt.timedelta(days=3)
    leave = LeaveRequest.objects.create(
        supervisee=world.case,
        destination="济南",
        reason="探亲",
        start_date=start,
        end_date=start + dt.timedelta(days=2),
        status=status,
        approval_level="justice_office",
        # Recorded by a colleague: the officer of the matrix may decide it (separation of duties).
        requested_by=UserFactory(username="t_leave_recorder", role="justice_officer", agency=world.office),
    )
    return f"/api/v1/leave-requests/{leave.pk}/"


def _permit(world):
    permit = LeavePermit.objects.create(
        supervisee=world.case,
        reason_code="work",
        details="每周往返济南送货",
        places=["370102"],
        start_date=world.today + dt.timedelta(days=1),
        end_date=world.today + dt.timedelta(days=90),
        proposed_by=world.case.officer,
    )
    return f"/api/v1/leave-permits/{permit.pk}/"


def _measure(world):
    measure = Measure.objects.create(
        supervisee=world.case,
        kind="admonition",
        reason="迟到报到",
        occurred_on=world.today - dt.timedelta(days=3),
        proposed_by=world.case.officer,
    )
    return f"/api/v1/measures/{measure.pk}/"


def _temporary_execution_case(world):
    """A temporary-execution case of the officer's office (health reports are for nothing else)."""
    return SuperviseeFactory(
        justice_office=world.office,
        officer=world.case.officer,
        sentence__deciding_agency=world.case.sentence.deciding_agency,
        sentence__category="temporary_execution",
        intake_date=dt.date(2026, 1, 15),
    )


def _medical_report(world):
    case = _temporary_execution_case(world)
    return "/api/v1/medical-reports/", {
        "supervisee": case.pk,
        "kind": "monthly_report",
        "date": world.today.isoformat(),
        "conclusion": "ground_persists",
    }


def _team_member(world):
    from corrections.teams import team_member_add

    member = team_member_add(supervisee=world.case, by=world.case.officer, name="赵母", role="family")
    return _case(world) + f"team/{member.pk}/remove/"


def _new_case(world):
    # A birth date that varies with the case (the ID number is unique) but stays plausible however far
    # PostgreSQL's sequences have run in a long test session (ids are not reset between tests).
    birth = dt.date(1990, 1, 1) + dt.timedelta(days=world.case.pk % 5000)
    return "/api/v1/supervisees/", {
        "case_number": f"MATRIX-{world.case.pk}",
        "name": "新案",
        "gender": "male",
        "id_number": make_id_number(region="370403", birth_date=birth, sequence=11, gender="male"),
        "education": "primary",
        "residence_address": "临城街道",
        "household_type": "urban",
        "crime": "盗窃罪",
        "crime_chapter": "property",
        "justice_office": world.office.pk,
        "sentence": {
            "category": "control",
            "penalty": "control",
            "deciding_agency": world.case.sentence.deciding_agency_id,
            "document_number": "(2026)鲁0403刑初9号",
            "judgment_date": "2026-10-01",
            "effective_date": "2026-10-12",
            "original_term_months": 6,
        },
    }


CASE_NEVER = {"never": NEVER_CHANGE_CASES}
NOTE_TOO_LONG = {"note": "x" * 5001}
ROWS = [
    Row("api-me", "get", lambda w: ("/api/v1/me/", None), every(200)),
    Row("api-agencies", "get", lambda w: ("/api/v1/agencies/", None), every(200)),
    Row("api-supervisee-list", "get", lambda w: ("/api/v1/supervisees/", None), every(200)),
    Row(
        "api-supervisee-list",
        "post",
        _new_case,
        {**write_case(201), "other_office_officer": 400},
        **CASE_NEVER,
        bad=lambda w: {"name": "", "gender": "robot", "id_number": "123"},
    ),
    Row("api-supervisee-detail", "get", lambda w: (_case(w), None), READ_CASE),
    Row(
        "api-supervisee-detail",
        "patch",
        lambda w: (_case(w), {"phone": "13800000000"}),
        write_case(200),
        **CASE_NEVER,
        bad=lambda w: {"gender": "robot"},
    ),
    Row(
        "api-supervisee-transition",
        "post",
        lambda w: (_case(w) + "transition/", {"to": "absconded", "date": w.today.isoformat()}),
        write_case(200),
        **CASE_NEVER,
        bad=lambda w: {"to": "on_the_moon", "date": "yesterday"},
    ),
    Row("api-supervisee-timeline", "get", lambda w: (_case(w) + "timeline/", None), READ_CASE),
    Row("api-supervisee-suggestions", "get", lambda w: (_case(w) + "suggestions/", None), READ_CASE),
    Row("api-checkin-list", "get", lambda w: ("/api/v1/checkins/", None), every(200)),
    Row(
        "api-checkin-list",
        "post",
        lambda w: (
            "/api/v1/checkins/",
            {"supervisee": w.case.pk, "kind": "phone", "occurred_at": timezone.now().isoformat()},
        ),
        RECORD_CHECKIN,
        never=NEVER_RECORD_CHECKINS,
        bad=lambda w: {"supervisee": w.case.pk, "kind": "telepathy", "occurred_at": "yesterday"},
    ),
    Row("api-alert-list", "get", lambda w: ("/api/v1/alerts/", None), every(200)),
    Row("api-alert-detail", "get", lambda w: (_alert(w), None), READ_CASE),
    Row(
        "api-alert-acknowledge",
        "post",
        lambda w: (_alert(w) + "acknowledge/", {}),
        write_case(200),
        **CASE_NEVER,
    ),
    Row(
        "api-alert-resolve",
        "post",
        lambda w: (_alert(w) + "resolve/", {"note": "已电话联系，补报"}),
        write_case(200),
        **CASE_NEVER,
        bad=lambda w: NOTE_TOO_LONG,
    ),
    Row("api-leave-list", "get", lambda w: ("/api/v1/leave-requests/", None), every(200)),
    Row(
        "api-leave-list",
        "post",
        lambda w: (
            "/api/v1/leave-requests/",
            {
                "supervisee": w.case.pk,
                "destination": "临沂",
                "destination_code": "371302",
                "reason_code": "family",
                "reason": "探亲",
                "start_date": (w.today + dt.timedelta(days=3)).isoformat(),
                "end_date": (w.today + dt.timedelta(days=5)).isoformat(),
            },
        ),
        write_case(201),
        **CASE_NEVER,
        bad=lambda w: {"supervisee": w.case.pk, "start_date": "someday"},
    ),
    Row("api-leave-detail", "get", lambda w: (_leave(w), None), READ_CASE),
    Row(
        "api-leave-approve",
        "post",
        lambda w: (_leave(w) + "approve/", {}),
        write_case(200),
        **CASE_NEVER,
        bad=lambda w: NOTE_TOO_LONG,
    ),
    Row(
        "api-leave-reject",
        "post",
        lambda w: (_leave(w) + "reject/", {"note": "理由不充分"}),
        write_case(200),
        **CASE_NEVER,
        bad=lambda w: NOTE_TOO_LONG,
    ),
    Row(
        "api-leave-return",
        "post",
        lambda w: (_leave(w, "approved") + "return/", {"returned_on": w.today.isoformat()}),
        write_case(200),
        **CASE_NEVER,
        bad=lambda w: {"returned_on": "someday"},
    ),
    Row("api-leave-reasons", "get", lambda w: ("/api/v1/leave-reasons/", None), every(200)),
    Row("api-leave-permit-list", "get", lambda w: ("/api/v1/leave-permits/", None), every(200)),
    Row(
        "api-leave-permit-list",
        "post",
        lambda w: (
            "/api/v1/leave-permits/",
            {
                "supervisee": w.case.pk,
                "reason_code": "work",
                "details": "每周往返济南送货",
                "places": ["370102", "370103"],
                "start_date": w.today.isoformat(),
                "end_date": (w.today + dt.timedelta(days=90)).isoformat(),
            },
        ),
        write_case(201),
        **CASE_NEVER,
        bad=lambda w: {"supervisee": w.case.pk, "places": "370102"},
    ),
    Row("api-leave-permit-detail", "get", lambda w: (_permit(w), None), READ_CASE),
    Row(
        "api-leave-permit-approve",
        "post",
        lambda w: (_permit(w) + "approve/", {}),
        supervisor_only(200),
        never=NEVER_DECIDE_MEASURES,
        bad=lambda w: NOTE_TOO_LONG,
        bad_for="supervisor",
    ),
    Row(
        "api-leave-permit-reject",
        "post",
        lambda w: (_permit(w) + "reject/", {"note": "往来频次不足"}),
        supervisor_only(200),
        never=NEVER_DECIDE_MEASURES,
        bad=lambda w: NOTE_TOO_LONG,
        bad_for="supervisor",
    ),
    Row("api-measure-list", "get", lambda w: ("/api/v1/measures/", None), every(200)),
    Row(
        "api-measure-list",
        "post",
        lambda w: (
            "/api/v1/measures/",
            {
                "supervisee": w.case.pk,
                "kind": "admonition",
                "reason": "迟到报到",
                "occurred_on": (w.today - dt.timedelta(days=1)).isoformat(),
            },
        ),
        write_case(201),
        **CASE_NEVER,
        bad=lambda w: {"supervisee": w.case.pk, "kind": "caning"},
    ),
    Row("api-measure-detail", "get", lambda w: (_measure(w), None), READ_CASE),
    Row(
        "api-measure-approve",
        "post",
        lambda w: (_measure(w) + "approve/", {}),
        supervisor_only(200),
        never=NEVER_DECIDE_MEASURES,
        bad=lambda w: NOTE_TOO_LONG,
        bad_for="supervisor",
    ),
    Row(
        "api-measure-reject",
        "post",
        lambda w: (_measure(w) + "reject/", {"note": "证据不足"}),
        supervisor_only(200),
        never=NEVER_DECIDE_MEASURES,
        bad=lambda w: NOTE_TOO_LONG,
        bad_for="supervisor",
    ),
    Row("api-medical-report-list", "get", lambda w: ("/api/v1/medical-reports/", None), every(200)),
    Row(
        "api-medical-report-list",
        "post",
        _medical_report,
        write_case(201),
        **CASE_NEVER,
        bad=lambda w: {"supervisee": w.case.pk, "kind": "horoscope", "date": "someday", "conclusion": 1},
    ),
    Row("api-supervisee-team", "get", lambda w: (_case(w) + "team/", None), READ_CASE),
    Row(
        "api-supervisee-team",
        "post",
        lambda w: (_case(w) + "team/", {"name": "王村主任", "role": "village_committee"}),
        write_case(201),
        **CASE_NEVER,
        bad=lambda w: {"name": "王村主任", "role": "king"},
    ),
    Row(
        "api-supervisee-team-remove",
        "post",
        lambda w: (_team_member(w), {}),
        write_case(200),
        **CASE_NEVER,
        bad=lambda w: {"left_on": "someday"},
    ),
    Row("api-activity-list", "get", lambda w: ("/api/v1/activities/", None), every(200)),
    Row(
        "api-activity-list",
        "post",
        lambda w: (
            "/api/v1/activities/",
            {
                "kind": "group_education",
                "date": (w.today - dt.timedelta(days=1)).isoformat(),
                "hours": "2.0",
                "topic": "法治教育",
                "participants": [w.case.pk],
            },
        ),
        RECORD_ACTIVITY,
        never=NEVER_RECORD_CHECKINS,
        bad=lambda w: {"kind": "karaoke", "hours": "x", "participants": "all"},
    ),
    Row("api-provider-list", "get", lambda w: ("/api/v1/providers/", None), every(200)),
    Row(
        "api-provider-list",
        "post",
        lambda w: (
            "/api/v1/providers/",
            {"name": "阳光社工", "kind": "organisation", "offers": ["counselling"]},
        ),
        {**every(403), "officer": 201, "other_office_officer": 201, "supervisor": 201},
        never=NEVER_CHANGE_CASES,
        bad=lambda w: {"name": "", "kind": "guild", "offers": []},
    ),
    Row("api-audit-event-list", "get", lambda w: ("/api/v1/audit-events/", None), OVERSIGHT),
    Row("api-oversight-exceptions", "get", lambda w: ("/api/v1/oversight/exceptions/", None), OVERSIGHT),
    Row("api-reports-monthly", "get", lambda w: ("/api/v1/reports/monthly/?month=2026-10", None), REPORTS),
    Row(
        "api-reports-monthly-xlsx",
        "get",
        lambda w: ("/api/v1/reports/monthly.xlsx?month=2026-10", None),
        REPORTS,
    ),
]
# Reachable without a credential; checked in tests/corrections/test_api.py.
PUBLIC = {("api-token", "post")}


def _api_endpoints() -> dict[tuple[str, str], type]:
    """Every (URL name, method) under /api/v1/, with its view class."""
    found = {}

    def walk(patterns, prefix=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, prefix + str(pattern.pattern))
                continue
            view = getattr(pattern.callback, "view_class", None)
            if not (prefix + str(pattern.pattern)).startswith("api/v1/") or view is None:
                continue
            allowed = getattr(view, "http_method_names", None)
            for method in ("get", "post", "put", "patch", "delete"):
                if hasattr(view, method) and (not allowed or method in allowed):
                    found[(pattern.name, method)] = view

    walk(get_resolver().url_patterns)
    return found


def test_every_endpoint_has_a_row():
    # The referral endpoints, the documents' and notices', electronic positioning's and a health report's
    # document have their own tables, on a world with a referral, a released case's certificate and
    # notices, a prohibition order, or a temporary-execution case's report in it (and multipart bodies).
    from tests.coordination.test_permission_matrix import ROWS as REFERRAL_ROWS
    from tests.corrections.test_transfer_matrix import ROWS as TRANSFER_ROWS
    from tests.documents.test_permission_matrix import ROWS as DOCUMENT_ROWS
    from tests.supervision.test_medical_matrix import ROWS as MEDICAL_ROWS
    from tests.supervision.test_positioning_matrix import ROWS as POSITIONING_ROWS

    tables = [*ROWS, *REFERRAL_ROWS, *DOCUMENT_ROWS, *POSITIONING_ROWS, *MEDICAL_ROWS, *TRANSFER_ROWS]
    covered = {(row.name, row.method) for row in tables} | PUBLIC
    missing = sorted(set(_api_endpoints()) - covered)
    assert not missing, f"endpoints without a row in the permission matrix: {missing}"
    assert not covered - set(_api_endpoints()), "rows for endpoints that no longer exist"


# The role of each fixture user.
ROLE_OF = {
    "officer": Role.JUSTICE_OFFICER,
    "other_office_officer": Role.JUSTICE_OFFICER,
    "supervisor": Role.JUSTICE_SUPERVISOR,
    "procurator": Role.PROCURATORATE,
    "judge": Role.COURT,
    "police": Role.POLICE,
    "social_worker": Role.SOCIAL_WORKER,
}


def _all_rows():
    from tests.coordination.test_permission_matrix import ROWS as REFERRAL_ROWS
    from tests.corrections.test_transfer_matrix import ROWS as TRANSFER_ROWS
    from tests.documents.test_permission_matrix import ROWS as DOCUMENT_ROWS
    from tests.supervision.test_medical_matrix import ROWS as MEDICAL_ROWS
    from tests.supervision.test_positioning_matrix import ROWS as POSITIONING_ROWS

    return [*ROWS, *REFERRAL_ROWS, *DOCUMENT_ROWS, *POSITIONING_ROWS, *MEDICAL_ROWS, *TRANSFER_ROWS]


def test_every_write_endpoint_refuses_by_role_first_and_its_rule_agrees_with_the_matrix():
    """Every API write names the roles that may take it (accounts.permissions.role_permission), and the
    roles it leaves out are exactly the row's `never`, each of which the matrix expects to get 403."""
    views = _api_endpoints()
    rows = {(row.name, row.method): row for row in _all_rows()}
    for (name, method), view in views.items():
        if method == "get" or (name, method) in PUBLIC:
            continue
        rules = [p.rule for p in view.permission_classes if hasattr(p, "rule")]
        assert len(rules) == 1, f"{method.upper()} {name}: no role_permission(...) on {view.__name__}"
        row = rows[(name, method)]
        refused = tuple(role for role in ROLES if ROLE_OF[role] not in rules[0].roles)
        assert refused == row.never, f"{method.upper()} {name}: the rule refuses {refused}, row {row.never}"
        assert all(row.expect[role] == 403 for role in row.never), (name, method)


@pytest.fixture
def world(office, officer, court):
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__deciding_agency=court,
        intake_date=dt.date(2026, 1, 15),
    )
    return World(case=case, office=office, today=timezone.localdate())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_role_against_endpoint(request, api, world, row, role, agencies):
    user = request.getfixturevalue(role)
    url, body = row.build(world)
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, body, format="json")
    assert response.status_code == row.expect[role], (
        f"{role} {row.method.upper()} {url}: {response.status_code} {getattr(response, 'data', '')}"
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_every_role_signs_in_through_the_token_endpoint(api, request, role):
    user = request.getfixturevalue(role)
    response = api.post(
        "/api/v1/auth/token/", {"username": user.username, "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200 and response.json()["token"]


WITH_NEVER = [(row, role) for row in ROWS if row.never for role in row.never]


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["valid", "invalid"])
@pytest.mark.parametrize(
    ("row", "role"), WITH_NEVER, ids=lambda v: v if isinstance(v, str) else f"{v.method}-{v.name}"
)
def test_a_role_that_may_never_act_is_refused_before_its_body(request, api, world, row, role, body, agencies):
    """403 whatever the body says (before, an invalid one got 400 field errors), and nothing written."""
    user = request.getfixturevalue(role)
    url, valid = row.build(world)
    sent = row.bad(world) if body == "invalid" and row.bad else valid
    before = counts()
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, sent, format="json")
    assert response.status_code == 403, f"{role} {row.method.upper()} {url}: {response.status_code}"
    assert set(response.json()) == {"detail"}, response.json()  # no field errors: the body was not read
    assert counts() == before


@pytest.mark.django_db
@pytest.mark.parametrize("row", [row for row in ROWS if row.bad], ids=lambda row: f"{row.method}-{row.name}")
def test_the_bad_bodies_are_bad_for_a_role_that_may_act(request, api, world, row, agencies):
    """So the test above proves the order: the same body from a role that may act is 400."""
    url, _valid = row.build(world)
    api.force_authenticate(user=request.getfixturevalue(row.bad_for))
    response = getattr(api, row.method)(url, row.bad(world), format="json")
    assert response.status_code == 400, f"{row.bad_for} {row.method.upper()} {url}: {response.content}"


# --- across districts, and from the city (issue 14; docs/roles.md#the-city-level) -----------------------
#
# The same rows again, against a case of another district of the same city (`district_b`): each role of
# the first district gets what an officer of another office gets for a case outside its scope (404 for
# the record, 400 for a case registered into an office not theirs, an empty list), or 403 where its role
# alone refuses it. The city bureau's supervisor reads what a district supervisor reads and is refused
# every change by its level alone.


def across(row: Row, role: str) -> int:
    own, elsewhere = row.expect[role], row.expect["other_office_officer"]
    if role in row.never:
        return 403  # refused by the role, wherever the case is
    if row.method == "get":
        # A record out of scope is 404; a list is the role's own (200), or refused by role (403).
        return 404 if elsewhere == 404 else own
    # A decision only a supervisor takes: another office's officer is refused by role, this role by scope.
    return 404 if elsewhere == 403 else elsewhere


def city_expect(row: Row) -> int:
    if row.method != "get" or row.name == "api-audit-event-list":
        return 403  # changes are the district's; so is who-did-what in it
    return row.expect["supervisor"]


@pytest.fixture
def world_b(district_b):
    office, users = district_b["agencies"]["office"], district_b["users"]
    case = SuperviseeFactory(
        justice_office=office,
        officer=users["officer"],
        sentence__deciding_agency=district_b["agencies"]["court"],
        intake_date=dt.date(2026, 1, 15),
        case_number="SZJZ-000001",
        name="乙某某",
    )
    return World(case=case, office=office, today=timezone.localdate())


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_nothing_crosses_a_district_boundary(request, api, world_b, district_b, row, role, agencies):
    user = request.getfixturevalue(role)
    url, body = row.build(world_b)
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, body, format="json")
    assert response.status_code == across(row, role), (
        f"{role} {row.method.upper()} {url}: {response.status_code} {getattr(response, 'data', '')}"
    )
    if not response.get("Content-Type", "").startswith("application/json"):
        return  # the workbook: its figures are checked below, by value
    content = response.content.decode()
    for text in (
        world_b.case.case_number,
        world_b.case.name,
        *(a.name for a in district_b["agencies"].values()),
    ):
        assert text not in content, f"{role} {row.method.upper()} {url} shows {text}"


@pytest.mark.django_db
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_the_city_supervisor_reads_every_district_and_changes_nothing(
    api, world_b, city_supervisor, row, agencies
):
    url, body = row.build(world_b)
    before = counts()
    api.force_authenticate(user=city_supervisor)
    response = getattr(api, row.method)(url, body, format="json")
    assert response.status_code == city_expect(row), (
        f"{row.method.upper()} {url}: {response.status_code} {getattr(response, 'data', '')}"
    )
    if row.method != "get":
        assert set(response.json()) == {"detail"}, response.json()  # refused before the body was read
        assert counts() == before


def test_every_write_refuses_a_city_level_account_by_its_rule(db, city_supervisor, supervisor):
    """The rows above cover this table; every other table's writes name a RoleRule too (the test above),
    and each refuses the city level unless it says otherwise (a user's own reminder settings)."""
    for (name, method), view in _api_endpoints().items():
        if method == "get" or (name, method) in PUBLIC:
            continue
        (rule,) = [p.rule for p in view.permission_classes if hasattr(p, "rule")]
        assert not rule.allows(city_supervisor), f"{method.upper()} {name} lets the city level write"
        assert rule.allows(supervisor) or Role.JUSTICE_SUPERVISOR not in rule.roles, (name, method)


@pytest.mark.django_db
def test_figures_exports_alerts_and_agencies_stay_in_their_district(
    api, world, world_b, district_b, city_supervisor, supervisor, procurator, officer, city_bureau, agencies
):
    """Beside the rows: the case of each district counted and listed by its own district only, and both by
    the city (so the absences above are not zeros compared with zeros)."""
    for case in (world.case, world_b.case):
        Alert.objects.create(supervisee=case, kind="missed_report", due_date=dt.date(2026, 11, 1))
    b_supervisor = district_b["users"]["supervisor"]
    b_district = district_b["district"].pk

    def get(user, url):
        api.force_authenticate(user=user)
        return api.get(url)

    month = "/api/v1/reports/monthly/?month=2026-10"
    for user in (supervisor, procurator, officer, b_supervisor):
        assert get(user, month).json()["closing"] == 1, user
    assert get(city_supervisor, month).json()["closing"] == 2
    assert get(city_supervisor, f"{month}&district={b_district}").json()["closing"] == 1
    assert get(city_supervisor, f"{month}&justice_office={world_b.office.pk}").json()["closing"] == 1
    # Another district's figures, or one of its offices', are out of scope: 404, as any record.
    assert get(supervisor, f"{month}&district={b_district}").status_code == 404
    assert get(supervisor, f"{month}&justice_office={world_b.office.pk}").status_code == 404
    assert get(supervisor, f"{month}&district={world.office.district_id}").json()["closing"] == 1
    assert get(city_supervisor, "/api/v1/reports/monthly.xlsx?month=2026-10").status_code == 200

    for user, cases in ((supervisor, {world.case.pk}), (b_supervisor, {world_b.case.pk})):
        assert {a["supervisee"] for a in get(user, "/api/v1/alerts/").json()["results"]} == cases
        assert {s["id"] for s in get(user, "/api/v1/supervisees/").json()["results"]} == cases
    city_alerts = get(city_supervisor, "/api/v1/alerts/").json()["results"]
    assert {a["supervisee"] for a in city_alerts} == {world.case.pk, world_b.case.pk}

    def agency_ids(user):
        return {a["id"] for a in get(user, "/api/v1/agencies/?page_size=200").json()["results"]}

    own, theirs = {a.pk for a in agencies.values()}, {a.pk for a in district_b["agencies"].values()}
    assert own <= agency_ids(supervisor) and not agency_ids(supervisor) & theirs
    assert own | theirs | {city_bureau.pk} == agency_ids(city_supervisor)

    def export(user) -> str:
        page = Client()
        page.force_login(user)
        response = page.get("/reports/exports/caseload.csv")
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return body.decode("utf-8-sig")

    assert world.case.case_number in export(supervisor) and world_b.case.case_number not in export(supervisor)
    assert world.case.case_number in export(officer) and world_b.case.case_number not in export(officer)
    both = export(city_supervisor)
    assert world.case.case_number in both and world_b.case.case_number in both
