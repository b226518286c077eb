"""The case page's forms beyond the quick log: leave requests, measure proposals, the suggestions drawn
from the record, and the correction team (CCL 25). Each is a panel for those who may act on the case and
a POST calling one service; a refusal keeps what was typed and names the field; read-only roles get no
form and 403 on POST; out of scope is 404."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from accounts.constants import Role
from accounts.models import AuditEvent
from corrections.models import CorrectionTeamMember, Prohibition
from supervision.constants import LeaveStatus, MeasureKind
from supervision.models import LeavePermit, LeaveRequest, Measure, PositioningOrder, ProhibitionViolation
from supervision.services.measures import measure_approve, measure_propose
from tests.factories import CheckInFactory, SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db


def today() -> dt.date:
    return timezone.localdate()


def days(n: int) -> str:
    return (today() + dt.timedelta(days=n)).isoformat()


@pytest.fixture
def case(office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer, intake_date=dt.date(2026, 1, 15))
    CheckInFactory(supervisee=case, on=today())  # reported today: nothing late to suggest
    return case


def page(client, case) -> str:
    return client.get(f"/supervisees/{case.pk}/").content.decode()


# Leave.


@translation.override("en")
def test_an_officer_requests_leave_and_is_told_the_approval_level(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/leave/",
        {
            "leave-destination": "济南市历下区",
            "leave-destination_code": "370102",
            "leave-reason_code": "medical",
            "leave-reason": "探望住院的母亲",
            "leave-start_date": days(3),
            "leave-end_date": days(7),
        },
        follow=True,
    )
    leave = LeaveRequest.objects.get()
    assert (leave.status, leave.approval_level, leave.requested_by) == (
        LeaveStatus.PENDING,
        "justice_office",
        officer,
    )
    assert response.redirect_chain[-1][0].endswith(f"#leave-{leave.pk}")
    html = response.content.decode()
    assert "Leave of 5 days requested. Approval level: Justice office." in html
    assert f'id="leave-{leave.pk}"' in html  # on the timeline


@translation.override("en")
def test_longer_leave_names_the_district_level(client, supervisor, case):
    client.force_login(supervisor)
    response = client.post(
        f"/supervisees/{case.pk}/leave/",
        {
            "leave-destination": "上海",
            "leave-destination_code": "310101",
            "leave-reason_code": "work",
            "leave-reason": "务工",
            "leave-start_date": days(1),
            "leave-end_date": days(20),
            "leave-urgent": "on",
            "leave-urgent_reason": "工地临时通知",
        },
        follow=True,
    )
    assert "Approval level: District institution." in response.content.decode()


def test_a_refused_leave_keeps_what_was_typed_and_names_the_field(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/leave/",
        {
            "leave-destination": "枣庄市市中区",
            "leave-reason": "",
            "leave-start_date": days(3),
            "leave-end_date": days(1),
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_leave-reason-errors"' in html and 'id="id_leave-end_date-errors"' in html
    assert 'value="枣庄市市中区"' in html and f'value="{days(3)}"' in html
    assert not LeaveRequest.objects.exists()


def test_a_missing_date_is_named_by_its_field(client, officer, case):
    client.force_login(officer)
    response = client.post(f"/supervisees/{case.pk}/leave/", {"leave-destination": "济南"})
    assert response.status_code == 400 and 'id="id_leave-start_date-errors"' in response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_leave_form_offers_the_reasons_and_names_each_broken_rule(client, officer, case, language):
    client.force_login(officer)
    with translation.override(language):
        html = client.get(f"/supervisees/{case.pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert 'name="leave-urgent"' in html and 'name="leave-urgent_reason"' in html
        assert 'name="leave-destination_code"' in html
        medical = "就医" if language == "zh-hans" else "Medical treatment"
        assert f'value="medical">{medical}' in html
        response = client.post(
            f"/supervisees/{case.pk}/leave/",
            {
                "leave-destination": "薛城区",
                "leave-destination_code": "370403",  # the county of residence
                "leave-reason": "探亲",
                "leave-start_date": days(1),
                "leave-end_date": days(2),
                "leave-urgent": "on",
            },
            HTTP_ACCEPT_LANGUAGE=language,
        )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("destination_code", "reason_code", "urgent_reason"):
        assert f'id="id_leave-{field}-errors"' in html
    if language == "zh-hans":
        assert "无需请假" in html and "《社区矫正法》第二十七条第一款" in html
    else:
        assert "No leave is needed" in html and "Community Correction Law art. 27 para. 1" in html
    assert not LeaveRequest.objects.exists()


def test_a_permit_is_proposed_on_the_case_page_and_decided_on_the_approvals_page(
    client, officer, supervisor, case
):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/leave-permits/",
        {
            "permit-reason_code": "work",
            "permit-details": "每周往返济南送货",
            "permit-places": "370102，370103",
            "permit-start_date": days(0),
            "permit-end_date": days(60),
        },
    )
    assert response.status_code == 302
    permit = LeavePermit.objects.get()
    assert permit.places == ["370102", "370103"] and permit.status == "proposed"
    client.force_login(supervisor)
    assert f'id="permit-{permit.pk}"' in client.get("/approvals/").content.decode()
    client.post(f"/approvals/leave-permits/{permit.pk}/approve/", {f"permit-{permit.pk}-note": ""})
    permit.refresh_from_db()
    assert (permit.status, permit.decided_by) == ("approved", supervisor)


def test_a_refused_permit_names_its_fields(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/leave-permits/",
        {"permit-places": "370403", "permit-start_date": days(0), "permit-end_date": days(60)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    for field in ("places", "reason_code", "details"):
        assert f'id="id_permit-{field}-errors"' in html
    assert not LeavePermit.objects.exists()


# Measures.


def test_an_officer_proposes_an_admonition_and_sees_it_on_the_timeline(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/measures/",
        {
            "measure-kind": "admonition",
            "measure-occurred_on": days(-2),
            "measure-reason": "未按规定时间报到，迟到3天",
            "measure-evidence": "报到登记表",
        },
    )
    measure = Measure.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#measure-{measure.pk}")
    assert (measure.kind, measure.status, measure.evidence) == ("admonition", "proposed", "报到登记表")
    assert AuditEvent.objects.filter(target_type="supervision.measure", action="create").count() == 1
    assert f'id="measure-{measure.pk}"' in page(client, case)


def test_a_refused_measure_keeps_what_was_typed(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/measures/",
        {
            "measure-kind": "warning",
            "measure-occurred_on": days(2),
            "measure-reason": "",
            "measure-evidence": "谈话笔录",
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_measure-occurred_on-errors"' in html and 'id="id_measure-reason-errors"' in html
    assert "谈话笔录" in html and '<option value="warning" selected>' in html
    assert not Measure.objects.exists()


# Read-only roles, scope, closed cases.


FORMS = (
    'action="/supervisees/{pk}/leave/"',
    'action="/supervisees/{pk}/measures/"',
    'action="/supervisees/{pk}/team/"',
)
POSTS = {
    "leave": {
        "leave-destination": "济南",
        "leave-destination_code": "370102",
        "leave-reason_code": "family",
        "leave-reason": "探亲",
        "leave-start_date": days(1),
        "leave-end_date": days(2),
    },
    "measures": {"measure-kind": "admonition", "measure-occurred_on": days(-1), "measure-reason": "迟到"},
    "team": {"team-role": "family", "team-name": "张母"},
}


def test_the_procurator_sees_no_form_and_is_refused_on_post(client, procurator, case):
    client.force_login(procurator)
    html = page(client, case)
    assert "readonly" in html
    for form in FORMS:
        assert form.format(pk=case.pk) not in html
    for path, data in POSTS.items():
        assert client.post(f"/supervisees/{case.pk}/{path}/", data).status_code == 403
    assert not (
        LeaveRequest.objects.exists() or Measure.objects.exists() or CorrectionTeamMember.objects.exists()
    )


def test_the_forms_are_there_for_the_officer_and_the_supervisor(client, officer, supervisor, case):
    for user in (officer, supervisor):
        client.force_login(user)
        html = page(client, case)
        for form in FORMS:
            assert form.format(pk=case.pk) in html


def test_another_office_gets_404(client, other_office_officer, case):
    client.force_login(other_office_officer)
    for path, data in POSTS.items():
        assert client.post(f"/supervisees/{case.pk}/{path}/", data).status_code == 404


def test_a_case_out_of_contact_takes_measures_but_not_leave(client, officer, office):
    case = SuperviseeFactory(justice_office=office, officer=officer, status="absconded")
    client.force_login(officer)
    html = page(client, case)
    assert f'action="/supervisees/{case.pk}/measures/"' in html
    assert f'action="/supervisees/{case.pk}/leave/"' not in html
    assert client.post(f"/supervisees/{case.pk}/leave/", POSTS["leave"]).status_code == 409


# Suggestions.


@translation.override("en")
def test_suggestions_are_a_highlighted_note_for_those_who_act(client, officer, supervisor, procurator, case):
    for _ in range(2):
        measure = measure_propose(
            supervisee=case, by=officer, kind=MeasureKind.WARNING, reason="失联", occurred_on=today()
        )
        measure_approve(measure=measure, by=supervisor)
    client.force_login(officer)
    html = page(client, case)
    assert 'id="suggestions"' in html and "consider proposing that the court revoke probation" in html
    assert "The software suggests; a person decides." in html
    client.force_login(procurator)
    assert 'id="suggestions"' not in page(client, case)


def test_no_suggestion_no_note(client, officer, case):
    client.force_login(officer)
    assert 'id="suggestions"' not in page(client, case)


# The correction team.


@translation.override("en")
def test_the_team_shows_the_unmet_requirements(client, officer, procurator, office):
    case = SuperviseeFactory(justice_office=office, officer=officer, gender="female")
    CorrectionTeamMember.objects.create(
        supervisee=case, name="李警官", role="officer", user=officer, gender="male", joined_on=today()
    )
    for user in (officer, procurator):
        client.force_login(user)
        html = page(client, case)
        assert 'id="team"' in html and "李警官" in html
        assert "must include a woman" in html and "at least one member besides the officer" in html


def test_an_officer_adds_a_member_and_removes_one(client, officer, office, case):
    worker = UserFactory(
        username="sw_li", role=Role.SOCIAL_WORKER, agency=office, first_name="丽", last_name="王"
    )
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/team/",
        {"team-role": "social_worker", "team-user": worker.pk, "team-gender": "female"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#team")
    member = CorrectionTeamMember.objects.get()
    assert (member.user, member.name, member.left_on) == (worker, "王丽", None)
    assert worker.has_perm("corrections.view_supervisee", case)  # granted by the service
    response = client.post(f"/supervisees/{case.pk}/team/{member.pk}/remove/")
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.left_on == today()
    # Removing twice is a conflict, said on the page.
    assert client.post(f"/supervisees/{case.pk}/team/{member.pk}/remove/").status_code == 409


def test_a_refused_member_keeps_what_was_typed(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/team/", {"team-role": "family", "team-name": "", "team-phone": "13800000000"}
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_team-name-errors"' in html and 'value="13800000000"' in html
    assert not CorrectionTeamMember.objects.exists()


def test_removing_a_member_of_another_case_is_404(client, officer, office, case):
    other = SuperviseeFactory(justice_office=office)
    member = CorrectionTeamMember.objects.create(
        supervisee=other, name="赵", role="family", joined_on=today()
    )
    client.force_login(officer)
    assert client.post(f"/supervisees/{case.pk}/team/{member.pk}/remove/").status_code == 404


@pytest.mark.parametrize("members", [1, 8])
def test_the_case_page_with_every_panel_runs_a_fixed_number_of_queries(
    client, officer, case, django_assert_max_num_queries, members
):
    prohibition = Prohibition.objects.create(sentence=case.sentence, content="禁止进入酒吧", kind="places")
    for n in range(members):
        CorrectionTeamMember.objects.create(
            supervisee=case, name=f"成员{n}", role="family", joined_on=today()
        )
        ProhibitionViolation.objects.create(
            supervisee=case,
            prohibition=prohibition,
            occurred_on=today(),
            description="进入酒吧",
            recorded_by=officer,
        )
        # Past orders, each approved, one after the other.
        start = today() - dt.timedelta(days=40 * (n + 1))
        PositioningOrder.objects.create(
            supervisee=case,
            ground="left_without_approval",
            reason="未经批准外出",
            start_date=start,
            end_date=start + dt.timedelta(days=30),
            status="approved",
            proposed_by=officer,
            decided_by=officer,
            decided_on=start,
        )
    client.force_login(officer)
    # Session, user, agency; the case, its prohibitions and the audited read; the team; the suggestions'
    # rule and measures; the timeline sources; the referral form's addressees and the team's accounts;
    # the reporting rules in force and the case's next report due (supervision.duties, once: the
    # lateness suggestions reuse it), and their check for a measure since the due day; the documents;
    # the release form's blocks (a pending proposal) and the intake's checklist (workspace.lifecycle);
    # the violations (of the violation form and of the positioning form); the positioning orders and
    # their decisions; the proper reasons for leave (once for both leave forms), the case's standing
    # permits and their timeline source (twelve sources in all); the arrest requests on the case's
    # revocation proposals (coordination, CCL 47); social forces (community): the activities panel, the
    # needs and their providers, two timeline sources (participations, needs) and the monthly hours of
    # the header (the rules and the case, for last month and this one: four); the transfer panel (the
    # case's transfers, the receiving offices of the proposal form) and its timeline source (three).
    with django_assert_max_num_queries(48):
        assert client.get(f"/supervisees/{case.pk}/").status_code == 200


@translation.override("en")
def test_the_approvals_page_shows_the_proper_reason_urgency_and_destination_code(
    client, officer, supervisor, case
):
    from supervision.services.leave import leave_request_create

    leave_request_create(
        supervisee=case,
        by=officer,
        destination="济南市历下区",
        destination_code="370102",
        reason_code="medical",
        reason="陪同母亲复查",
        start_date=today() + dt.timedelta(days=1),
        end_date=today() + dt.timedelta(days=2),
        urgent=True,
        urgent_reason="医院临时改约",
    )
    client.force_login(supervisor)
    html = client.get("/approvals/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<strong>Medical treatment</strong>: 陪同母亲复查" in html
    assert "(370102)" in html and "<strong>Urgent</strong>: 医院临时改约" in html


def test_a_social_worker_s_page_and_the_server_agree_on_what_they_record(
    client, officer, social_worker, case
):
    # Issue 13: the page said "read-only" above a record form that saved. docs/roles.md: a social worker on
    # the case's team records education and community service, and reads the rest.
    from corrections.teams import team_member_add
    from supervision.models import CheckIn

    team_member_add(supervisee=case, by=officer, name="社工", role="social_worker", user=social_worker)
    client.force_login(social_worker)
    html = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert "Read-only: your role may view this case" not in html
    assert "You record education and community service for this case" in html
    assert f'action="/supervisees/{case.pk}/checkins/"' in html
    assert 'value="education"' in html and 'value="community_service"' in html
    assert 'value="in_person"' not in html and f'action="/supervisees/{case.pk}/leave/' not in html
    when = timezone.localtime().replace(second=0, microsecond=0) - dt.timedelta(hours=1)
    saved = client.post(
        f"/supervisees/{case.pk}/checkins/",
        {"kind": "education", "occurred_at": when.strftime("%Y-%m-%dT%H:%M"), "hours": "2"},
    )
    mine = CheckIn.objects.filter(recorded_by=social_worker)
    assert saved.status_code == 302 and [c.kind for c in mine] == ["education"]
    refused = client.post(
        f"/supervisees/{case.pk}/checkins/",
        {"kind": "in_person", "occurred_at": when.strftime("%Y-%m-%dT%H:%M")},
    )
    assert refused.status_code == 403 and mine.count() == 1
    zh = client.get(f"/supervisees/{case.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "您负责记录该对象的教育学习和公益活动" in zh
