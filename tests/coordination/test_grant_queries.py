"""Lists stay at a fixed number of queries with object grants in play (police through referrals,
social workers through correction teams)."""

import pytest

from coordination.services import referral_create, referral_send
from corrections.teams import team_member_add
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


def refer(case, officer, police_agency):
    referral = referral_create(
        supervisee=case,
        by=officer,
        to_agency=police_agency,
        kind="absconder_search",
        summary="失联，请协助查找",
    )
    referral_send(referral=referral, by=officer)


@pytest.mark.parametrize("cases", [2, 12])
def test_police_supervisee_list_query_count_does_not_grow(
    api_as, office, officer, police, agencies, cases, django_assert_num_queries
):
    for _ in range(cases):
        refer(SuperviseeFactory(justice_office=office, officer=officer), officer, agencies["police"])
    SuperviseeFactory(justice_office=office)  # not referred: never listed
    client = api_as(police)
    # the reporting rules in force, count, page (whether each number is shown in full is in it, not
    # one query per row), prohibitions, the list read's audit row
    with django_assert_num_queries(5):
        assert client.get("/api/v1/supervisees/").json()["count"] == cases


@pytest.mark.parametrize("cases", [2, 12])
def test_social_worker_supervisee_list_query_count_does_not_grow(
    api_as, office, officer, social_worker, cases, django_assert_num_queries
):
    for _ in range(cases):
        case = SuperviseeFactory(justice_office=office, officer=officer)
        team_member_add(supervisee=case, by=officer, name="杨晓燕", role="social_worker", user=social_worker)
    SuperviseeFactory(justice_office=office)
    client = api_as(social_worker)
    # the same five as the police's
    with django_assert_num_queries(5):
        body = client.get("/api/v1/supervisees/").json()
    assert body["count"] == cases
    assert all(row["id_number"] is None and row["crime"] is None for row in body["results"])
