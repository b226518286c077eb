"""Correction teams (CCL 25): who may change a team, the CCL 25 requirements, and the view grant that
lets a social worker see exactly the cases whose team they serve on (docs/roles.md#the-roles)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from guardian.models import UserObjectPermission

from accounts.constants import AuditAction, Role
from accounts.models import AuditEvent
from corrections import demo
from corrections.constants import Gender, Status
from corrections.models import CorrectionTeamMember, SuperviseeUserObjectPermission, TeamRole
from corrections.scoping import supervisees_visible_to
from corrections.teams import team_member_add, team_member_remove, team_requirements
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db


def team_url(case) -> str:
    return f"/api/v1/supervisees/{case.pk}/team/"


def remove_url(case, member_id) -> str:
    return f"/api/v1/supervisees/{case.pk}/team/{member_id}/remove/"


@pytest.fixture
def case(office, court):
    return SuperviseeFactory(justice_office=office)


def test_a_social_worker_sees_a_case_only_while_on_its_team(api_as, officer, social_worker, case, office):
    SuperviseeFactory(justice_office=office)  # another case of the same office, never on the team
    worker_api = api_as(social_worker)
    assert worker_api.get("/api/v1/supervisees/").json()["count"] == 0
    assert worker_api.get(f"/api/v1/supervisees/{case.pk}/").status_code == 404

    response = api_as(officer).post(
        team_url(case),
        {"name": "杨晓燕", "role": "social_worker", "user": social_worker.username, "gender": "female"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    member = response.json()
    assert (member["user"], member["role"], member["left_on"]) == (
        social_worker.username,
        "social_worker",
        None,
    )
    # The grant is a row of the direct foreign-key model, never guardian's generic table.
    assert SuperviseeUserObjectPermission.objects.filter(
        user=social_worker, content_object=case, permission__codename="view_supervisee"
    ).exists()
    assert not UserObjectPermission.objects.exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.CREATE, target_type="corrections.correctionteammember", supervisee_id=case.pk
    ).exists()

    worker_api = api_as(social_worker)
    listing = worker_api.get("/api/v1/supervisees/").json()
    assert [row["id"] for row in listing["results"]] == [case.pk]
    detail = worker_api.get(f"/api/v1/supervisees/{case.pk}/")
    assert detail.status_code == 200
    body = detail.json()
    # docs/roles.md#need-to-know: social workers never see the ID number and the crime.
    assert (body["id_number"], body["crime"], body["crime_chapter"]) == (None, None, None)
    assert body["name"] == case.name
    assert [row["id"] for row in listing["results"]] == [body["id"]]

    response = api_as(officer).post(remove_url(case, member["id"]), {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["left_on"] == timezone.localdate().isoformat()
    assert not SuperviseeUserObjectPermission.objects.filter(user=social_worker).exists()
    assert AuditEvent.objects.filter(
        action=AuditAction.UPDATE, target_type="corrections.correctionteammember", target_id=str(member["id"])
    ).exists()
    worker_api = api_as(social_worker)
    assert worker_api.get("/api/v1/supervisees/").json()["count"] == 0
    assert worker_api.get(f"/api/v1/supervisees/{case.pk}/").status_code == 404
    # The member stays on file, dated.
    history = api_as(officer).get(team_url(case), {"include_left": "true"}).json()
    assert [(m["id"], m["left_on"]) for m in history["members"]] == [
        (member["id"], timezone.localdate().isoformat())
    ]
    assert api_as(officer).get(team_url(case)).json()["members"] == []


def test_the_social_worker_sees_the_team_case_and_no_other(officer, social_worker, case, office):
    other = SuperviseeFactory(justice_office=office)
    team_member_add(supervisee=case, by=officer, name="", role=TeamRole.VOLUNTEER, user=social_worker)
    assert list(supervisees_visible_to(social_worker)) == [case]
    assert other not in supervisees_visible_to(social_worker)


def test_get_team_answers_members_and_requirements_and_is_audited(
    api_as, officer, case, django_assert_num_queries
):
    team_member_add(supervisee=case, by=officer, name="孙立新", role=TeamRole.OFFICER, user=officer)
    team_member_add(supervisee=case, by=officer, name="张桂英", role=TeamRole.FAMILY, gender=Gender.FEMALE)
    client = api_as(officer)
    # The case and its prohibition orders (2), the members (1), the audited read (1): the same for
    # any team size.
    with django_assert_num_queries(4):
        response = client.get(team_url(case))
    assert response.status_code == 200
    body = response.json()
    assert [(m["name"], m["role"], m["user"]) for m in body["members"]] == [
        ("孙立新", "officer", officer.username),
        ("张桂英", "family", None),
    ]
    assert body["requirements"] == []
    assert AuditEvent.objects.filter(
        action=AuditAction.VIEW, supervisee_id=case.pk, actor_username=officer.username
    ).exists()
    team_member_add(supervisee=case, by=officer, name="王村长", role=TeamRole.VILLAGE_COMMITTEE)
    with django_assert_num_queries(4):
        assert len(client.get(team_url(case)).json()["members"]) == 3


def codes(requirements) -> set[str]:
    return {item["code"] for item in requirements}


def test_requirements_for_a_female_supervisee(api_as, officer, office, court):
    female = SuperviseeFactory(justice_office=office, gender=Gender.FEMALE)
    assert codes(team_requirements(supervisee=female)) == {"member_besides_officer", "female_member"}
    # The officer alone is not a team, and a man does not meet the female requirement.
    team_member_add(supervisee=female, by=officer, name="孙立新", role=TeamRole.OFFICER, user=officer)
    team_member_add(supervisee=female, by=officer, name="王强", role=TeamRole.FAMILY, gender=Gender.MALE)
    assert codes(team_requirements(supervisee=female)) == {"female_member"}
    woman = team_member_add(
        supervisee=female, by=officer, name="李红", role=TeamRole.VILLAGE_COMMITTEE, gender=Gender.FEMALE
    )
    assert team_requirements(supervisee=female) == []
    # A woman who left no longer counts.
    team_member_remove(member=woman, by=officer)
    response = api_as(officer).get(team_url(female)).json()
    assert codes(response["requirements"]) == {"female_member"}
    assert "Community Correction Law art. 25 para. 2" in response["requirements"][0]["detail"]


def test_requirements_for_a_minor(api_as, officer, office, court):
    minor = SuperviseeFactory(justice_office=office, is_minor=True)
    assert codes(team_requirements(supervisee=minor)) == {"member_besides_officer", "versed_in_minors"}
    team_member_add(supervisee=minor, by=officer, name="张父", role=TeamRole.FAMILY, gender=Gender.MALE)
    [requirement] = api_as(officer).get(team_url(minor)).json()["requirements"]
    assert requirement["code"] == "versed_in_minors"
    assert "Community Correction Law art. 52 para. 2" in requirement["detail"]  # not CCL 25
    team_member_add(supervisee=minor, by=officer, name="赵老师", role=TeamRole.SCHOOL, versed_in_minors=True)
    assert api_as(officer).get(team_url(minor)).json()["requirements"] == []


@pytest.mark.parametrize(
    ("role_fixture", "expected"),
    [
        ("officer", 201),
        ("supervisor", 201),
        ("other_office_officer", 404),  # another office's case is out of scope
        # Roles that never change a team: refused by their role, before the case is looked up
        # (docs/roles.md principle 2), so the answer says nothing about the case.
        ("police", 403),
        ("social_worker", 403),
        ("procurator", 403),  # sees the case, read-only
        ("judge", 403),  # the court decided the case: sees it, may not change it
    ],
)
def test_who_may_add_a_member(request, api_as, case, role_fixture, expected):
    user = request.getfixturevalue(role_fixture)
    response = api_as(user).post(team_url(case), {"name": "张三", "role": "family"}, format="json")
    assert response.status_code == expected, response.json()
    assert CorrectionTeamMember.objects.filter(supervisee=case).exists() == (expected == 201)


def test_a_social_worker_on_the_team_may_not_change_it(api_as, officer, social_worker, case):
    member = team_member_add(
        supervisee=case, by=officer, name="", role=TeamRole.SOCIAL_WORKER, user=social_worker
    )
    client = api_as(social_worker)
    assert client.post(team_url(case), {"name": "张三", "role": "family"}, format="json").status_code == 403
    assert client.post(remove_url(case, member.pk), {}, format="json").status_code == 403
    assert client.get(team_url(case)).status_code == 200


def test_who_may_remove_a_member(api_as, officer, other_office_officer, procurator, case):
    member = team_member_add(supervisee=case, by=officer, name="张三", role=TeamRole.FAMILY)
    assert (
        api_as(other_office_officer).post(remove_url(case, member.pk), {}, format="json").status_code == 404
    )
    assert api_as(procurator).post(remove_url(case, member.pk), {}, format="json").status_code == 403
    other_case = SuperviseeFactory(justice_office=case.justice_office)
    # A member of another case's team is not found under this case.
    assert api_as(officer).post(remove_url(other_case, member.pk), {}, format="json").status_code == 404
    assert api_as(officer).post(remove_url(case, member.pk), {}, format="json").status_code == 200
    # Leaving twice is not a move the member's state allows.
    assert api_as(officer).post(remove_url(case, member.pk), {}, format="json").status_code == 409


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"role": "family"}, "name"),
        ({"name": "张三", "role": "captain"}, "role"),
        ({"name": "张三", "role": "social_worker", "user": "nobody"}, "user"),
        ({"name": "张三", "role": "family", "user": "t_socialworker"}, "user"),  # no accounts for family
        ({"name": "张三", "role": "officer", "user": "t_socialworker"}, "user"),  # not an officer
        ({"name": "张三", "role": "officer", "user": "t_officer2"}, "user"),  # another office's officer
        ({"name": "张三", "role": "volunteer", "user": "t_police"}, "user"),  # not a social worker
        ({"name": "张三", "role": "family", "joined_on": "2999-01-01"}, "joined_on"),
    ],
)
def test_refusals_name_the_field(
    api_as, officer, social_worker, other_office_officer, police, case, body, field
):
    response = api_as(officer).post(team_url(case), body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not CorrectionTeamMember.objects.exists()
    assert not SuperviseeUserObjectPermission.objects.exists()


def test_a_social_worker_of_another_district_or_a_disabled_account_is_refused(api_as, officer, case):
    elsewhere = UserFactory(username="far_worker", role=Role.SOCIAL_WORKER)
    disabled = UserFactory(
        username="gone_worker", role=Role.SOCIAL_WORKER, agency=officer.agency, is_active=False
    )
    client = api_as(officer)
    for username in (elsewhere.username, disabled.username):
        response = client.post(
            team_url(case), {"name": "张三", "role": "social_worker", "user": username}, format="json"
        )
        assert response.status_code == 400
        assert "user" in response.json()


def test_the_same_account_cannot_serve_twice_at_once_but_may_rejoin(api_as, officer, social_worker, case):
    body = {"role": "social_worker", "user": social_worker.username}
    client = api_as(officer)
    first = client.post(team_url(case), body, format="json")
    assert first.status_code == 201
    assert first.json()["name"] == social_worker.username  # no name given: the account's
    assert client.post(team_url(case), body, format="json").status_code == 400
    assert client.post(remove_url(case, first.json()["id"]), {}, format="json").status_code == 200
    assert client.post(team_url(case), body, format="json").status_code == 201
    assert case in supervisees_visible_to(social_worker)


def test_a_closed_case_refuses_team_changes(api_as, officer, office, court):
    member_case = SuperviseeFactory(justice_office=office)
    member = team_member_add(supervisee=member_case, by=officer, name="张三", role=TeamRole.FAMILY)
    type(member_case).objects.filter(pk=member_case.pk).update(
        status=Status.TERMINATED, exit_date=dt.date(2026, 11, 1), exit_reason="expired"
    )
    client = api_as(officer)
    assert (
        client.post(team_url(member_case), {"name": "李四", "role": "family"}, format="json").status_code
        == 409
    )
    assert client.post(remove_url(member_case, member.pk), {}, format="json").status_code == 409
    assert client.get(team_url(member_case)).status_code == 200


def test_leaving_cannot_predate_joining(officer, case):
    member = team_member_add(
        supervisee=case, by=officer, name="张三", role=TeamRole.FAMILY, joined_on=dt.date(2026, 3, 1)
    )
    with pytest.raises(ValidationError) as error:
        team_member_remove(member=member, by=officer, left_on=dt.date(2026, 2, 1))
    assert "left_on" in error.value.message_dict


def test_the_demo_puts_the_social_worker_on_teams_of_the_first_office_once():
    anchor = dt.date(2026, 6, 30)
    demo.demo_seed(supervisees=120, today=anchor)
    worker = demo.User.objects.get(username="socialworker")
    served = set(
        CorrectionTeamMember.objects.filter(user=worker, left_on__isnull=True).values_list(
            "supervisee_id", flat=True
        )
    )
    assert 0 < len(served) <= 15
    assert set(supervisees_visible_to(worker).values_list("pk", flat=True)) == served
    cases = demo.Supervisee.objects.filter(pk__in=served)
    assert {case.justice_office.name for case in cases} == {"临城司法所"}
    assert {case.status for case in cases} == {Status.UNDER_SUPERVISION}
    # Each team has family and committee members beside the officer, and meets CCL 25.
    for case in cases:
        roles = set(case.team.values_list("role", flat=True))
        assert {TeamRole.SOCIAL_WORKER, TeamRole.FAMILY, TeamRole.VILLAGE_COMMITTEE} <= roles
        assert team_requirements(supervisee=case) == []
    members = CorrectionTeamMember.objects.count()
    grants = SuperviseeUserObjectPermission.objects.count()
    demo.demo_seed(supervisees=120, today=anchor)
    assert (CorrectionTeamMember.objects.count(), SuperviseeUserObjectPermission.objects.count()) == (
        members,
        grants,
    )


def test_a_closed_case_page_lists_its_team_without_requirements(client, officer, office):
    closed = SuperviseeFactory(justice_office=office, gender=Gender.FEMALE)
    team_member_add(supervisee=closed, by=officer, name="张三", role=TeamRole.FAMILY, gender=Gender.MALE)
    open_case = SuperviseeFactory(justice_office=office, gender=Gender.FEMALE)
    team_member_add(supervisee=open_case, by=officer, name="张四", role=TeamRole.FAMILY, gender=Gender.MALE)
    type(closed).objects.filter(pk=closed.pk).update(
        status=Status.TERMINATED, exit_date=dt.date(2026, 11, 1), exit_reason="expired"
    )
    client.force_login(officer)
    # The open case's team still lacks a woman (CCL 25); the closed one's team is history.
    assert "unmet-female_member" in client.get(f"/supervisees/{open_case.pk}/").content.decode()
    html = client.get(f"/supervisees/{closed.pk}/").content.decode()
    assert "张三" in html and "unmet-" not in html
