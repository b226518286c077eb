"""The alert ledger (/alerts/) and the approval queue (/approvals/): scoped, acting through the
services, refusals shown by the field, a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import AuditEvent
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
    # session, user, the header's agency, the count, the page of alerts with their cases, offices and
    # people, the offices and the officers to filter by (one query, caseload_filter_choices).
    with django_assert_num_queries(6):
        response = client.get("/alerts/")
    assert len(response.context["rows"]) == rows


@pytest.mark.parametrize("rows", [3, 30])
def test_supervisors_ledger_runs_a_fixed_number_of_queries(
    client, supervisor, office, other_office, django_assert_num_queries, rows
):
    # The district's ledger (issue 14's alerts page): cases of two offices, one alert of each kind that
    # needs action and one resolved (not listed by default).
    for n in range(rows):
        case = SuperviseeFactory(justice_office=(office, other_office)[n % 2])
        make_alert(case, days_ago=n - 5, status=("open", "acknowledged")[n % 2])
    make_alert(SuperviseeFactory(justice_office=office), status="resolved", resolution_note="已处理")
    client.force_login(supervisor)
    # session, user, the header's agency, the count, the page of alerts with their cases, offices and
    # people, the offices and the officers to filter by: as the officer's.
    with django_assert_num_queries(6):
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


def test_a_report_missed_21_days_ago_is_on_page_1_above_every_term_ending_alert(client, officer, office):
    # Issue 13 (triage): the ledger sorted by due date latest first filled page 1 with periods ending and
    # left a report missed three weeks ago at the bottom of the last page.
    cases = [SuperviseeFactory(justice_office=office) for _ in range(10)]
    for days_ahead in range(1, 2 * 50 + 10):  # more than two pages of periods ending
        make_alert(cases[days_ahead % 10], kind="term_ending", days_ago=-days_ahead)
    missed = make_alert(SuperviseeFactory(justice_office=office, name="钱晓东"), days_ago=21)
    recent = make_alert(SuperviseeFactory(justice_office=office), days_ago=2)
    due_today = make_alert(SuperviseeFactory(justice_office=office), kind="intake_overdue", days_ago=0)
    client.force_login(officer)
    response = client.get("/alerts/")
    rows = response.context["rows"]
    assert response.context["page"].paginator.num_pages == 3
    assert [row["alert"] for row in rows[:3]] == [missed, recent, due_today]
    assert all(row["alert"].kind == "term_ending" for row in rows[3:])
    # Urgency in words and an icon, not colour alone.
    assert rows[0]["urgency"] == {"class": "overdue", "icon": "⚠", "words": "Overdue by 21 days"}
    assert rows[2]["urgency"]["words"] == "Due today"
    html = response.content.decode()
    first_term_ending = rows[3]["alert"]
    assert html.index(f'id="alert-{missed.pk}"') < html.index(f'id="alert-{first_term_ending.pk}"')
    assert "Overdue by 21 days" in html
    zh = client.get("/alerts/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "逾期 21 天" in zh


def test_the_ledger_filters_by_office_and_officer(client, supervisor, office, other_office, officer):
    here = make_alert(SuperviseeFactory(justice_office=office, officer=officer, name="周大山"))
    there = make_alert(SuperviseeFactory(justice_office=other_office, name="吴小河"))
    client.force_login(supervisor)
    page = client.get("/alerts/")
    assert {row["alert"] for row in page.context["rows"]} == {here, there}
    assert [name for _pk, name in page.context["offices"]] == sorted([office.name, other_office.name])
    assert page.context["officers"] == [(officer.username, officer.get_full_name() or officer.username)]

    def shown(**filters):
        return [row["alert"] for row in client.get("/alerts/", filters).context["rows"]]

    assert shown(justice_office=other_office.pk) == [there]
    assert shown(officer=officer.username) == [here]
    assert client.get("/alerts/", {"justice_office": "x"}).status_code == 400


def test_a_refused_resolve_can_be_corrected_and_sent_again(client, officer, office):
    # Issue 13: after an empty note, the page was rendered at /alerts/<id>/resolve/ and its forms (the
    # filter's, the pager's and "next") pointed there: the corrected resubmission ended on a 405.
    alert = make_alert(SuperviseeFactory(justice_office=office))
    client.force_login(officer)
    ledger = "/alerts/?kind=missed_report"
    refused = client.post(f"/alerts/{alert.pk}/resolve/", {f"alert-{alert.pk}-note": "", "next": ledger})
    assert refused.status_code == 400
    html = refused.content.decode()
    assert f'name="next" value="{ledger}"' in html and 'action="/alerts/"' in html
    assert refused.context["filters"]["kind"] == "missed_report"
    again = client.post(
        f"/alerts/{alert.pk}/resolve/", {f"alert-{alert.pk}-note": "已电话联系", "next": ledger}, follow=True
    )
    assert again.status_code == 200 and again.redirect_chain == [(ledger, 302)]
    alert.refresh_from_db()
    assert alert.status == "resolved"


def test_bulk_acknowledge_acknowledges_each_and_audits_each(client, officer, office):
    first = make_alert(SuperviseeFactory(justice_office=office))
    second = make_alert(SuperviseeFactory(justice_office=office), kind="term_ending", days_ago=-10)
    untouched = make_alert(SuperviseeFactory(justice_office=office))
    client.force_login(officer)
    page = client.get("/alerts/").content.decode()
    assert 'form="bulk-acknowledge"' in page and 'action="/alerts/acknowledge/"' in page
    before = AuditEvent.objects.count()
    response = client.post("/alerts/acknowledge/", {"alert": [first.pk, second.pk], "next": "/alerts/?kind="})
    assert response.status_code == 302 and response["Location"] == "/alerts/?kind="
    for alert in (first, second):
        alert.refresh_from_db()
        assert alert.status == "acknowledged" and alert.acknowledged_by == officer
    untouched.refresh_from_db()
    assert untouched.status == "open"
    audits = AuditEvent.objects.order_by("id")[before:]
    assert sorted(int(event.target_id) for event in audits if event.target_type == "supervision.alert") == [
        first.pk,
        second.pk,
    ]


def test_bulk_acknowledge_is_all_or_nothing(client, officer, office, other_office):
    fresh = make_alert(SuperviseeFactory(justice_office=office))
    done = make_alert(SuperviseeFactory(justice_office=office), status="acknowledged")
    theirs = make_alert(SuperviseeFactory(justice_office=other_office))
    client.force_login(officer)
    before = AuditEvent.objects.count()
    conflict = client.post("/alerts/acknowledge/", {"alert": [fresh.pk, done.pk]})
    assert conflict.status_code == 409 and "Nothing was acknowledged" in conflict.content.decode()
    assert client.post("/alerts/acknowledge/", {"alert": [fresh.pk, theirs.pk]}).status_code == 404
    empty = client.post("/alerts/acknowledge/", {})
    assert empty.status_code == 400 and "Choose at least one alert" in empty.content.decode()
    assert client.post("/alerts/acknowledge/", {"alert": ["x"]}).status_code == 400
    fresh.refresh_from_db()
    assert fresh.status == "open" and AuditEvent.objects.count() == before
