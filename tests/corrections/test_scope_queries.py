"""The scope with its grants in play, at two sizes (issue 14, "Done when"): an officer whose office has
transferred cases out (corrections.transfers: read on after the transfer) and a supervisor whose district
did, so that `supervisees_visible_to` joins the office's or district's cases with the transferred ones
(the rules OR-ed in the same query, corrections/scoping.py). The caseload page, the list API and the
supervisor's search run the same number of queries at 3 and at 30 cases in the office, and list the
transferred cases beside the office's own."""

import pytest

from corrections.transfers import transfer_accept, transfer_propose
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


def _transfer_out(case, officer, office_b, receiving_supervisor):
    transfer = transfer_propose(
        supervisee=case,
        by=officer,
        to_office=office_b,
        reason="迁居至山亭区，与父母同住",
        new_residence="山亭区山城街道 8 号",
    )
    transfer_accept(transfer=transfer, by=receiving_supervisor)


@pytest.fixture
def caseload(request, office, officer, court, office_b, receiving_supervisor):
    """`rows` cases of the office, and a tenth of them (at least one) transferred out to district B."""
    rows = request.param
    cases = [
        SuperviseeFactory(
            justice_office=office, officer=officer, name=f"王{index}明", sentence__deciding_agency=court
        )
        for index in range(rows)
    ]
    for case in cases[: max(1, rows // 10)]:
        _transfer_out(case, officer, office_b, receiving_supervisor)
    SuperviseeFactory(justice_office=office_b, name="王外明")  # district B's own: never listed here
    return rows


@pytest.mark.parametrize("caseload", [3, 30], indirect=True)
def test_the_caseload_page_with_transferred_cases_runs_a_fixed_number_of_queries(
    client, officer, caseload, django_assert_num_queries
):
    client.force_login(officer)
    # The caseload page's seven (tests/workspace/test_pages.py): session, user, the user's agency, the
    # reporting rules in force, count, the page's rows, the offices and the officers to filter by (one
    # query). The transferred cases come in the same queries (the scope's OR, corrections/scoping.py).
    with django_assert_num_queries(7):
        response = client.get("/supervisees/", {"status": "all"})
    assert response.context["page"].paginator.count == caseload
    # The office's own and the transferred ones (now district B's office): both offices to filter by.
    assert len(response.context["offices"]) == 2
    # Searched and sorted by the next report due: the same, and the search's audit row.
    with django_assert_num_queries(8):
        response = client.get("/supervisees/", {"status": "all", "sort": "next_due", "q": "王"})
    assert response.context["page"].paginator.count == caseload


@pytest.mark.parametrize("caseload", [3, 30], indirect=True)
def test_the_list_api_with_transferred_cases_runs_a_fixed_number_of_queries(
    api_as, officer, caseload, django_assert_num_queries
):
    client = api_as(officer)
    # tests/workspace/test_api.py's five: the reporting rules in force, count, page, prohibitions, the
    # list read's audit row.
    with django_assert_num_queries(5):
        body = client.get("/api/v1/supervisees/", {"page_size": 50}).json()
    assert body["count"] == caseload and len(body["results"]) == caseload


@pytest.mark.parametrize("caseload", [3, 30], indirect=True)
def test_the_supervisors_search_with_transferred_cases_runs_a_fixed_number_of_queries(
    client, supervisor, caseload, django_assert_num_queries
):
    client.force_login(supervisor)
    # The caseload page's seven and the search's audit row (tests/corrections/test_search_speed.py).
    with django_assert_num_queries(8):
        response = client.get("/supervisees/", {"status": "all", "q": "王"})
    # The district's cases and the ones its office transferred out; never district B's own.
    assert response.context["page"].paginator.count == caseload
