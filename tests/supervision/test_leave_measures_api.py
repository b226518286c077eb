"""API v1 for leave requests, measures and suggestions: shapes, scoping (404), roles (403), states (409),
bad input (400), side effects (audit rows, timeline) and fixed query counts (docs/api.md)."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from corrections.services import supervisee_transition
from supervision.constants import ApprovalLevel, LeaveStatus, MeasureKind, MeasureStatus
from supervision.models import LeaveRequest, Measure
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db
LEAVE = "/api/v1/leave-requests/"
MEASURES = "/api/v1/measures/"
LEAVE_FIELDS = {
    "id",
    "supervisee",
    "destination",
    "destination_code",
    "reason_code",
    "reason",
    "urgent",
    "urgent_reason",
    "permit",
    "start_date",
    "end_date",
    "days",
    "status",
    "approval_level",
    "notify_procuratorate",
    "requested_by",
    "requested_at",
    "decided_by",
    "decided_at",
    "decision_note",
    "returned_on",
}
MEASURE_FIELDS = {
    "id",
    "supervisee",
    "kind",
    "reason",
    "evidence",
    "occurred_on",
    "status",
    "proposed_by",
    "proposed_at",
    "decided_by",
    "decided_on",
    "decision_note",
}


def day(offset: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=offset)).isoformat()


@pytest.fixture
def case(office, officer):
    return SuperviseeFactory(justice_office=office, officer=officer)


def leave_body(case, *, start: int = 1, days: int = 3, **overrides) -> dict:
    return {
        "supervisee": case.pk,
        "destination": "济南市历下区",
        "destination_code": "370102",
        "reason_code": "medical",
        "reason": "陪同子女就医",
        # Sooner than the notice days unless said otherwise: urgent, with why (CCL 27 rules are tested in
        # tests/supervision/test_leave_law.py).
        "urgent": True,
        "urgent_reason": "子女突发疾病",
        "start_date": day(start),
        "end_date": day(start + days - 1),
        **overrides,
    }


def measure_body(case, kind: str = "warning", **overrides) -> dict:
    return {
        "supervisee": case.pk,
        "kind": kind,
        "reason": "无正当理由未按时报到",
        "occurred_on": day(-2),
        **overrides,
    }


def post_leave(client, case, **kwargs):
    return client.post(LEAVE, leave_body(case, **kwargs), format="json")


# Leave requests.


def test_an_officer_requests_leave(api_as, officer, case):
    response = post_leave(api_as(officer), case, days=8)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == LEAVE_FIELDS
    assert body["supervisee"] == case.pk
    assert body["days"] == 8
    assert (body["status"], body["approval_level"], body["notify_procuratorate"]) == (
        "pending",
        "district",
        False,
    )
    assert (body["requested_by"], body["decided_by"], body["returned_on"]) == (officer.username, None, None)
    assert AuditEvent.objects.filter(
        action="create", target_type="supervision.leaverequest", target_id=str(body["id"])
    ).exists()


def test_31_days_goes_to_the_city_with_notice_to_the_procuratorate(api_as, officer, case):
    body = post_leave(api_as(officer), case, days=31).json()
    assert (body["approval_level"], body["notify_procuratorate"]) == ("city", True)


def test_bad_leave_input_is_400_naming_the_field(api_as, officer, case):
    client = api_as(officer)
    response = post_leave(client, case, start=-3)
    assert response.status_code == 400
    assert "start_date" in response.json()
    response = client.post(LEAVE, {**leave_body(case), "end_date": "25/11/2026"}, format="json")
    assert response.status_code == 400
    assert "end_date" in response.json()
    beyond = (case.sentence.end_date + dt.timedelta(days=1)).isoformat()
    response = client.post(LEAVE, {**leave_body(case), "end_date": beyond}, format="json")
    assert response.status_code == 400
    assert "end of the correction period" in response.json()["end_date"][0]
    assert not LeaveRequest.objects.exists()


def test_overlapping_leave_is_400(api_as, officer, case):
    client = api_as(officer)
    assert post_leave(client, case, start=1, days=5).status_code == 201
    response = post_leave(client, case, start=3, days=5)
    assert response.status_code == 400
    assert "overlap" in response.json()["start_date"][0]


def test_leave_for_a_case_out_of_scope_is_404(api_as, other_office_officer, police, case):
    assert post_leave(api_as(other_office_officer), case).status_code == 404
    assert post_leave(api_as(other_office_officer), case, supervisee=999999).status_code == 404
    # The police never record leave: 403 by their role alone, whatever the case (docs/roles.md principle 2).
    assert post_leave(api_as(police), case).status_code == 403
    assert not LeaveRequest.objects.exists()


def test_the_procuratorate_reads_but_may_not_request_leave(api_as, procurator, officer, case):
    post_leave(api_as(officer), case)
    client = api_as(procurator)
    assert client.get(LEAVE).json()["count"] == 1
    assert post_leave(client, case, start=20).status_code == 403
    assert LeaveRequest.objects.count() == 1


def test_leave_for_an_absconded_case_is_409(api_as, officer, case):
    supervisee_transition(supervisee=case, by=officer, to="absconded", on=timezone.localdate())
    assert post_leave(api_as(officer), case).status_code == 409


def test_list_filters_and_scoping(api_as, officer, colleague, other_office_officer, office, case):
    client = api_as(officer)
    first = post_leave(client, case, start=1).json()
    other_case = SuperviseeFactory(justice_office=office, officer=officer)
    post_leave(client, other_case, start=1)
    api_as(colleague).post(f"{LEAVE}{first['id']}/approve/", {}, format="json")
    client = api_as(officer)
    assert client.get(LEAVE).json()["count"] == 2
    assert [r["id"] for r in client.get(LEAVE, {"supervisee": case.pk}).json()["results"]] == [first["id"]]
    assert [r["id"] for r in client.get(LEAVE, {"status": "approved"}).json()["results"]] == [first["id"]]
    assert client.get(LEAVE, {"status": "maybe"}).status_code == 400
    assert client.get(LEAVE, {"supervisee": "x"}).status_code == 400
    outsider = api_as(other_office_officer)
    assert outsider.get(LEAVE).json()["count"] == 0
    assert outsider.get(f"{LEAVE}{first['id']}/").status_code == 404
    assert outsider.post(f"{LEAVE}{first['id']}/reject/", {"note": "不"}, format="json").status_code == 404


def test_detail(api_as, officer, case):
    client = api_as(officer)
    created = post_leave(client, case).json()
    body = client.get(f"{LEAVE}{created['id']}/").json()
    assert body == created


def test_approve_then_again_is_409(api_as, officer, colleague, case):
    leave = post_leave(api_as(officer), case).json()
    client = api_as(colleague)
    response = client.post(f"{LEAVE}{leave['id']}/approve/", {"note": "同意外出"}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_by"]) == ("approved", colleague.username)
    assert response.json()["decision_note"] == "同意外出"
    assert client.post(f"{LEAVE}{leave['id']}/approve/", {}, format="json").status_code == 409


def test_the_officer_who_recorded_a_short_leave_may_not_decide_it_403(api_as, officer, colleague, case):
    leave = post_leave(api_as(officer), case, days=3).json()
    for action, body in (("approve", {}), ("reject", {"note": "不同意"})):
        response = api_as(officer).post(f"{LEAVE}{leave['id']}/{action}/", body, format="json")
        assert response.status_code == 403
        assert "You recorded this leave request" in response.json()["detail"]
    assert LeaveRequest.objects.get(pk=leave["id"]).status == LeaveStatus.PENDING
    response = api_as(colleague).post(f"{LEAVE}{leave['id']}/approve/", {}, format="json")
    assert response.status_code == 200 and response.json()["decided_by"] == colleague.username


def test_district_leave_approved_by_an_officer_is_403_by_a_supervisor_200(api_as, officer, supervisor, case):
    leave = post_leave(api_as(officer), case, days=10).json()
    assert api_as(officer).post(f"{LEAVE}{leave['id']}/approve/", {}, format="json").status_code == 403
    assert LeaveRequest.objects.get(pk=leave["id"]).status == LeaveStatus.PENDING
    response = api_as(supervisor).post(f"{LEAVE}{leave['id']}/approve/", {}, format="json")
    assert response.status_code == 200
    assert response.json()["decided_by"] == supervisor.username


def test_city_leave_needs_the_city_decision_in_the_note(api_as, agencies, officer, supervisor, case):
    leave = post_leave(api_as(officer), case, days=40).json()
    client = api_as(supervisor)
    response = client.post(f"{LEAVE}{leave['id']}/approve/", {}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    response = client.post(f"{LEAVE}{leave['id']}/approve/", {"note": "枣司矫〔2026〕3号"}, format="json")
    assert response.status_code == 200
    assert response.json()["approval_level"] == ApprovalLevel.CITY


def test_reject_without_note_is_400_naming_note(api_as, officer, colleague, case):
    leave = post_leave(api_as(officer), case).json()
    client = api_as(colleague)
    response = client.post(f"{LEAVE}{leave['id']}/reject/", {}, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["note"]
    response = client.post(f"{LEAVE}{leave['id']}/reject/", {"note": "外出事由不实"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"


def test_returning_a_rejected_leave_is_409(api_as, officer, colleague, case):
    leave = post_leave(api_as(officer), case, start=0).json()
    api_as(colleague).post(f"{LEAVE}{leave['id']}/reject/", {"note": "不同意"}, format="json")
    client = api_as(officer)
    response = client.post(f"{LEAVE}{leave['id']}/return/", {"returned_on": day(0)}, format="json")
    assert response.status_code == 409
    assert "Rejected" in response.json()["detail"]


def test_return(api_as, officer, colleague, case):
    leave = post_leave(api_as(officer), case, start=0).json()
    api_as(colleague).post(f"{LEAVE}{leave['id']}/approve/", {}, format="json")
    client = api_as(officer)
    assert client.post(f"{LEAVE}{leave['id']}/return/", {}, format="json").status_code == 400
    response = client.post(f"{LEAVE}{leave['id']}/return/", {"returned_on": day(1)}, format="json")
    assert response.status_code == 400
    assert "returned_on" in response.json()
    response = client.post(f"{LEAVE}{leave['id']}/return/", {"returned_on": day(0)}, format="json")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["returned_on"]) == ("returned", day(0))
    assert AuditEvent.objects.filter(target_type="supervision.leaverequest", action="transition").count() == 2


# Measures.


def test_an_officer_proposes_and_a_supervisor_approves(api_as, officer, supervisor, case):
    response = api_as(officer).post(MEASURES, measure_body(case, evidence="报到记录"), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == MEASURE_FIELDS
    assert (body["status"], body["proposed_by"], body["evidence"]) == (
        "proposed",
        officer.username,
        "报到记录",
    )
    assert api_as(officer).post(f"{MEASURES}{body['id']}/approve/", {}, format="json").status_code == 403
    response = api_as(supervisor).post(
        f"{MEASURES}{body['id']}/approve/", {"note": "予以警告"}, format="json"
    )
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["decided_by"]) == ("approved", supervisor.username)
    assert response.json()["decided_on"] == day(0)
    assert api_as(supervisor).post(f"{MEASURES}{body['id']}/approve/", {}, format="json").status_code == 409
    assert (
        AuditEvent.objects.filter(target_type="supervision.measure", target_id=str(body["id"])).count() == 2
    )


def test_a_supervisor_who_proposed_a_measure_may_not_decide_it_403(api_as, supervisor, bureau, case):
    measure = api_as(supervisor).post(MEASURES, measure_body(case), format="json").json()
    for action, body in (("approve", {}), ("reject", {"note": "证据不足"})):
        response = api_as(supervisor).post(f"{MEASURES}{measure['id']}/{action}/", body, format="json")
        assert response.status_code == 403
        assert "You proposed this measure" in response.json()["detail"]
    other = UserFactory(username="t_supervisor2", role="justice_supervisor", agency=bureau)
    response = api_as(other).post(f"{MEASURES}{measure['id']}/approve/", {}, format="json")
    assert (response.status_code, response.json()["decided_by"]) == (200, other.username)


def test_measure_reject_needs_a_note(api_as, officer, supervisor, case):
    measure = api_as(officer).post(MEASURES, measure_body(case), format="json").json()
    client = api_as(supervisor)
    response = client.post(f"{MEASURES}{measure['id']}/reject/", {"note": ""}, format="json")
    assert response.status_code == 400
    assert "note" in response.json()
    response = client.post(f"{MEASURES}{measure['id']}/reject/", {"note": "证据不足"}, format="json")
    assert (response.status_code, response.json()["status"]) == (200, "rejected")


def test_measure_input_errors_are_400(api_as, officer, case):
    client = api_as(officer)
    assert "kind" in client.post(MEASURES, measure_body(case, kind="fine"), format="json").json()
    response = client.post(MEASURES, measure_body(case, occurred_on=day(1), reason=""), format="json")
    assert response.status_code == 400
    assert {"occurred_on", "reason"} <= set(response.json())
    assert not Measure.objects.exists()


def test_measures_scoping_and_roles(api_as, officer, other_office_officer, procurator, case):
    assert api_as(procurator).post(MEASURES, measure_body(case), format="json").status_code == 403
    assert api_as(other_office_officer).post(MEASURES, measure_body(case), format="json").status_code == 404
    measure = api_as(officer).post(MEASURES, measure_body(case), format="json").json()
    assert api_as(other_office_officer).get(f"{MEASURES}{measure['id']}/").status_code == 404
    assert api_as(other_office_officer).get(MEASURES).json()["count"] == 0
    assert api_as(procurator).get(f"{MEASURES}{measure['id']}/").json()["id"] == measure["id"]


def test_measure_list_filters(api_as, officer, supervisor, case):
    client = api_as(officer)
    warning = client.post(MEASURES, measure_body(case), format="json").json()
    admonition = client.post(MEASURES, measure_body(case, kind="admonition"), format="json").json()
    api_as(supervisor).post(f"{MEASURES}{warning['id']}/approve/", {}, format="json")
    client = api_as(officer)
    assert [r["id"] for r in client.get(MEASURES, {"kind": "admonition"}).json()["results"]] == [
        admonition["id"]
    ]
    assert [r["id"] for r in client.get(MEASURES, {"status": "approved"}).json()["results"]] == [
        warning["id"]
    ]
    assert client.get(MEASURES, {"supervisee": case.pk}).json()["count"] == 2
    assert client.get(MEASURES, {"kind": "fine"}).status_code == 400


# Suggestions.


def suggestions_url(case) -> str:
    return f"/api/v1/supervisees/{case.pk}/suggestions/"


def test_suggestions_after_two_approved_warnings(api_as, officer, supervisor, case):
    for _ in range(2):
        measure = api_as(officer).post(MEASURES, measure_body(case), format="json").json()
        api_as(supervisor).post(f"{MEASURES}{measure['id']}/approve/", {}, format="json")
    body = api_as(officer).get(suggestions_url(case)).json()
    assert body["count"] == 1
    [item] = body["results"]
    assert set(item) == {"code", "proposal", "message", "basis"}
    assert item["proposal"] == "revocation_proposal"


def test_suggestions_out_of_scope_are_404(api_as, other_office_officer, police, case):
    for user in (other_office_officer, police):
        assert api_as(user).get(suggestions_url(case)).status_code == 404


def test_suggestions_after_more_than_a_month_absconded(api_as, officer, case):
    supervisee_transition(
        supervisee=case, by=officer, to="absconded", on=timezone.localdate() - dt.timedelta(days=35)
    )
    [item] = api_as(officer).get(suggestions_url(case)).json()["results"]
    assert (item["code"], item["proposal"]) == ("lost_contact", "revocation_proposal")


# Timeline and query counts.


def test_leave_and_measures_are_on_the_timeline(api_as, officer, case):
    client = api_as(officer)
    leave = post_leave(client, case).json()
    measure = client.post(MEASURES, measure_body(case, kind="admonition"), format="json").json()
    events = client.get(f"/api/v1/supervisees/{case.pk}/timeline/").json()["results"]
    found = {(e["type"], e["id"]) for e in events}
    assert {("leave", leave["id"]), ("measure", measure["id"])} <= found
    leave_event = next(e for e in events if e["type"] == "leave")
    assert leave_event["details"]["approval_level"] == "justice_office"
    assert leave_event["by"] == officer.username


@pytest.mark.parametrize("page_size", [3, 30])
def test_leave_list_runs_a_fixed_number_of_queries(
    api_as, officer, supervisor, office, django_assert_num_queries, page_size
):
    for n in range(page_size):
        case = SuperviseeFactory(justice_office=office, officer=officer)
        LeaveRequest.objects.create(
            supervisee=case,
            destination=f"城市 {n}",
            reason="探亲",
            start_date=timezone.localdate(),
            end_date=timezone.localdate(),
            status=LeaveStatus.APPROVED,
            approval_level=ApprovalLevel.DISTRICT,
            requested_by=officer,
            decided_by=supervisor,
        )
    client = api_as(supervisor)
    # count, then the page with requester and decider joined, then the list read's audit row
    with django_assert_num_queries(3):
        body = client.get(LEAVE, {"page_size": page_size}).json()
    assert len(body["results"]) == page_size
    assert body["results"][0]["decided_by"] == supervisor.username


@pytest.mark.parametrize("page_size", [3, 30])
def test_measure_list_runs_a_fixed_number_of_queries(
    api_as, officer, supervisor, office, django_assert_num_queries, page_size
):
    for _ in range(page_size):
        case = SuperviseeFactory(justice_office=office, officer=officer)
        Measure.objects.create(
            supervisee=case,
            kind=MeasureKind.ADMONITION,
            reason="迟到",
            occurred_on=timezone.localdate(),
            status=MeasureStatus.APPROVED,
            proposed_by=officer,
            decided_by=supervisor,
            decided_on=timezone.localdate(),
        )
    client = api_as(supervisor)
    # count, then the page with proposer and decider joined, then the list read's audit row
    with django_assert_num_queries(3):
        body = client.get(MEASURES, {"page_size": page_size}).json()
    assert len(body["results"]) == page_size
    assert body["results"][0]["proposed_by"] == officer.username
