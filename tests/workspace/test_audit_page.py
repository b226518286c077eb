"""The audit trail page (/audit/): the district's trail for a bureau supervisor and the procuratorate,
searched by case (id or case number), actor, action and date; each row shows at, actor, agency, action,
target, the case number linking to the case, and the changes (before → after); 50 to a page; reading it
is audited as one `search` event; its query count is pinned."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from accounts.constants import AuditAction, Role
from accounts.models import AuditEvent
from accounts.services import audit_record
from tests.factories import DistrictFactory, JusticeOfficeFactory, SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/audit/"
UTC = dt.UTC


def at(moment: dt.datetime):
    """Write audit rows as if at `moment` (the `at` column is set on insert): the test clock, stopped."""
    return time_machine.travel(moment, tick=False)


@pytest.fixture
def case(office):
    return SuperviseeFactory(justice_office=office, case_number="YCJ-2026-0042")


@pytest.fixture
def trail(officer, police, case):
    far_office = JusticeOfficeFactory(district=DistrictFactory(name="市中区", code="370402"))
    far_officer = UserFactory(username="far_officer", role=Role.JUSTICE_OFFICER, agency=far_office)
    far_case = SuperviseeFactory(justice_office=far_office)
    with at(dt.datetime(2026, 11, 24, 15, 59, 59, tzinfo=UTC)):  # 23:59:59 on the 24th in Shanghai
        late = audit_record(actor=officer, action=AuditAction.VIEW, target=case, supervisee_id=case.pk)
    with at(dt.datetime(2026, 11, 24, 16, 0, 0, tzinfo=UTC)):  # midnight of the 25th in Shanghai
        update = audit_record(
            actor=officer,
            action=AuditAction.UPDATE,
            target=case,
            supervisee_id=case.pk,
            changes={"management_level": {"before": "normal", "after": "strict"}},
        )
    with at(dt.datetime(2026, 11, 25, 2, 0, 0, tzinfo=UTC)):
        by_police = audit_record(actor=police, action=AuditAction.VIEW, target=case, supervisee_id=case.pk)
        far = audit_record(
            actor=far_officer, action=AuditAction.VIEW, target=far_case, supervisee_id=far_case.pk
        )
    return {"late": late, "update": update, "by_police": by_police, "far": far}


def shown(response) -> list[int]:
    assert response.status_code == 200
    return [event.pk for event in response.context["rows"]]


@translation.override("en")
def test_the_procurator_reads_the_districts_trail_with_case_links_and_changes(
    client, procurator, trail, case
):
    client.force_login(procurator)
    response = client.get(URL)
    # The trail's events of the district, newest first (signing in wrote one more: the reviewer's own).
    case_events = [pk for pk in shown(response) if pk in {e.pk for e in trail.values()}]
    assert case_events == [trail["by_police"].pk, trail["update"].pk, trail["late"].pk]
    html = response.content.decode()
    assert f'<a href="/supervisees/{case.pk}/">{case.case_number}</a>' in html
    assert '<span class="field-name">management level</span>: <del>Normal</del> → <ins>Strict</ins>' in html
    assert "t_police" in html and "薛城公安分局" in html and "Updated" in html
    assert case.name not in html


def test_changes_read_in_words_in_chinese(client, procurator, officer, police, case, agencies):
    """Field labels, choice labels, local times and the names of agencies and people, not codes, ids and
    UTC (issue: `status: accepted → completed`, `closed_at: ∅ → 2026-12-01T18:40:22.511435+00:00`)."""
    audit_record(
        actor=officer,
        action=AuditAction.TRANSITION,
        target=case,
        supervisee_id=case.pk,
        changes={
            "status": {"before": "under_supervision", "after": "absconded"},
            "sentence.end_date": {"before": None, "after": "2027-01-31"},
            "justice_office": {"before": None, "after": case.justice_office_id},
        },
    )
    audit_record(actor=police, action=AuditAction.SIGN_IN, target=police, changes={"via": "session"})
    audit_record(
        actor=officer,
        action=AuditAction.UPDATE,
        target=case,
        supervisee_id=case.pk,
        changes={"updated_at": {"before": None, "after": "2026-12-01T18:40:22.511435+00:00"}},
    )
    client.force_login(procurator)
    html = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<span class="field-name">状态</span>: <del>在矫</del> → <ins>脱管/失联</ins>' in html
    assert '<span class="field-name">矫正届满日</span>: <del>∅</del> → <ins>2027-01-31</ins>' in html
    assert f"<ins>{case.justice_office.name}</ins>" in html
    # 18:40 UTC on the 1st is 02:40 on the 2nd in the office's time zone.
    assert "<ins>2026-12-02 02:40</ins>" in html and "+00:00" not in html
    assert "登录页面" in html and ">session<" not in html
    assert "under_supervision" not in html and "sentence.end_date" not in html


def test_search_by_case_number_or_id_actor_action_and_date(client, supervisor, trail, case):
    client.force_login(supervisor)
    assert shown(client.get(URL, {"supervisee": case.case_number, "actor": "t_police"})) == [
        trail["by_police"].pk
    ]
    assert shown(client.get(URL, {"supervisee": str(case.pk), "action": "update"})) == [trail["update"].pk]
    # A date means local midnight in Shanghai: the 25th starts at 16:00Z on the 24th.
    assert shown(client.get(URL, {"since": "2026-11-25", "actor": "t_officer"})) == [trail["update"].pk]


def test_reading_is_audited_once_with_the_filters(client, procurator, trail, case):
    client.force_login(procurator)
    client.get(URL, {"supervisee": case.case_number, "since": "2026-11-25"})
    event = AuditEvent.objects.get(action="search", actor=procurator)
    assert event.target_type == "accounts.auditevent"
    assert event.changes == {"supervisee": case.pk, "since": "2026-11-25T00:00:00+08:00"}


def test_bad_input_keeps_what_was_typed_and_names_the_field(client, procurator, trail):
    client.force_login(procurator)
    response = client.get(URL, {"supervisee": "YCJ-无此案", "since": "2026-13-45", "actor": "t_officer"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_supervisee-errors"' in html and 'id="id_since-errors"' in html
    assert 'value="YCJ-无此案"' in html and 'value="t_officer"' in html
    assert not AuditEvent.objects.filter(action="search").exists()  # nothing was read


def test_a_case_of_another_district_is_not_found_by_number(client, procurator, trail):
    far_case = AuditEvent.objects.get(pk=trail["far"].pk).supervisee_id
    from corrections.models import Supervisee

    client.force_login(procurator)
    number = Supervisee.objects.get(pk=far_case).case_number
    assert client.get(URL, {"supervisee": number}).status_code == 400
    assert shown(client.get(URL, {"supervisee": str(far_case)})) == []  # by id: nothing of the district


def test_other_roles_are_refused(client, officer, judge, police, social_worker):
    for user in (officer, judge, police, social_worker):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    assert not AuditEvent.objects.filter(action="search").exists()


def test_paginated_by_fifty(client, supervisor, officer, case):
    for _ in range(55):
        audit_record(actor=officer, action=AuditAction.VIEW, target=case, supervisee_id=case.pk)
    client.force_login(supervisor)
    first = client.get(URL, {"actor": "t_officer"})
    assert len(first.context["rows"]) == 50 and "actor=t_officer&amp;page=2" in first.content.decode()
    assert len(client.get(URL, {"actor": "t_officer", "page": 2}).context["rows"]) == 5


@pytest.mark.parametrize("events", [3, 40])
def test_the_page_runs_a_fixed_number_of_queries(
    client, procurator, officer, office, events, django_assert_num_queries
):
    cases = [SuperviseeFactory(justice_office=office) for _ in range(3)]
    for n in range(events):
        case = cases[n % 3]
        audit_record(actor=officer, action=AuditAction.VIEW, target=case, supervisee_id=case.pk)
    client.force_login(procurator)
    # Session, user, agency; count and page of events; the case numbers; the search event written.
    with django_assert_num_queries(7):
        assert client.get(URL).status_code == 200
