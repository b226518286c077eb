"""The oversight page (/oversight/): the exceptions of coordination.oversight as a table with the code's
label, the case number linking to the case page, since and detail; filtered by code, paginated, its query
count pinned; for the procuratorate and bureau supervisors only. The dashboard links to it."""

import datetime as dt

import pytest
from django.utils import timezone, translation

from corrections.constants import Status
from corrections.models import StatusChange
from supervision.constants import ApprovalLevel, LeaveStatus
from supervision.models import LeaveRequest
from tests.factories import DistrictFactory, JusticeOfficeFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def absconder(office, n_days: int = 40):
    case = SuperviseeFactory(justice_office=office, status=Status.ABSCONDED)
    StatusChange.objects.create(
        supervisee=case,
        from_status=Status.UNDER_SUPERVISION,
        to_status=Status.ABSCONDED,
        date=days_ago(n_days),
    )
    return case


def long_leave(case, officer):
    start = days_ago(30)
    return LeaveRequest.objects.create(
        supervisee=case,
        destination="北京",
        reason="务工",
        start_date=start,
        end_date=start + dt.timedelta(days=9),
        status=LeaveStatus.APPROVED,
        approval_level=ApprovalLevel.JUSTICE_OFFICE,
        requested_by=officer,
    )


@translation.override("en")
def test_the_procurator_sees_the_exceptions_with_case_links(client, procurator, office, officer):
    lost = absconder(office)
    leave_case = SuperviseeFactory(justice_office=office)
    long_leave(leave_case, officer)
    client.force_login(procurator)
    response = client.get("/oversight/")
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="/supervisees/{lost.pk}/">{lost.case_number}</a>' in html
    assert f'<a href="/supervisees/{leave_case.pk}/">{leave_case.case_number}</a>' in html
    assert (
        "Out of contact with no warning given" in html
        and "Leave approved beyond its level&#x27;s limit" in html
    )
    assert days_ago(40).isoformat() in html
    assert lost.name not in html  # case numbers, not names (CCL 54, 58)
    tabs = {code: n for code, _label, n in response.context["tabs"]}
    assert tabs == {
        "lost_contact_without_warning": 1,
        "leave_beyond_tier": 1,
        "proposal_without_decision": 0,
        "released_while_proposal_pending": 0,
    }


def test_filter_by_code(client, supervisor, office, officer):
    lost = absconder(office)
    long_leave(SuperviseeFactory(justice_office=office), officer)
    client.force_login(supervisor)
    response = client.get("/oversight/", {"code": "lost_contact_without_warning"})
    rows = list(response.context["page"].object_list)
    assert [(row["supervisee"], row["code"]) for row in rows] == [(lost.pk, "lost_contact_without_warning")]
    # An unknown code is a 400 naming the parameter (API.md "Operating"), not a silent "everything".
    refused = client.get("/oversight/", {"code": "nonsense"})
    assert refused.status_code == 400 and "code" in refused.content.decode()


def test_paginated_by_fifty_with_the_filter_kept(client, procurator, office):
    for n in range(52):
        absconder(office, n_days=40 + n)
    client.force_login(procurator)
    first = client.get("/oversight/", {"code": "lost_contact_without_warning"})
    assert len(first.context["page"].object_list) == 50
    assert "code=lost_contact_without_warning&amp;page=2" in first.content.decode()
    second = client.get("/oversight/", {"code": "lost_contact_without_warning", "page": 2})
    assert len(second.context["page"].object_list) == 2


def test_only_the_district_is_listed(client, procurator, office):
    elsewhere = JusticeOfficeFactory(district=DistrictFactory(code="370499"))
    absconder(elsewhere)
    mine = absconder(office)
    client.force_login(procurator)
    rows = client.get("/oversight/").context["page"].object_list
    assert [row["supervisee"] for row in rows] == [mine.pk]


def test_other_roles_are_refused(client, officer, judge, police, social_worker):
    for user in (officer, judge, police, social_worker):
        client.force_login(user)
        assert client.get("/oversight/").status_code == 403
    client.logout()
    assert client.get("/oversight/").status_code == 302  # to sign in


@pytest.mark.parametrize("cases", [2, 12])
def test_the_page_runs_a_fixed_number_of_queries(
    client, procurator, office, officer, cases, django_assert_num_queries
):
    for _ in range(cases):
        long_leave(absconder(office), officer)
    client.force_login(procurator)
    # Session, user, agency; one query per exception code.
    with django_assert_num_queries(7):
        assert client.get("/oversight/").status_code == 200


def test_the_dashboard_and_the_menu_point_to_the_page(client, procurator, supervisor, officer, office):
    absconder(office)
    client.force_login(procurator)
    html = client.get("/").content.decode()
    assert 'href="/oversight/?code=lost_contact_without_warning"' in html
    assert 'href="/oversight/"' in html and 'href="/audit/"' in html
    client.force_login(supervisor)
    html = client.get("/").content.decode()
    assert 'href="/oversight/"' in html and 'href="/audit/"' in html
    client.force_login(officer)
    html = client.get("/").content.decode()
    assert 'href="/oversight/"' not in html and 'href="/audit/"' not in html
