"""Arrest requests on a revocation proposal (CCL 47) and custody after an arrest (CCL 47 para. 2):
asked of the court together with the proposal, decided by the court within 48 hours, executed by the
police, custody after it at most 30 days."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import AuditEvent
from config.api import StateConflict
from coordination.custody import arrest_custody
from coordination.models import ArrestRequest
from coordination.services import (
    arrest_decide,
    arrest_is_overdue,
    arrest_request_attach,
    referral_accept,
    referral_complete,
    referral_create,
    referral_send,
    referral_withdraw,
)
from corrections.constants import Status
from corrections.services import supervisee_transition
from documents.models import Notice
from supervision.models import Alert
from supervision.sweep import sweep_run
from tests.conftest import FROZEN_NOW, FROZEN_TODAY

pytestmark = pytest.mark.django_db


@pytest.fixture
def proposal(case, officer, agencies):
    return referral_create(
        supervisee=case,
        by=officer,
        to_agency=agencies["court"],
        kind="revocation_proposal",
        summary="两次警告仍不改正，提请撤销缓刑",
    )


@pytest.fixture
def requested(proposal, officer):
    arrest_request_attach(referral=proposal, by=officer, ground="may_abscond", reasons="曾两次失联")
    referral_send(referral=proposal, by=officer)
    return ArrestRequest.objects.get(referral=proposal)


def test_an_arrest_request_goes_only_with_a_revocation_proposal_naming_the_article(police_referral, officer):
    with pytest.raises(ValidationError) as refused:
        arrest_request_attach(referral=police_referral, by=officer, ground="may_abscond", reasons="x")
    message = refused.value.message_dict["kind"][0]
    assert "Community Correction Law art. 47 para. 1" in message
    assert not ArrestRequest.objects.exists()


def test_it_is_made_together_with_the_proposal_not_after_it_is_sent(proposal, officer):
    referral_send(referral=proposal, by=officer)
    with pytest.raises(StateConflict):
        arrest_request_attach(referral=proposal, by=officer, ground="may_abscond", reasons="x")


def test_ground_and_reasons_are_required(proposal, officer):
    with pytest.raises(ValidationError) as refused:
        arrest_request_attach(referral=proposal, by=officer, ground="pizza", reasons=" ")
    assert set(refused.value.message_dict) == {"ground", "reasons"}


def test_sending_the_proposal_sends_the_request_to_the_court_with_its_48_hours(requested, officer):
    assert requested.status == "requested"
    assert requested.requested_at == requested.referral.sent_at
    assert requested.decision_due_at - requested.requested_at == dt.timedelta(hours=48)
    actions = AuditEvent.objects.filter(target_type="coordination.arrestrequest").values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["create", "transition"]


def test_only_the_court_decides_and_never_the_requester(requested, officer, supervisor, police):
    for user in (officer, supervisor, police):
        with pytest.raises(PermissionDenied):
            arrest_decide(referral=requested.referral, by=user, decision="granted")
    assert ArrestRequest.objects.get().status == "requested"


def test_granted_tells_the_police_to_execute(requested, judge, agencies):
    arrest = arrest_decide(referral=requested.referral, by=judge, decision="granted", note="决定逮捕")
    assert (arrest.status, arrest.decided_by, arrest.decision_note) == ("granted", judge, "决定逮捕")
    notice = Notice.objects.get(kind="arrest_execution")
    assert (notice.to_agency, notice.from_agency) == (agencies["police"], agencies["court"])
    with pytest.raises(StateConflict):  # decided once
        arrest_decide(referral=requested.referral, by=judge, decision="refused")


def test_refused_sends_no_notice(requested, judge):
    arrest_decide(referral=requested.referral, by=judge, decision="refused", note="无逮捕必要")
    assert not Notice.objects.filter(kind="arrest_execution").exists()


def test_a_bad_decision_is_400(requested, judge):
    with pytest.raises(ValidationError) as refused:
        arrest_decide(referral=requested.referral, by=judge, decision="maybe")
    assert "decision" in refused.value.message_dict


def test_withdrawing_the_proposal_withdraws_an_undecided_request(requested, officer):
    referral_withdraw(referral=requested.referral, by=officer)
    assert ArrestRequest.objects.get().status == "withdrawn"


def test_48_hours_undecided_is_overdue_and_raises_one_alert(requested, judge):
    due = FROZEN_NOW + dt.timedelta(hours=48)
    assert not arrest_is_overdue(requested, now=due)
    assert arrest_is_overdue(requested, now=due + dt.timedelta(seconds=1))
    # Due 2026-11-27 10:00 local: not overdue when the day of the 27th begins, overdue on the 28th.
    assert sweep_run(as_of=dt.date(2026, 11, 27))["arrest_overdue"] == 0
    assert sweep_run(as_of=dt.date(2026, 11, 28))["arrest_overdue"] == 1
    assert sweep_run(as_of=dt.date(2026, 11, 29))["arrest_overdue"] == 0  # nothing twice
    alert = Alert.objects.get(kind="arrest_overdue")
    assert (alert.supervisee_id, alert.due_date) == (requested.referral.supervisee_id, dt.date(2026, 11, 27))


def test_a_decided_request_raises_no_overdue_alert(requested, judge):
    arrest_decide(referral=requested.referral, by=judge, decision="refused")
    assert sweep_run(as_of=dt.date(2026, 12, 1))["arrest_overdue"] == 0


def _held_after_arrest(requested, judge, officer):
    arrest_decide(referral=requested.referral, by=judge, decision="granted")
    case = requested.referral.supervisee
    supervisee_transition(
        supervisee=case, by=officer, to=Status.IN_CUSTODY, on=FROZEN_TODAY, ground="criminal_coercive_measure"
    )
    return case


def test_custody_after_an_arrest_shows_its_days_and_limit(requested, judge, officer):
    case = _held_after_arrest(requested, judge, officer)
    shown = arrest_custody(case, today=dt.date(2026, 12, 5))
    assert (shown["since"], shown["days"], shown["limit"]) == (FROZEN_TODAY, 10, 30)
    assert shown["until"] == dt.date(2026, 12, 25) and not shown["over"]
    assert arrest_custody(case, today=dt.date(2026, 12, 26))["over"]


def test_custody_past_30_days_raises_one_alert(requested, judge, officer):
    case = _held_after_arrest(requested, judge, officer)
    # Held from 11-25 (that day not counted, CPL 105): the 30 days end with 12-25.
    assert sweep_run(as_of=dt.date(2026, 12, 25))["custody_over_limit"] == 0
    assert sweep_run(as_of=dt.date(2026, 12, 26))["custody_over_limit"] == 1
    assert sweep_run(as_of=dt.date(2026, 12, 27))["custody_over_limit"] == 0
    assert list(Alert.objects.filter(kind="custody_over_limit").values_list("supervisee_id", "due_date")) == [
        (case.pk, dt.date(2026, 12, 25))
    ]


def test_no_limit_without_a_granted_arrest_or_once_the_court_has_ruled(requested, judge, officer):
    case = requested.referral.supervisee
    supervisee_transition(
        supervisee=case, by=officer, to=Status.IN_CUSTODY, on=FROZEN_TODAY, ground="detention"
    )
    assert arrest_custody(case, today=dt.date(2027, 1, 1)) is None  # held, but not after an arrest
    assert sweep_run(as_of=dt.date(2027, 1, 1))["custody_over_limit"] == 0
    arrest_decide(referral=requested.referral, by=judge, decision="granted")
    assert arrest_custody(case, today=dt.date(2026, 12, 1))["since"] == FROZEN_TODAY
    referral_accept(referral=requested.referral, by=judge)
    referral_complete(referral=requested.referral, by=judge, outcome="裁定撤销缓刑")
    assert arrest_custody(case, today=dt.date(2027, 1, 1)) is None


def test_the_case_page_shows_the_clock_and_the_custody(client, requested, judge, officer):
    case = _held_after_arrest(requested, judge, officer)
    client.force_login(officer)
    page = client.get(f"/supervisees/{case.pk}/").content.decode()
    assert 'id="arrest"' in page and "2026-12-25" in page


def test_the_pages_ask_and_decide_and_the_courts_inbox_shows_the_clock(client, proposal, officer, judge):
    client.force_login(officer)
    form = client.get(f"/referrals/{proposal.pk}/").content.decode()
    assert f'action="/referrals/{proposal.pk}/arrest-request/"' in form
    response = client.post(
        f"/referrals/{proposal.pk}/arrest-request/",
        {"arrest-ground": "social_danger", "arrest-reasons": "扬言报复"},
    )
    assert response.status_code == 302
    assert client.post(f"/referrals/{proposal.pk}/send/", {"confirm": "yes"}).status_code == 302
    client.force_login(judge)
    inbox = client.get("/referrals/?box=inbox").content.decode()
    assert "48 hours left to decide" in inbox
    refused = client.post(f"/referrals/{proposal.pk}/arrest-request/decide/", {"decision-decision": ""})
    assert refused.status_code == 400
    done = client.post(
        f"/referrals/{proposal.pk}/arrest-request/decide/",
        {"decision-decision": "refused", "decision-note": "无必要"},
    )
    assert done.status_code == 302
    assert ArrestRequest.objects.get().status == "refused"


def test_the_api_carries_the_request_on_the_referral(api, requested, judge):
    api.force_authenticate(user=judge)
    body = api.get(f"/api/v1/referrals/{requested.referral_id}/").json()
    assert body["arrest_request"]["status"] == "requested" and body["arrest_request"]["overdue"] is False
    done = api.post(
        f"/api/v1/referrals/{requested.referral_id}/arrest-request/decide/", {"decision": "granted"}
    )
    assert done.status_code == 200 and done.json()["arrest_request"]["decided_by"] == judge.username


def test_the_timeline_shows_the_request_and_the_decision_without_the_reasons(requested, judge):
    from workspace.timeline import timeline_for

    arrest_decide(referral=requested.referral, by=judge, decision="granted")
    events = [e for e in timeline_for(requested.referral.supervisee) if e.type.startswith("arrest")]
    assert [e.type for e in events] == ["arrest_decision", "arrest_request"]
    assert all("曾两次失联" not in e.summary for e in events)
