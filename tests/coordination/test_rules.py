"""What coordination adds to the lower apps: police and courts see referred cases; referral_overdue."""

import datetime as dt

import pytest
from django.utils import timezone

from coordination.models import Referral
from coordination.rules import referrals_overdue
from coordination.services import referral_complete, referral_create, referral_send, referral_withdraw
from corrections.scoping import supervisees_visible_to
from supervision.models import Alert
from supervision.sweep import sweep_run
from tests.factories import AgencyFactory, SuperviseeFactory
from workspace.timeline import timeline_for

pytestmark = pytest.mark.django_db


def visible(user):
    return set(supervisees_visible_to(user).values_list("pk", flat=True))


def test_police_see_nothing_before_sending_only_that_case_after_and_nothing_after_withdrawal(
    case, office, officer, police, police_referral
):
    SuperviseeFactory(justice_office=office, officer=officer)  # another case of the same office
    assert visible(police) == set()
    referral_send(referral=police_referral, by=officer)
    assert visible(police) == {case.pk}
    referral_withdraw(referral=police_referral, by=officer)
    assert visible(police) == set()


def test_another_police_agency_sees_nothing(sent_referral, district):
    from accounts.constants import AgencyKind, Role
    from tests.factories import UserFactory

    other = AgencyFactory(kind=AgencyKind.POLICE, district=district, name="交警大队")
    assert visible(UserFactory(role=Role.POLICE, agency=other)) == set()


def test_court_sees_its_decided_cases_plus_referred_ones(agencies, office, officer, judge, district):
    from accounts.constants import AgencyKind

    decided = SuperviseeFactory(justice_office=office, officer=officer)  # the district court decided it
    intermediate = AgencyFactory(kind=AgencyKind.COURT, district=district, name="枣庄中院")
    elsewhere = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__category="parole",
        sentence__deciding_agency=intermediate,
    )
    assert visible(judge) == {decided.pk}
    referral = referral_create(
        supervisee=elsewhere,
        by=officer,
        to_agency=agencies["court"],
        kind="document_handover",
        summary="送达",
    )
    assert visible(judge) == {decided.pk}  # a draft grants nothing
    referral_send(referral=referral, by=officer)
    assert visible(judge) == {decided.pk, elsewhere.pk}


def test_referral_overdue_raises_once(case, sent_referral, police, accepted_referral=None):
    as_of = timezone.localdate()
    Referral.objects.filter(pk=sent_referral.pk).update(due_date=as_of - dt.timedelta(days=1))
    assert list(referrals_overdue(as_of)) == [(case.pk, as_of - dt.timedelta(days=1))]
    assert list(referrals_overdue(as_of - dt.timedelta(days=1))) == []  # due that day: not yet overdue
    raised = sweep_run(as_of=as_of)
    assert raised["referral_overdue"] == 1
    assert sweep_run(as_of=as_of)["referral_overdue"] == 0
    alert = Alert.objects.get(kind="referral_overdue")
    assert (alert.supervisee_id, alert.due_date) == (case.pk, as_of - dt.timedelta(days=1))


def test_answered_or_draft_referrals_are_not_overdue(case, officer, police, agencies, sent_referral):
    from coordination.services import referral_accept

    past = timezone.localdate() - dt.timedelta(days=3)
    draft = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="other", summary="x"
    )
    referral_accept(referral=sent_referral, by=police)
    referral_complete(referral=sent_referral, by=police, outcome="已找到")
    Referral.objects.filter(pk__in=[draft.pk, sent_referral.pk]).update(due_date=past)
    assert list(referrals_overdue(timezone.localdate())) == []


def test_sent_referrals_are_on_the_timeline(case, sent_referral, police_referral):
    events = [e for e in timeline_for(case) if e.type == "referral"]
    assert [e.id for e in events] == [sent_referral.pk]
    assert events[0].details["status"] == "sent"
    assert "summary" not in events[0].details
