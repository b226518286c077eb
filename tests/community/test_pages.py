"""The pages of social forces: a group session recorded with many participants at once, the refusal of a
session mixing minors and adults (CCL 52 para. 3), the case page's list, the providers' register."""

import datetime as dt
from decimal import Decimal

import pytest

from community.models import Activity, Participation, Provider
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(office, officer):
    return SuperviseeFactory.create_batch(12, justice_office=office, officer=officer)


def _post(cases, **extra):
    return {
        "kind": "group_education",
        "date": "2026-11-20",
        "hours": "2",
        "topic": "法治教育",
        "participants": [str(c.pk) for c in cases],
        **extra,
    }


def test_the_form_lists_the_officer_s_cases_and_records_twelve(client, officer, cases, other_office_officer):
    client.force_login(officer)
    page = client.get("/activities/new/")
    assert page.status_code == 200
    assert all(f'id="participant-{c.pk}"' in page.text for c in cases)
    assert client.get(f"/activities/new/?q={cases[3].case_number}").text.count('name="participants"') == 1
    body = _post(cases, **{f"hours-{cases[0].pk}": "1.5", f"outcome-{cases[1].pk}": "absent"})
    response = client.post("/activities/record/", body)
    assert response.status_code == 302
    activity = Activity.objects.get()
    hours = dict(Participation.objects.filter(activity=activity).values_list("supervisee_id", "hours"))
    assert len(hours) == 12 and hours[cases[0].pk] == Decimal("1.5") and hours[cases[1].pk] == 0
    listing = client.get("/activities/")
    assert "法治教育" in listing.text
    case_page = client.get(f"/supervisees/{cases[2].pk}/")
    assert 'id="activities"' in case_page.text and f'id="activity-{activity.pk}"' in case_page.text
    # Another office's officer sees neither the activity nor the cases on the form.
    client.force_login(other_office_officer)
    assert "法治教育" not in client.get("/activities/").text
    assert 'name="participants"' not in client.get("/activities/new/").text


@pytest.mark.parametrize(
    ("language", "cited"),
    [("en", "Community Correction Law art. 52 para. 3"), ("zh-hans", "《社区矫正法》第五十二条第三款")],
)
def test_a_session_mixing_a_minor_and_adults_is_refused_on_the_page(
    client, officer, office, cases, language, cited
):
    minor = SuperviseeFactory(justice_office=office, officer=officer, is_minor=True, born=dt.date(2010, 3, 1))
    client.force_login(officer)
    response = client.post("/activities/record/", _post([cases[0], minor]), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 400
    assert cited in response.text
    # What was typed stays: both still checked.
    assert response.text.count("checked") >= 2
    assert not Activity.objects.exists()


def test_roles_that_never_record_are_refused_before_the_form(client, procurator, police, cases):
    for user in (procurator, police):
        client.force_login(user)
        assert client.get("/activities/new/").status_code == 403
        assert client.post("/activities/record/", _post(cases[:1])).status_code == 403
    assert not Activity.objects.exists()


def test_the_providers_register(client, officer, social_worker):
    client.force_login(officer)
    response = client.post(
        "/providers/add/", {"name": "枣庄市职业培训学校", "kind": "school", "offers": ["vocational_training"]}
    )
    assert response.status_code == 302 and Provider.objects.get().district_id == officer.agency.district_id
    assert client.post("/providers/add/", {"name": "", "kind": "school"}).status_code == 400
    client.force_login(social_worker)
    page = client.get("/providers/")
    assert "枣庄市职业培训学校" in page.text and 'id="add-provider"' not in page.text
    assert (
        client.post("/providers/add/", {"name": "x", "kind": "school", "offers": ["counselling"]}).status_code
        == 403
    )
