"""Leave by the law (CCL 27 para. 1), each rule at its boundaries: a proper reason from the office's list
(data), a destination outside the county of residence (else no leave is needed, and the message says
so), asked the office's notice days ahead (3 by default) unless urgent with why, the standing cross-city
permit (its period and places), the return (a late one noted once), and the city level's notice to the
procuratorate."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from accounts.models import AuditEvent
from config.api import StateConflict
from documents.models import Document, Notice
from supervision.constants import ApprovalLevel, LeaveStatus, PermitStatus
from supervision.models import LeaveReason, LeaveRequest, LeaveRule
from supervision.rules import leave_reasons_for
from supervision.services.leave import (
    leave_permit_approve,
    leave_permit_propose,
    leave_permit_reject,
    leave_request_approve,
    leave_request_create,
    leave_request_return,
)
from supervision.sweep import sweep_run
from supervision.timeline import leave_events
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db

JINAN_LIXIA = "370102"
JINAN_SHIZHONG = "370103"
XUECHENG = "370403"  # the fixtures' district: where the case lives


def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def case(office, officer):
    return SuperviseeFactory(justice_office=office, officer=officer)


@pytest.fixture
def other_supervisor(bureau):
    return UserFactory(username="t_supervisor_2", role="justice_supervisor", agency=bureau)


def ask(case, by, *, start_in=3, days=3, code=JINAN_LIXIA, reason_code="family", **more) -> LeaveRequest:
    start = today() + dt.timedelta(days=start_in)
    return leave_request_create(
        supervisee=case,
        by=by,
        destination="济南市",
        destination_code=code,
        reason_code=reason_code,
        reason="探望住院的父亲",
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        **more,
    )


def refused(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


# --- Proper reasons (data) ------------------------------------------------------------------------


def test_the_default_reasons_are_data_in_both_languages(district):
    reasons = leave_reasons_for(district_id=district.pk, on=today())
    assert [r.code for r in reasons] == ["medical", "study", "litigation", "family", "work"]
    with translation.override("zh-hans"):
        assert reasons[0].label == "就医"
    with translation.override("en"):
        assert reasons[0].label == "Medical treatment"


def test_leave_without_a_proper_reason_is_refused_naming_the_article(case, officer):
    for code in ("", "holiday"):
        errors = refused(lambda code=code: ask(case, officer, reason_code=code))
        assert "Community Correction Law art. 27 para. 1" in errors["reason_code"][0]
        assert "Medical treatment" in errors["reason_code"][0]
    assert not LeaveRequest.objects.exists()


def test_a_district_adds_a_reason_and_withdraws_one_from_a_date(case, officer, district):
    LeaveReason.objects.create(
        district=district, code="holiday", name_zh="探亲休假", name_en="Holiday", effective_from=today()
    )
    LeaveReason.objects.create(
        district=district,
        code="study",
        name_zh="就学",
        name_en="Study",
        active=False,
        effective_from=today(),
    )
    assert ask(case, officer, reason_code="holiday").reason_code == "holiday"
    assert "reason_code" in refused(lambda: ask(case, officer, start_in=10, reason_code="study"))


# --- The destination (CCL 27: leaving the city or county of residence) ------------------------------


def test_a_destination_in_the_county_of_residence_needs_no_leave_and_says_so(case, officer):
    errors = refused(lambda: ask(case, officer, code=XUECHENG))
    assert errors["destination_code"][0].startswith("No leave is needed")
    assert "Community Correction Law art. 27 para. 1" in errors["destination_code"][0]
    with translation.override("zh-hans"):
        errors = refused(lambda: ask(case, officer, code=XUECHENG))
    assert (
        "无需请假" in errors["destination_code"][0]
        and "《社区矫正法》第二十七条第一款" in errors["destination_code"][0]
    )
    assert not LeaveRequest.objects.exists()


@pytest.mark.parametrize("code", ["", "3701", "370100", "ABCDEF", "3701021"])
def test_the_destination_is_a_county_level_division_code(case, officer, code):
    assert "destination_code" in refused(lambda: ask(case, officer, code=code))


def test_a_destination_in_another_county_is_recorded(case, officer):
    leave = ask(case, officer, code=JINAN_LIXIA)
    assert (leave.destination_code, leave.status) == (JINAN_LIXIA, LeaveStatus.PENDING)


# --- Asked ahead unless urgent ----------------------------------------------------------------------


def test_exactly_three_days_ahead_is_enough_and_two_is_refused(case, officer):
    errors = refused(lambda: ask(case, officer, start_in=2))
    assert "at least 3 days ahead" in errors["start_date"][0]
    assert (today() + dt.timedelta(days=3)).isoformat() in errors["start_date"][0]
    assert ask(case, officer, start_in=3).start_date == today() + dt.timedelta(days=3)


def test_urgent_leave_may_start_sooner_with_its_reason(case, officer):
    leave = ask(case, officer, start_in=0, urgent=True, urgent_reason="父亲突发疾病住院")
    assert (leave.urgent, leave.urgent_reason) == (True, "父亲突发疾病住院")


def test_urgent_leave_without_its_reason_is_refused(case, officer):
    errors = refused(lambda: ask(case, officer, start_in=1, urgent=True, urgent_reason="  "))
    assert set(errors) == {"urgent_reason"}
    # Urgent without a reason is refused even when the dates alone would do.
    assert "urgent_reason" in refused(lambda: ask(case, officer, start_in=5, urgent=True))


def test_the_notice_days_are_the_office_data(case, officer, district):
    LeaveRule.objects.create(district=district, notice_days=5, effective_from=today())
    assert "at least 5 days ahead" in refused(lambda: ask(case, officer, start_in=4))["start_date"][0]
    assert ask(case, officer, start_in=5).start_date == today() + dt.timedelta(days=5)


def test_a_refusal_is_audited_nowhere_and_writes_nothing(case, officer):
    refused(lambda: ask(case, officer, start_in=2, code=XUECHENG, reason_code="holiday"))
    assert not LeaveRequest.objects.exists()
    assert not AuditEvent.objects.filter(target_type="supervision.leaverequest").exists()


# --- The standing cross-city permit -------------------------------------------------------------------


def propose(case, by, *, places=(JINAN_LIXIA, JINAN_SHIZHONG), start_in=0, days=90):
    start = today() + dt.timedelta(days=start_in)
    return leave_permit_propose(
        supervisee=case,
        by=by,
        reason_code="work",
        details="每周往返济南送货",
        places=list(places),
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
    )


def test_a_permit_is_approved_by_a_supervisor_who_did_not_propose_it(
    case, officer, supervisor, other_supervisor
):
    permit = propose(case, supervisor)
    with pytest.raises(PermissionDenied):
        leave_permit_approve(permit=permit, by=supervisor)
    with pytest.raises(PermissionDenied):
        leave_permit_approve(permit=permit, by=officer)
    approved = leave_permit_approve(permit=permit, by=other_supervisor)
    assert (approved.status, approved.decided_by) == (PermitStatus.APPROVED, other_supervisor)
    with pytest.raises(StateConflict):
        leave_permit_reject(permit=approved, by=other_supervisor, note="重复")
    assert AuditEvent.objects.filter(target_type="supervision.leavepermit", action="transition").count() == 1


def test_a_permit_needs_places_outside_the_county_and_a_proper_reason(case, officer):
    errors = refused(lambda: propose(case, officer, places=[XUECHENG]))
    assert "No leave is needed" in errors["places"][0]
    assert "places" in refused(lambda: propose(case, officer, places=[]))
    with pytest.raises(ValidationError) as error:
        leave_permit_propose(
            supervisee=case,
            by=officer,
            reason_code="holiday",
            details="",
            places=[JINAN_LIXIA],
            start_date=today(),
            end_date=today() - dt.timedelta(days=1),
        )
    assert set(error.value.message_dict) == {"reason_code", "details", "end_date"}


def test_leave_within_the_permit_places_and_period_is_approved_naming_it(case, officer, supervisor):
    permit = leave_permit_approve(permit=propose(case, officer, start_in=0, days=30), by=supervisor)
    # Tomorrow (no notice days under a permit), to one of its places, ending on its last day.
    leave = ask(case, officer, start_in=1, days=29, code=JINAN_SHIZHONG)
    assert (leave.status, leave.permit, leave.decided_by) == (LeaveStatus.APPROVED, permit, supervisor)
    assert f"{permit.pk}" in leave.decision_note
    assert Document.objects.filter(kind="leave_approval", source_id=str(leave.pk)).count() == 1


@pytest.mark.parametrize(
    ("start_in", "days", "code"),
    [
        (1, 30, JINAN_LIXIA),  # one day past the permit's last day
        (1, 3, "371302"),  # a place the permit does not list
    ],
)
def test_leave_outside_the_permit_follows_the_usual_route(case, officer, supervisor, start_in, days, code):
    leave_permit_approve(permit=propose(case, officer, start_in=0, days=30), by=supervisor)
    # Outside it, the notice days apply again ...
    assert "start_date" in refused(lambda: ask(case, officer, start_in=start_in, days=days, code=code))
    # ... and the leave waits for a decision.
    leave = ask(case, officer, start_in=start_in, days=days, code=code, urgent=True, urgent_reason="急事")
    assert (leave.status, leave.permit) == (LeaveStatus.PENDING, None)


def test_a_permit_not_approved_covers_nothing(case, officer, supervisor):
    permit = propose(case, officer)
    assert ask(case, officer, start_in=3).status == LeaveStatus.PENDING
    leave_permit_reject(permit=permit, by=supervisor, note="往来频次不足")
    assert ask(case, officer, start_in=10).permit is None


def test_city_level_leave_is_never_covered_by_a_permit(agencies, case, officer, supervisor):
    leave_permit_approve(permit=propose(case, officer, start_in=0, days=90), by=supervisor)
    leave = ask(case, officer, start_in=3, days=31)
    assert (leave.status, leave.approval_level, leave.permit) == (
        LeaveStatus.PENDING,
        ApprovalLevel.CITY,
        None,
    )


# --- City level: the notice to the procuratorate ----------------------------------------------------


def test_city_level_leave_writes_its_notice_to_the_procuratorate(agencies, case, officer, supervisor):
    leave = ask(case, officer, days=31)
    assert (leave.approval_level, leave.notify_procuratorate) == (ApprovalLevel.CITY, True)
    assert not Notice.objects.exists()
    leave_request_approve(leave=leave, by=supervisor, note="枣司矫〔2026〕12号")
    notice = Notice.objects.get(kind="leave_city_level")
    assert notice.to_agency == agencies["procuratorate"]
    assert notice.document.kind == "leave_approval"


def test_leave_below_the_city_level_sends_no_notice(agencies, case, officer, supervisor):
    leave_request_approve(leave=ask(case, officer, days=30), by=supervisor)
    assert not Notice.objects.filter(kind="leave_city_level").exists()


# --- The return -------------------------------------------------------------------------------------


def test_a_late_return_is_noted_once(case, officer, colleague, clock):
    leave = ask(case, officer, start_in=3, days=3)
    leave_request_approve(leave=leave, by=colleague)
    # Two days after the last day: the sweep raises one alert however often it runs.
    clock.shift(dt.timedelta(days=7))
    for _ in range(2):
        sweep_run(as_of=today())
    assert leave.supervisee.alerts.filter(kind="leave_overdue").count() == 1
    returned = leave_request_return(leave=leave, by=officer, returned_on=today())
    assert returned.late_days == 2
    with pytest.raises(StateConflict):
        leave_request_return(leave=leave, by=officer, returned_on=today())
    notes = [
        row.changes["note"]
        for row in AuditEvent.objects.filter(target_type="supervision.leaverequest", target_id=str(leave.pk))
        if "note" in row.changes
    ]
    assert notes == [f"Back 2 days late: the leave ended on {leave.end_date.isoformat()}."]
    [event] = leave_events(leave.supervisee, 10)
    assert event.summary.endswith("back 2 days late") and event.details["late_days"] == 2


def test_a_return_on_the_last_day_is_not_late(case, officer, colleague, clock):
    leave = ask(case, officer, start_in=3, days=3)
    leave_request_approve(leave=leave, by=colleague)
    clock.shift(dt.timedelta(days=5))
    returned = leave_request_return(leave=leave, by=officer, returned_on=today())
    assert returned.returned_on == leave.end_date and returned.late_days == 0
    assert not any(
        "note" in row.changes
        for row in AuditEvent.objects.filter(target_type="supervision.leaverequest", target_id=str(leave.pk))
    )


# --- The API ----------------------------------------------------------------------------------------


def test_the_api_lists_the_reasons_and_refuses_leave_in_the_county_naming_the_field(api_as, officer, case):
    client = api_as(officer)
    reasons = client.get("/api/v1/leave-reasons/", HTTP_ACCEPT_LANGUAGE="zh-hans").json()
    assert [r["code"] for r in reasons][:2] == ["medical", "study"] and reasons[0]["label"] == "就医"
    body = {
        "supervisee": case.pk,
        "destination": "薛城区",
        "destination_code": XUECHENG,
        "reason_code": "holiday",
        "reason": "探亲",
        "start_date": (today() + dt.timedelta(days=2)).isoformat(),
        "end_date": (today() + dt.timedelta(days=3)).isoformat(),
    }
    response = client.post("/api/v1/leave-requests/", body, format="json")
    assert response.status_code == 400
    assert set(response.json()) >= {"destination_code", "reason_code", "start_date"}
    assert response.json()["destination_code"][0].startswith("No leave is needed")
    assert not LeaveRequest.objects.exists()


def test_a_permit_through_the_api_then_leave_within_it(api_as, officer, supervisor, other_supervisor, case):
    body = {
        "supervisee": case.pk,
        "reason_code": "work",
        "details": "每周往返济南送货",
        "places": [JINAN_LIXIA],
        "start_date": today().isoformat(),
        "end_date": (today() + dt.timedelta(days=30)).isoformat(),
    }
    response = api_as(supervisor).post("/api/v1/leave-permits/", body, format="json")
    assert response.status_code == 201, response.json()
    permit = response.json()
    assert (permit["status"], permit["places"], permit["proposed_by"]) == (
        "proposed",
        [JINAN_LIXIA],
        "t_supervisor",
    )
    url = f"/api/v1/leave-permits/{permit['id']}/"
    assert api_as(supervisor).post(url + "approve/", {}, format="json").status_code == 403  # the proposer
    assert api_as(officer).post(url + "approve/", {}, format="json").status_code == 403  # not a supervisor
    approved = api_as(other_supervisor).post(url + "approve/", {}, format="json")
    assert approved.status_code == 200 and approved.json()["decided_by"] == "t_supervisor_2"
    leave = api_as(officer).post(
        "/api/v1/leave-requests/",
        {
            "supervisee": case.pk,
            "destination": "济南市历下区",
            "destination_code": JINAN_LIXIA,
            "reason_code": "work",
            "reason": "送货",
            "start_date": (today() + dt.timedelta(days=1)).isoformat(),
            "end_date": (today() + dt.timedelta(days=2)).isoformat(),
        },
        format="json",
    )
    assert leave.status_code == 201, leave.json()
    assert (leave.json()["status"], leave.json()["permit"]) == ("approved", permit["id"])


def test_city_level_leave_is_not_approved_when_its_notice_cannot_go(case, officer, supervisor):
    # No procuratorate on record for the district (no `agencies` fixture): nothing is half-saved.
    leave = ask(case, officer, days=31)
    with pytest.raises(StateConflict) as error:
        leave_request_approve(leave=leave, by=supervisor, note="枣司矫〔2026〕12号")
    assert "procuratorate" in str(error.value.message)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING
    assert not Document.objects.exists() and not Notice.objects.exists()
