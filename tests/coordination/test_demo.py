"""Coordination's demo data: referrals in every state, written once, with grants the services would give."""

import datetime as dt

import pytest
from django.core.management import call_command

from accounts.models import User
from coordination.constants import VISIBLE_TO_RECEIVER, ReferralStatus
from coordination.models import ArrestRequest, Referral, ReferralMessage
from coordination.services import _check_addressee, _check_creator
from corrections.models import SuperviseeGroupObjectPermission
from corrections.scoping import supervisees_visible_to
from documents.models import Notice
from supervision.sweep import sweep_run
from tests.conftest import FROZEN_TODAY

pytestmark = pytest.mark.django_db
# The demo is laid out back from this day; the command refuses a day after today (the test clock's).
DAY = FROZEN_TODAY - dt.timedelta(days=5)


def test_demo_referrals_are_idempotent_consistent_and_cover_every_state():
    call_command("seed_demo", supervisees=120, date=DAY)
    first = (Referral.objects.count(), ReferralMessage.objects.count())
    assert all(first), first
    call_command("seed_demo", supervisees=120, date=DAY)
    assert (Referral.objects.count(), ReferralMessage.objects.count()) == first

    assert set(Referral.objects.values_list("status", flat=True)) == set(ReferralStatus.values)
    kinds = set(Referral.objects.values_list("kind", flat=True))
    assert {"absconder_search", "revocation_proposal", "procuratorial_notice"} <= kinds
    notice = Referral.objects.filter(kind="procuratorial_notice", adopted=False).first()
    assert notice is not None and len(notice.outcome) >= 10

    # The grants are exactly those the services would have given.
    expected = set(
        Referral.objects.filter(status__in=VISIBLE_TO_RECEIVER).values_list(
            "to_agency__group_id", "supervisee_id"
        )
    )
    granted = set(SuperviseeGroupObjectPermission.objects.values_list("group_id", "content_object_id"))
    assert granted == expected

    police = User.objects.get(username="police")
    seen = set(supervisees_visible_to(police).values_list("pk", flat=True))
    referred = set(
        Referral.objects.filter(to_agency=police.agency, status__in=VISIBLE_TO_RECEIVER).values_list(
            "supervisee_id", flat=True
        )
    )
    # ... and the cases a notice was sent to them about (the demo's releases and deaths, documents.demo).
    noticed = set(Notice.objects.filter(to_agency=police.agency).values_list("supervisee_id", flat=True))
    assert seen == referred | noticed and referred - noticed
    assert Referral.objects.filter(kind="absconder_search", supervisee_id__in=seen).exists()

    for referral in Referral.objects.select_related("created_by__agency", "supervisee", "to_agency"):
        # Every demo referral is one the services would have let its author create.
        by = referral.created_by
        _check_creator(by=by, supervisee=referral.supervisee, kind=referral.kind)
        _check_addressee(
            by=by, supervisee=referral.supervisee, to_agency=referral.to_agency, kind=referral.kind
        )
        assert referral.from_agency_id == by.agency_id
        if referral.status != "draft":
            assert referral.sent_at is not None and referral.created_at <= referral.sent_at

    raised = sweep_run(as_of=DAY)
    assert raised["referral_overdue"] > 0
    assert sweep_run(as_of=DAY)["referral_overdue"] == 0

    # CCL 47: arrest requests only on sent revocation proposals, to the same court, granted ones decided by
    # the court (never the requester) and told to the police; the undecided ones are past their 48 hours.
    arrests = list(ArrestRequest.objects.select_related("referral", "decided_by"))
    assert {a.status for a in arrests} == {"requested", "granted"}, arrests
    assert all(a.referral.kind == "revocation_proposal" and a.referral.sent_at for a in arrests)
    granted = [a for a in arrests if a.status == "granted"]
    assert all(a.decided_by.role == "court" and a.decided_by_id != a.requested_by_id for a in granted)
    assert Notice.objects.filter(kind="arrest_execution").count() == len(granted)
    assert raised["arrest_overdue"] == len(arrests) - len(granted)
