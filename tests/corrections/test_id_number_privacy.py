"""Who reads an ID number, and what a search by one reveals (API.md "Need to know"): social workers
never see one and never find a case by one; the police and the court see it masked except on a case
with a referral to their agency that needs the person identified; nobody else is limited."""

import datetime as dt

import pytest

from corrections.idnumber import make_id_number
from corrections.models import TeamRole
from corrections.teams import team_member_add
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/supervisees/"
ID_NUMBER = make_id_number(region="370404", birth_date=dt.date(1990, 3, 14), sequence=41, gender="male")


@pytest.fixture
def team_case(office, officer, social_worker):
    # A case number sharing no run of digits with the ID number, so only the ID number could match.
    case = SuperviseeFactory(justice_office=office, name="韩梅", case_number="YCJ-AB", id_number=ID_NUMBER)
    team_member_add(
        supervisee=case,
        by=officer,
        name="杨晓燕",
        role=TeamRole.SOCIAL_WORKER,
        user=social_worker,
        gender="female",
        joined_on=dt.date(2026, 2, 1),
    )
    return case


PARTS = {
    "prefix": ID_NUMBER[:6],
    "longer prefix": ID_NUMBER[:14],
    "suffix": ID_NUMBER[-4:],
    "longer suffix": ID_NUMBER[-8:],
    "middle": ID_NUMBER[6:14],
    "whole": ID_NUMBER,
    "lower-case x": ID_NUMBER.lower(),
}


@pytest.mark.parametrize("part", PARTS)
def test_a_social_worker_finds_no_case_by_any_part_of_its_id_number(
    api_as, client, social_worker, team_case, part
):
    api = api_as(social_worker)
    assert [r["id"] for r in api.get(LIST, {"q": "韩梅"}).json()["results"]] == [team_case.pk]
    assert api.get(LIST, {"q": PARTS[part]}).json()["count"] == 0
    client.force_login(social_worker)
    assert "韩梅" in client.get("/supervisees/", {"q": "韩梅"}).content.decode()
    assert "韩梅" not in client.get("/supervisees/", {"q": PARTS[part]}).content.decode()


def test_an_officer_still_finds_the_case_by_its_id_number(api_as, officer, team_case):
    api = api_as(officer)
    for q in (ID_NUMBER[:6], ID_NUMBER[:14], ID_NUMBER):
        assert [r["id"] for r in api.get(LIST, {"q": q}).json()["results"]] == [team_case.pk], q
