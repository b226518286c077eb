"""The printable case summary (`/supervisees/{id}/summary/`): in scope only (404 outside), audited as
a read of the case, the due days the case header shows, the print stylesheet linked."""

import datetime as dt

import pytest

from accounts.models import AuditEvent
from corrections.teams import team_member_add
from tests.factories import CheckInFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(office, officer):
    made = SuperviseeFactory(justice_office=office, officer=officer, name="赵家明", management_level="strict")
    CheckInFactory(supervisee=made, on=dt.date(2026, 11, 20))
    return made


def test_the_summary_is_read_in_scope_and_audited(client, officer, supervisor, procurator, judge, case):
    for user in (officer, supervisor, procurator, judge):
        client.force_login(user)
        response = client.get(f"/supervisees/{case.pk}/summary/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        assert response.status_code == 200, user
        body = response.content.decode()
        assert "案件摘要" in body and "赵家明" in body
        assert '<time datetime="2026-11-27">2026-11-27</time>' in body  # next report, as the header
        assert 'href="/static/css/print.css" media="print"' in body
        assert AuditEvent.objects.filter(
            actor=user, action="view", supervisee_id=case.pk, target_type="corrections.supervisee"
        ).exists()


@pytest.mark.parametrize("role", ["other_office_officer", "police", "social_worker"])
def test_outside_scope_is_404_and_nothing_is_audited(request, client, case, role):
    user = request.getfixturevalue(role)
    client.force_login(user)
    assert client.get(f"/supervisees/{case.pk}/summary/").status_code == 404
    assert client.get("/supervisees/999999/summary/").status_code == 404
    assert not AuditEvent.objects.filter(actor=user, action="view").exists()


def test_a_social_worker_on_the_team_reads_it_without_id_number_or_crime(
    client, case, officer, social_worker
):
    team_member_add(supervisee=case, by=officer, name="社工", role="social_worker", user=social_worker)
    client.force_login(social_worker)
    response = client.get(f"/supervisees/{case.pk}/summary/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    assert case.id_number not in body and case.crime not in body
    assert "Case summary" in body


def test_the_case_page_links_its_summary(client, officer, case):
    client.force_login(officer)
    body = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert f'href="/supervisees/{case.pk}/summary/"' in body
