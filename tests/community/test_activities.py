"""Activities (API.md "Social forces"; CCL 35-43): a group session records each participant's hours and
outcome; minors and adults never share one (CCL 52 para. 3); every participant is a case the caller may
record for; reads are scoped and audited; the case's timeline shows its activities."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import AuditEvent
from community.models import Activity, Participation, Provider
from corrections.teams import team_member_add
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
MINORS_CITED = "Community Correction Law art. 52 para. 3"
MINORS_CITED_ZH = "《社区矫正法》第五十二条第三款"


@pytest.fixture
def cases(office, officer):
    return SuperviseeFactory.create_batch(12, justice_office=office, officer=officer)


def _body(participants, **extra):
    return {
        "kind": "group_education",
        "date": "2026-11-20",
        "hours": "2.0",
        "topic": "法治教育：社区矫正对象的权利和义务",
        "participants": [p.pk for p in participants],
        **extra,
    }


def test_a_group_session_with_twelve_participants_records_hours_for_each(api_as, officer, cases):
    absent, short = cases[0], cases[1]
    body = _body(
        cases,
        outcome="全员学习宪法与社区矫正法",
        results=[
            {"supervisee": absent.pk, "outcome": "absent"},
            {"supervisee": short.pk, "hours": "1.5", "outcome": "partly", "note": "提前离开"},
        ],
    )
    response = api_as(officer).post("/api/v1/activities/", body, format="json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["kind"] == "group_education" and data["hours"] == "2.0"
    assert sorted(data["participants"]) == sorted(p.pk for p in cases)
    activity = Activity.objects.get(pk=data["id"])
    hours = dict(Participation.objects.filter(activity=activity).values_list("supervisee_id", "hours"))
    assert len(hours) == 12
    assert hours[absent.pk] == Decimal("0") and hours[short.pk] == Decimal("1.5")
    assert all(hours[p.pk] == Decimal("2.0") for p in cases[2:])
    # One audit row per participant, each tied to that case.
    audited = AuditEvent.objects.filter(target_type="community.activity", target_id=str(activity.pk))
    assert sorted(audited.values_list("supervisee_id", flat=True)) == sorted(p.pk for p in cases)


@pytest.mark.parametrize(("language", "cited"), [("en", MINORS_CITED), ("zh-hans", MINORS_CITED_ZH)])
def test_a_session_mixing_a_minor_and_adults_is_refused_naming_ccl_52(
    api_as, officer, office, cases, language, cited
):
    minor = SuperviseeFactory(justice_office=office, officer=officer, is_minor=True, born=dt.date(2010, 3, 1))
    response = api_as(officer).post(
        "/api/v1/activities/", _body([*cases[:3], minor]), format="json", HTTP_ACCEPT_LANGUAGE=language
    )
    assert response.status_code == 400
    assert cited in " ".join(response.json()["participants"])
    assert not Activity.objects.exists() and not Participation.objects.exists()


def test_minors_together_are_fine(api_as, officer, office):
    minors = SuperviseeFactory.create_batch(2, justice_office=office, officer=officer, is_minor=True)
    response = api_as(officer).post("/api/v1/activities/", _body(minors), format="json")
    assert response.status_code == 201, response.content


def test_a_case_of_another_office_is_404_and_nothing_is_saved(api_as, other_office_officer, cases):
    response = api_as(other_office_officer).post("/api/v1/activities/", _body(cases[:2]), format="json")
    assert response.status_code == 404
    assert not Activity.objects.exists()


def test_a_social_worker_records_for_the_cases_of_their_team_only(api_as, officer, social_worker, cases):
    team_member_add(supervisee=cases[0], by=officer, name="", role="social_worker", user=social_worker)
    client = api_as(social_worker)
    assert client.post("/api/v1/activities/", _body(cases[:1]), format="json").status_code == 201
    assert client.post("/api/v1/activities/", _body(cases[:2]), format="json").status_code == 404
    # The social worker lists the activity, seeing only their case among its participants.
    api_as(officer).post("/api/v1/activities/", _body(cases[:3]), format="json")
    listed = api_as(social_worker).get("/api/v1/activities/").json()["results"]
    assert len(listed) == 2 and all(row["participants"] == [cases[0].pk] for row in listed)


def test_a_closed_case_and_a_date_before_intake_are_refused(api_as, officer, office, cases):
    closed = SuperviseeFactory(justice_office=office, officer=officer, status="terminated")
    response = api_as(officer).post("/api/v1/activities/", _body([cases[0], closed]), format="json")
    assert response.status_code == 400 and "participants" in response.json()
    response = api_as(officer).post("/api/v1/activities/", _body(cases[:1], date="2026-01-01"), format="json")
    assert response.status_code == 400 and "date" in response.json()


def test_bad_input_names_the_field(api_as, officer, cases):
    client = api_as(officer)
    for extra, field in [
        ({"hours": "0"}, "hours"),
        ({"hours": "25"}, "hours"),
        ({"date": "2026-12-25"}, "date"),
        ({"topic": " "}, "topic"),
        ({"kind": "individual_talk"}, "participants"),
        ({"results": [{"supervisee": 999999, "hours": "1"}]}, "results"),
        ({"results": [{"supervisee": cases[0].pk, "hours": "3"}]}, "results"),
    ]:
        response = client.post("/api/v1/activities/", _body(cases[:2], **extra), format="json")
        assert response.status_code == 400 and field in response.json(), (extra, response.content)
    assert not Activity.objects.exists()


def test_the_list_is_scoped_filtered_and_audited(api_as, officer, other_office_officer, cases):
    api_as(officer).post("/api/v1/activities/", _body(cases[:2]), format="json")
    api_as(officer).post("/api/v1/activities/", _body(cases[2:3], kind="counselling"), format="json")
    assert api_as(other_office_officer).get("/api/v1/activities/").json()["count"] == 0
    response = api_as(officer).get(f"/api/v1/activities/?supervisee={cases[2].pk}")
    assert [row["kind"] for row in response.json()["results"]] == ["counselling"]
    assert AuditEvent.objects.filter(
        action="list", target_type="community.activity", supervisee_id=cases[2].pk, actor=officer
    ).exists()
    assert api_as(officer).get("/api/v1/activities/?since=someday").status_code == 400


def test_a_provider_of_the_district_and_the_timeline(api_as, officer, cases, supervisor):
    provider = api_as(supervisor).post(
        "/api/v1/providers/",
        {
            "name": "薛城区阳光社工服务中心",
            "kind": "organisation",
            "offers": ["counselling", "group_education"],
        },
        format="json",
    )
    assert provider.status_code == 201, provider.content
    response = api_as(officer).post(
        "/api/v1/activities/",
        _body(cases[:1], kind="counselling", provider=provider.json()["id"]),
        format="json",
    )
    assert response.status_code == 201 and response.json()["provider"] == provider.json()["id"]
    timeline = api_as(officer).get(f"/api/v1/supervisees/{cases[0].pk}/timeline/").json()
    events = timeline["results"] if isinstance(timeline, dict) else timeline
    assert any(
        e["type"] == "activity" and e["details"]["provider"] == "薛城区阳光社工服务中心" for e in events
    )
    Provider.objects.update(active=False)
    response = api_as(officer).post(
        "/api/v1/activities/", _body(cases[:1], provider=provider.json()["id"]), format="json"
    )
    assert response.status_code == 400 and "provider" in response.json()


@pytest.mark.parametrize("sessions", [2, 12])
def test_the_list_runs_a_fixed_number_of_queries(api_as, officer, cases, django_assert_num_queries, sessions):
    client = api_as(officer)
    for n in range(sessions):
        client.post("/api/v1/activities/", _body(cases[: 2 + n % 10]), format="json")
    # the count, the page, the participations, the audit row
    with django_assert_num_queries(4):
        response = client.get("/api/v1/activities/")
    assert response.json()["count"] == sessions


def test_an_id_beyond_any_table_is_refused_by_its_field(api_as, officer, cases):
    # Schemathesis found it: a participant id above the 64-bit range reached `pk__in` and overflowed (500).
    huge = 2**67
    client = api_as(officer)
    body = _body(cases[:1])
    body["participants"] = [huge]
    assert "participants" in client.post("/api/v1/activities/", body, format="json").json()
    body = _body(cases[:1], provider=huge, results=[{"supervisee": huge}])
    errors = client.post("/api/v1/activities/", body, format="json").json()
    assert "provider" in errors and "results" in errors
