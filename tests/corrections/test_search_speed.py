"""The caseload search by name or case number (issue 14): served by trigram indexes on PostgreSQL
(corrections migration 0005), and a fixed number of queries whatever the caseload."""

import pytest
from django.db import connection

from corrections.models import Supervisee
from corrections.selectors import _search
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [3, 40])
def test_the_search_runs_a_fixed_number_of_queries(
    client, api_as, officer, office, django_assert_num_queries, rows
):
    for index in range(rows):
        SuperviseeFactory(
            justice_office=office, officer=officer, name=f"王{index}明" if index % 2 else f"李{index}"
        )
    client.force_login(officer)
    # The caseload page's seven (tests/workspace/test_pages.py) and the search's audit row.
    with django_assert_num_queries(8):
        response = client.get("/supervisees/", {"q": "明"})
    assert response.context["page"].paginator.count == rows // 2
    # The list API's five (tests/workspace/test_api.py: rules, count, page, prohibitions, the read's audit
    # row, which records the search too).
    with django_assert_num_queries(5):
        response = api_as(officer).get("/api/v1/supervisees/", {"q": "明"})
    assert response.json()["count"] == rows // 2


@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_trgm's indexes exist on PostgreSQL only")
def test_the_search_by_name_and_case_number_can_use_the_trigram_indexes(officer, office):
    for index in range(30):
        SuperviseeFactory(justice_office=office, officer=officer, name=f"欧阳{index}")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname FROM pg_indexes"
            " WHERE tablename = 'corrections_supervisee' AND indexdef LIKE '%gin_trgm_ops%'"
        )
        assert {row[0] for row in cursor.fetchall()} == {
            "supervisee_name_trgm",
            "supervisee_case_number_trgm",
        }
    # The expression Django writes for `icontains` must be the one indexed: with sequential and plain
    # index scans ruled out (the test's table is too small for the planner to prefer the trigram indexes
    # by itself), the search's condition is answered from both.
    found = _search(Supervisee.objects.all(), "欧阳1", user=officer).values("pk")
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "supervisee_name_trgm" in plan and "supervisee_case_number_trgm" in plan, plan
    assert Supervisee.objects.filter(name__icontains="欧阳1").count() == 11
