"""Release done right (CCL 44; contract v1.1 "The case from commission to release"): `terminated` as
`expired` or `pardoned` is refused with 409, naming the cause, while the case is in custody or a
revocation or recommitment proposal is sent or accepted; `expired` only from the day after `end_date`.

The pending-proposal block is coordination's, registered into corrections' release registry."""

import datetime as dt

import pytest

from config.api import StateConflict
from coordination.services import referral_accept, referral_create, referral_send, referral_withdraw
from corrections.constants import Status
from corrections.services import supervisee_transition
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/supervisees/"
ENDED = dt.date(2026, 10, 31)  # the last day of the period below


@pytest.fixture
def ended(office, officer):
    """A probation case whose period (12 months from 2025-11-01) ended on 2026-10-31."""
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__effective=dt.date(2025, 11, 1),
        sentence__original_term_months=12,
        sentence__probation_term_months=12,
    )
    assert case.sentence.end_date == ENDED
    return case


def release(api_as, user, case, on, reason="expired"):
    return api_as(user).post(
        f"{LIST}{case.pk}/transition/",
        {"to": "terminated", "date": on.isoformat(), "reason": reason},
        format="json",
    )


def test_expired_is_refused_on_the_last_day_and_allowed_the_day_after(api_as, officer, ended):
    response = release(api_as, officer, ended, ENDED)
    assert response.status_code == 400
    assert "2026-10-31" in response.json()["reason"][0] and "art. 44" in response.json()["reason"][0]
    response = release(api_as, officer, ended, ENDED + dt.timedelta(days=1))
    assert response.status_code == 200 and response.json()["exit_reason"] == "expired"


@pytest.mark.parametrize("reason", ["expired", "pardoned"])
def test_release_is_refused_in_custody(api_as, officer, ended, reason):
    supervisee_transition(supervisee=ended, by=officer, to=Status.IN_CUSTODY, on=dt.date(2026, 11, 2))
    response = release(api_as, officer, ended, dt.date(2026, 11, 3), reason)
    assert response.status_code == 409
    assert "custody" in response.json()["detail"]
    ended.refresh_from_db()
    assert ended.status == Status.IN_CUSTODY


def test_a_revocation_in_custody_is_not_a_release(officer, ended):
    supervisee_transition(supervisee=ended, by=officer, to=Status.IN_CUSTODY, on=dt.date(2026, 11, 2))
    done = supervisee_transition(
        supervisee=ended,
        by=officer,
        to=Status.TERMINATED,
        on=dt.date(2026, 11, 3),
        reason="probation_revoked",
    )
    assert done.exit_reason == "probation_revoked"


@pytest.mark.parametrize("reason", ["expired", "pardoned"])
def test_release_is_refused_while_a_revocation_proposal_is_sent_or_accepted(
    api_as, officer, judge, agencies, ended, reason
):
    proposal = referral_create(
        supervisee=ended,
        by=officer,
        to_agency=agencies["court"],
        kind="revocation_proposal",
        summary="撤销缓刑",
    )
    day = dt.date(2026, 11, 2)
    referral_send(referral=proposal, by=officer)
    with pytest.raises(StateConflict):
        supervisee_transition(supervisee=ended, by=officer, to=Status.TERMINATED, on=day, reason=reason)
    response = release(api_as, officer, ended, day, reason)
    assert response.status_code == 409
    assert "revocation proposal" in response.json()["detail"] and "art. 48" in response.json()["detail"]
    referral_accept(referral=proposal, by=judge)
    assert release(api_as, officer, ended, day, reason).status_code == 409
    referral_withdraw(referral=proposal, by=officer)
    assert release(api_as, officer, ended, day, reason).status_code == 200


def test_a_draft_proposal_does_not_block_release(officer, agencies, ended):
    referral_create(
        supervisee=ended,
        by=officer,
        to_agency=agencies["court"],
        kind="revocation_proposal",
        summary="撤销缓刑",
    )
    done = supervisee_transition(
        supervisee=ended, by=officer, to=Status.TERMINATED, on=dt.date(2026, 11, 2), reason="expired"
    )
    assert done.status == Status.TERMINATED


def test_release_is_refused_while_a_recommitment_proposal_is_pending(api_as, officer, agencies, office):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__category="temporary_execution")
    proposal = referral_create(
        supervisee=case, by=officer, to_agency=agencies["court"], kind="recommitment_proposal", summary="收监"
    )
    referral_send(referral=proposal, by=officer)
    response = release(api_as, officer, case, dt.date(2026, 11, 2), "pardoned")
    assert response.status_code == 409
    assert "recommitment proposal" in response.json()["detail"] and "art. 49" in response.json()["detail"]


def test_other_referrals_do_not_block_release(officer, agencies, ended):
    search = referral_create(
        supervisee=ended, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="查找"
    )
    referral_send(referral=search, by=officer)
    done = supervisee_transition(
        supervisee=ended, by=officer, to=Status.TERMINATED, on=dt.date(2026, 11, 2), reason="expired"
    )
    assert done.exit_reason == "expired"
