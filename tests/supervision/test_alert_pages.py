"""The alert ledger (/alerts/) and the approval queue (/approvals/): scoped, acting through the
services, refusals shown by the field, a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from supervision.models import Alert, LeaveRequest, Measure
from supervision.services.leave import leave_permit_propose, leave_request_create
from supervision.services.measures import measure_propose
from supervision.services.positioning import positioning_order_propose
from tests.factories import LEAVE_BY_THE_LAW, SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db


def make_alert(case, *, days_ago=3, kind="missed_report", **fields):
    return Alert.objects.create(
        supervisee=case, kind=kind, due_date=timezone.localdate() - dt.timedelta(days=days_ago), **fields
    )


def make_leave(case, by, *, days=3, start_in=1):
    start = timezone.localdate() + dt.timedelta(days=start_in)
    return leave_request_create(
        supervisee=case,
        by=by,
        **LEAVE_BY_THE_LAW,
        destination="济南",
        reason="探望住院的父亲",
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
    )


def test_ledger_shows_open_and_acknowledged_alerts_of_the_office_only(client, officer, office, other_office):
    mine = SuperviseeFactory(justice_office=office, name="周大山")
    theirs = SuperviseeFactory(justice_office=other_office, name="吴小河")
    open_alert = make_alert(mine, days_ago=5, made_up_at=timezone.now())
    make_alert(mine, days_ago=40, status="resolved", resolution_note="已训诫")
    make_alert(theirs)
    client.force_login(officer)
    response = client.get("/alerts/")
    assert response.status_code == 200
    assert [row["alert"] for row in response.context["rows"]] == [open_alert]
    html = response.content.decode()
    assert "周大山" in html and "吴小河" not in html
    assert response.context["rows"][0]["days_overdue"] == 5
    assert f'action="/alerts/{open_alert.pk}/resolve/"' in html
    resolved = client.get("/alerts/", {"status": "resolved"}).context["rows"]
    assert [row["alert"].resolution_note for row in resolved] == ["已训诫"]
    assert client.get("/alerts/", {"kind": "intake_overdue"}).context["page"].paginator.count == 0


def test_acknowledge_and_resolve_call_the_services(client, officer, office):
    alert = make_alert(SuperviseeFactory(justice_office=office))
    client.force_login(officer)
    response = client.post(f"/alerts/{alert.pk}/acknowledge/", {"next": "/alerts/?kind=missed_report"})
    assert response.status_code == 302 and response["Location"] == "/alerts/?kind=missed_report"
    alert.refresh_from_db()
    assert alert.status == "acknowledged" and alert.acknowledged_by == officer
    response = client.post(f"/alerts/{alert.pk}/resolve/", {f"alert-{alert.pk}-note": "已电话联系，次日补报"})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.status == "resolved" and alert.resolution_note == "已电话联系，次日补报"


def test_resolve_without_a_note_is_refused_by_the_field(client, officer, office):
    alert = make_alert(SuperviseeFactory(justice_office=office))
    client.force_login(officer)
    response = client.post(f"/alerts/{alert.pk}/resolve/", {f"alert-{alert.pk}-note": "  "})
    assert response.status_code == 400
    form = response.context["rows"][0]["form"]
    assert form.errors["note"] and f'id="id_alert-{alert.pk}-note-errors"' in response.content.decode()
    alert.refresh_from_db()
    assert alert.status == "open"


def test_acknowledging_twice_is_a_conflict_shown_on_the_row(client, officer, office):
    alert = make_alert(SuperviseeFactory(justice_office=office), status="resolved", resolution_note="x")
    client.force_login(officer)
    response = client.post(f"/alerts/{alert.pk}/acknowledge/")
    assert response.status_code == 409


def test_alerts_out_of_scope_are_404_and_read_only_roles_get_403(
    client, officer, other_office_officer, procurator, office
):
    alert = make_alert(SuperviseeFactory(justice_office=office))
    client.force_login(other_office_officer)
    assert client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 404
    assert client.post(f"/alerts/{alert.pk}/resolve/", {f"alert-{alert.pk}-note": "x"}).status_code == 404
    client.force_login(procurator)
    assert client.get("/alerts/").status_code == 200
    assert client.post(f"/alerts/{alert.pk}/acknowledge/").status_code == 403
    alert.refresh_from_db()
    assert alert.status == "open"


@pytest.mark.parametrize("rows", [2, 30])
def test_ledger_runs_a_fixed_number_of_queries(client, officer, office, django_assert_num_queries, rows):
    for _ in range(rows):
        make_alert(SuperviseeFactory(justice_office=office))
    client.force_login(officer)
    # session, user, the header's agency, the count, the page of alerts with their cases and people.
    with django_assert_num_queries(5):
        response = client.get("/alerts/")
    assert len(response.context["rows"]) == rows


def test_supervisor_approves_and_rejects_from_the_queue(client, supervisor, officer, office):
    case = SuperviseeFactory(justice_office=office, name="孙立新")
    leave = make_leave(case, officer, days=10)  # the district's tier
    other = make_leave(SuperviseeFactory(justice_office=office), officer, days=3)
    measure = measure_propose(
        supervisee=case,
        by=officer,
        kind="admonition",
        reason="迟到报到 5 天",
        occurred_on=timezone.localdate(),
    )
    client.force_login(supervisor)
    page = client.get("/approvals/")
    assert page.status_code == 200 and "孙立新" in page.content.decode()
    assert {row["item"] for row in page.context["leave_rows"]} == {leave, other}
    assert client.post(f"/approvals/leave/{leave.pk}/approve/").status_code == 302
    leave.refresh_from_db()
    assert leave.status == "approved" and leave.decided_by == supervisor
    refused = client.post(f"/approvals/leave/{other.pk}/reject/", {f"leave-{other.pk}-note": ""})
    assert refused.status_code == 400
    failed = [row["form"] for row in refused.context["leave_rows"] if row["item"] == other][0]
    assert (
        list(failed.errors) == ["note"]
        and f'id="id_leave-{other.pk}-note-errors"' in refused.content.decode()
    )
    assert LeaveRequest.objects.get(pk=other.pk).status == "pending"
    done = client.post(
        f"/approvals/measures/{measure.pk}/reject/", {f"measure-{measure.pk}-note": "情节轻微"}
    )
    assert done.status_code == 302
    assert Measure.objects.get(pk=measure.pk).status == "rejected"
    assert client.get("/approvals/").context["leave_rows"][0]["item"] == other


def test_approvals_refuse_other_roles_and_out_of_scope(client, officer, other_office_officer, police, office):
    case = SuperviseeFactory(justice_office=office)
    long_leave = make_leave(case, officer, days=10)
    measure = measure_propose(
        supervisee=case, by=officer, kind="admonition", reason="迟到", occurred_on=timezone.localdate()
    )
    client.force_login(police)
    assert client.get("/approvals/").status_code == 403
    client.force_login(other_office_officer)
    assert client.post(f"/approvals/leave/{long_leave.pk}/approve/").status_code == 404
    client.force_login(officer)
    page = client.get("/approvals/")
    assert page.status_code == 200 and 'formaction="/approvals/leave/' not in page.content.decode()
    # The district decides long leave and every measure: the office's officer is refused.
    assert client.post(f"/approvals/leave/{long_leave.pk}/approve/").status_code == 403
    assert client.post(f"/approvals/measures/{measure.pk}/approve/").status_code == 403
    assert LeaveRequest.objects.get(pk=long_leave.pk).status == "pending"


@pytest.mark.parametrize("rows", [1, 12])
def test_approvals_run_a_fixed_number_of_queries(
    client, supervisor, officer, office, django_assert_num_queries, rows
):
    for _ in range(rows):
        case = SuperviseeFactory(justice_office=office)
        make_leave(case, officer)
        measure_propose(
            supervisee=case, by=officer, kind="warning", reason="x", occurred_on=timezone.localdate()
        )
        positioning_order_propose(
            supervisee=case,
            by=officer,
            ground="left_without_approval",
            start_date=timezone.localdate(),
            end_date=timezone.localdate() + dt.timedelta(days=30),
            reason="未经批准外出",
        )
        leave_permit_propose(
            supervisee=case,
            by=officer,
            reason_code="work",
            details="每周往返济南送货",
            places=["370102"],
            start_date=timezone.localdate(),
            end_date=timezone.localdate() + dt.timedelta(days=30),
        )
    client.force_login(supervisor)
    # session, user, the header's agency, the pending leave, the proposed measures, the proposed
    # electronic positioning, the proposed standing permits (cases joined), the office's proper reasons
    # for leave (CCL 27: their names, once).
    with django_assert_num_queries(8):
        response = client.get("/approvals/")
    assert len(response.context["leave_rows"]) == rows == len(response.context["measure_rows"])
    assert len(response.context["positioning_rows"]) == rows == len(response.context["permit_rows"])


def test_the_approvals_page_keeps_the_asker_from_deciding(
    client, officer, colleague, supervisor, bureau, office
):
    # Separation of duties: the officer who recorded a short leave and the supervisor who proposed a
    # measure see no buttons for them, and a post anyway is 403 saying why.
    case = SuperviseeFactory(justice_office=office)
    leave = make_leave(case, officer, days=3)
    client.force_login(officer)
    page = client.get("/approvals/")
    assert f'formaction="/approvals/leave/{leave.pk}/' not in page.content.decode()
    assert "Recorded by you" in page.content.decode()
    refused = client.post(f"/approvals/leave/{leave.pk}/approve/")
    assert refused.status_code == 403 and "You recorded this leave request" in refused.content.decode()
    assert LeaveRequest.objects.get(pk=leave.pk).status == "pending"
    client.force_login(colleague)
    assert f'formaction="/approvals/leave/{leave.pk}/' in client.get("/approvals/").content.decode()
    assert client.post(f"/approvals/leave/{leave.pk}/approve/").status_code == 302
    assert LeaveRequest.objects.get(pk=leave.pk).decided_by == colleague

    measure = measure_propose(
        supervisee=case, by=supervisor, kind="admonition", reason="迟到", occurred_on=timezone.localdate()
    )
    client.force_login(supervisor)
    assert "Proposed by you" in client.get("/approvals/").content.decode()
    refused = client.post(f"/approvals/measures/{measure.pk}/approve/")
    assert refused.status_code == 403 and "You proposed this measure" in refused.content.decode()
    other = UserFactory(username="t_supervisor2", role="justice_supervisor", agency=bureau)
    client.force_login(other)
    assert client.post(f"/approvals/measures/{measure.pk}/approve/").status_code == 302
    assert Measure.objects.get(pk=measure.pk).decided_by == other
