"""The alerts API (GET /api/v1/alerts/): its query count does not grow with the alerts listed (issue 14:
the hot paths' counts pinned at two sizes)."""

import datetime as dt

import pytest
from django.utils import timezone

from supervision.models import Alert
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [3, 30])
def test_alert_list_query_count_is_fixed(
    api_as, officer, supervisor, office, other_office, django_assert_num_queries, rows
):
    today = timezone.localdate()
    for n in range(rows):
        case = SuperviseeFactory(justice_office=office, officer=officer)
        Alert.objects.create(supervisee=case, kind="missed_report", due_date=today - dt.timedelta(days=n))
        if n % 3 == 0:
            Alert.objects.create(
                supervisee=case,
                kind="term_ending",
                due_date=today + dt.timedelta(days=n),
                status="resolved",
                resolution_note="已办理解矫",
                resolved_by=officer,
                resolved_at=timezone.now(),
            )
    # Another office's alert: not the officer's, the supervisor's (the district's).
    Alert.objects.create(
        supervisee=SuperviseeFactory(justice_office=other_office), kind="missed_report", due_date=today
    )
    listed = rows + (rows + 2) // 3
    # count, page (the alerts with their cases and who acted on them), and the list read's audit row.
    with django_assert_num_queries(3):
        body = api_as(officer).get("/api/v1/alerts/", {"page_size": 50}).json()
    assert body["count"] == listed and len(body["results"]) == listed
    with django_assert_num_queries(3):
        body = api_as(supervisor).get("/api/v1/alerts/", {"page_size": 50}).json()
    assert body["count"] == listed + 1
