"""The supervisor's dashboard lists the open cases whose notice or legal documents from the deciding
agency are overdue (CCL 20: 5 and 10 days from the decision taking effect), in two queries whatever their
number, without naming minors (a list across the district, CCL 54)."""

import datetime as dt

import pytest

from config.office_time import office_today
from corrections.constants import Status
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db


def effective(days_ago: int) -> dt.date:
    return office_today() - dt.timedelta(days=days_ago)


def listed(response) -> dict[str, list[tuple[str, int]]]:
    return {
        case.case_number: [(clock.field, clock.days_late) for clock in case.clocks]
        for case in response.context["commission_overdue"]
    }


def test_the_supervisor_sees_what_is_overdue_and_nothing_else(client, supervisor, office, other_office):
    notice_late = SuperviseeFactory(
        justice_office=office, sentence__effective=effective(6), case_number="A-6"
    )
    SuperviseeFactory(justice_office=office, sentence__effective=effective(5), case_number="B-5")  # due today
    both = SuperviseeFactory(
        justice_office=other_office,
        sentence__effective=effective(12),
        case_number="C-12",
        status="pending_report",
    )
    SuperviseeFactory(
        justice_office=office,
        sentence__effective=effective(30),
        sentence__notice_received_date=effective(28),
        sentence__documents_received_date=effective(15),  # late, but arrived
        case_number="D-30",
    )
    SuperviseeFactory(
        justice_office=office,
        sentence__effective=effective(40),
        status=Status.DECEASED,
        exit_date=effective(1),
        exit_reason="deceased",
        case_number="E-closed",
    )
    client.force_login(supervisor)
    response = client.get("/")
    assert listed(response) == {
        # The latest decisions first.
        "A-6": [("notice_received_date", 1)],
        "C-12": [("notice_received_date", 7), ("documents_received_date", 2)],
    }
    html = response.content.decode()
    assert f'href="/supervisees/{notice_late.pk}/#commission"' in html and both.name in html


def test_a_minor_is_listed_without_a_name(client, supervisor, office):
    minor = SuperviseeFactory(
        justice_office=office, sentence__effective=effective(20), is_minor=True, name="小明"
    )
    client.force_login(supervisor)
    html = client.get("/").content.decode()
    assert minor.case_number in html and "小明" not in html


def test_officers_have_no_such_list(client, officer, office):
    SuperviseeFactory(justice_office=office, sentence__effective=effective(20))
    client.force_login(officer)
    assert "commission_overdue" not in client.get("/").context


@pytest.mark.parametrize("rows", [2, 20])
def test_the_list_is_two_queries_whatever_its_length(
    client, supervisor, office, other_office, django_assert_num_queries, rows
):
    for n in range(rows):
        SuperviseeFactory(justice_office=(office, other_office)[n % 2], sentence__effective=effective(11 + n))
    client.force_login(supervisor)
    # session, user, agency, rules, the cases by office, officer and status (one GROUP BY by ids), the
    # offices' names (no officers' names: these cases have no officer), notices and documents overdue
    # (the cases' ids, then the latest rows); alerts, leave count, leave rows, measures count, electronic
    # positioning proposed; the inbox; the notices to receive (as tests/workspace/test_dashboard.py).
    with django_assert_num_queries(15):
        response = client.get("/")
    assert len(response.context["commission_overdue"]) == rows
    assert not response.context["more_commission_overdue"]


def test_the_latest_decisions_come_first_and_the_rest_are_counted(client, supervisor, office, monkeypatch):
    monkeypatch.setattr("workspace.dashboard.COMMISSION_ON_DASHBOARD", 3)
    # Two on the same day: the higher id first, as ORDER BY effective date, id (both descending).
    cases = [
        SuperviseeFactory(justice_office=office, sentence__effective=effective(days))
        for days in (40, 12, 20, 12, 30)
    ]
    client.force_login(supervisor)
    response = client.get("/")
    assert [case.pk for case in response.context["commission_overdue"]] == [
        cases[3].pk,
        cases[1].pk,
        cases[2].pk,
    ]
    assert response.context["more_commission_overdue"]
    monkeypatch.setattr("workspace.dashboard.COMMISSION_ON_DASHBOARD", 5)
    response = client.get("/")
    assert len(response.context["commission_overdue"]) == 5
    assert not response.context["more_commission_overdue"]
