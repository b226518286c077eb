"""The case page's quick log: record a contact, see it on the timeline; bad input keeps what was typed."""

import datetime as dt

import pytest
from django.utils import timezone

from supervision.models import CheckIn
from tests.conftest import FROZEN_TODAY
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
# A morning the day before the test clock's day, as the form's datetime-local field sends it (a check-in
# may not be in the future).
YESTERDAY_0930 = f"{FROZEN_TODAY - dt.timedelta(days=1)}T09:30"


@pytest.fixture
def case(office, officer):
    return SuperviseeFactory(justice_office=office, officer=officer, intake_date=dt.date(2026, 1, 15))


def test_the_case_page_offers_the_form_with_the_api_field_names_defaulting_to_now(client, officer, case):
    client.force_login(officer)
    html = client.get(f"/supervisees/{case.pk}/").content.decode()
    for name in ("kind", "occurred_at", "notes", "hours"):
        assert f'name="{name}"' in html
    assert timezone.localtime().strftime("%Y-%m-%dT") in html


def test_recording_a_report_puts_it_on_the_timeline(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/checkins/",
        {"kind": "in_person", "occurred_at": YESTERDAY_0930, "notes": "按时报到"},
    )
    checkin = CheckIn.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#checkin-{checkin.pk}")
    assert checkin.occurred_at == dt.datetime.fromisoformat(f"{YESTERDAY_0930}:00+08:00")
    page = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert f'id="checkin-{checkin.pk}"' in page and "按时报到" in page


def test_a_refused_entry_keeps_what_was_typed_and_says_what_to_fix(client, officer, case):
    client.force_login(officer)
    response = client.post(
        f"/supervisees/{case.pk}/checkins/",
        {"kind": "education", "occurred_at": YESTERDAY_0930, "notes": "法治教育课"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "法治教育课" in html and f'value="{YESTERDAY_0930}"' in html
    assert "id_hours-errors" in html
    assert not CheckIn.objects.exists()


def test_read_only_roles_get_no_form_and_cannot_post(client, procurator, other_office_officer, case):
    client.force_login(procurator)
    assert 'name="occurred_at"' not in client.get(f"/supervisees/{case.pk}/").content.decode()
    assert (
        client.post(
            f"/supervisees/{case.pk}/checkins/", {"kind": "phone", "occurred_at": YESTERDAY_0930}
        ).status_code
        == 403
    )
    client.force_login(other_office_officer)
    assert (
        client.post(
            f"/supervisees/{case.pk}/checkins/", {"kind": "phone", "occurred_at": YESTERDAY_0930}
        ).status_code
        == 404
    )


def test_the_case_page_runs_the_same_queries_however_long_the_timeline(client, officer, case):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)

    def queries_with(entries: int) -> int:
        while CheckIn.objects.count() < entries:
            CheckIn.objects.create(
                supervisee=case,
                kind="phone",
                recorded_by=officer,
                occurred_at=timezone.now() - dt.timedelta(days=CheckIn.objects.count() + 1),
            )
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/supervisees/{case.pk}/")
        assert response.content.decode().count('class="event event-checkin"') == entries
        return len(queries)

    few, many = queries_with(2), queries_with(30)
    # One query per timeline source and a few for the page (3 for the lateness suggestions, 1 for the
    # documents, 2 for the lifecycle: the release blocks and the intake's checklist, 2 for electronic
    # positioning: its orders and the violations its form offers, 2 for leave by CCL 27: the office's
    # proper reasons and the case's standing permits; 1 for the arrest requests):
    # never one per event.
    # Social forces add 9 (community: activities, needs, providers, two timeline sources, the monthly
    # hours' four). Transfers of the place of execution add 3 (the panel's transfers, the proposal
    # form's receiving offices, the timeline source).
    assert few == many <= 47
