"""The procuratorate's exceptions view (coordination.oversight): each code raised in a minimal case and
gone when the condition is cured; who may read it; its scope; its query count."""

import datetime as dt

import pytest
from django.utils import timezone

from accounts.constants import AgencyKind
from coordination.constants import ReferralKind, ReferralStatus
from coordination.models import Referral
from corrections.constants import ExitReason, Status
from corrections.models import StatusChange
from supervision.constants import ApprovalLevel, LeaveStatus, MeasureKind, MeasureStatus
from supervision.models import LeaveRequest, LeaveTier, Measure
from tests.factories import AgencyFactory, DistrictFactory, JusticeOfficeFactory, SuperviseeFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/oversight/exceptions/"
UTC = dt.UTC


def today() -> dt.date:
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


def items(client, **params) -> list[tuple]:
    response = client.get(URL, params)
    assert response.status_code == 200, response.json()
    return [(row["supervisee"], row["code"], row["since"]) for row in response.json()["results"]]


@pytest.fixture
def reviewer(api_as, procurator):
    return api_as(procurator)


# --- lost_contact_without_warning ----------------------------------------------------------------------


@pytest.fixture
def absconder(office, court, officer):
    case = SuperviseeFactory(justice_office=office, status=Status.ABSCONDED)
    StatusChange.objects.create(
        supervisee=case, from_status=Status.UNDER_SUPERVISION, to_status=Status.ABSCONDED, date=days_ago(40)
    )
    return case


def warning(case, officer, decided_on, status=MeasureStatus.APPROVED, kind=MeasureKind.WARNING):
    return Measure.objects.create(
        supervisee=case,
        kind=kind,
        reason="脱管",
        occurred_on=decided_on,
        status=status,
        proposed_by=officer,
        decided_on=decided_on if status != MeasureStatus.PROPOSED else None,
    )


def test_lost_contact_without_warning(reviewer, absconder, officer):
    expected = [(absconder.pk, "lost_contact_without_warning", days_ago(40).isoformat())]
    assert items(reviewer) == expected
    body = reviewer.get(URL).json()["results"][0]
    assert body["case_number"] == absconder.case_number
    assert days_ago(40).isoformat() in body["detail"]
    # Not cured by a warning from before the absconding, an admonition, or a warning still proposed.
    warning(absconder, officer, days_ago(60))
    warning(absconder, officer, days_ago(30), kind=MeasureKind.ADMONITION)
    warning(absconder, officer, days_ago(20), status=MeasureStatus.PROPOSED)
    assert items(reviewer) == expected
    # Cured: a warning decided since contact was lost.
    warning(absconder, officer, days_ago(10))
    assert items(reviewer) == []


def test_lost_contact_is_dated_by_the_latest_absconding(reviewer, absconder, officer):
    StatusChange.objects.create(
        supervisee=absconder,
        from_status=Status.UNDER_SUPERVISION,
        to_status=Status.ABSCONDED,
        date=days_ago(5),
    )
    warning(absconder, officer, days_ago(10))  # for the earlier absconding
    assert items(reviewer) == [(absconder.pk, "lost_contact_without_warning", days_ago(5).isoformat())]


def test_a_case_back_in_contact_is_not_listed(reviewer, absconder):
    type(absconder).objects.filter(pk=absconder.pk).update(status=Status.UNDER_SUPERVISION)
    assert items(reviewer) == []


# --- leave_beyond_tier -----------------------------------------------------------------------------------


def leave(case, officer, *, days, level, start=None, status=LeaveStatus.APPROVED):
    start = start or days_ago(3)
    return LeaveRequest.objects.create(
        supervisee=case,
        destination="济南市历下区",
        reason="探望住院的母亲",
        start_date=start,
        end_date=start + dt.timedelta(days=days - 1),
        status=status,
        approval_level=level,
        requested_by=officer,
    )


def test_leave_beyond_its_tier(reviewer, office, court, officer):
    case = SuperviseeFactory(justice_office=office)
    # Default tiers (migration): justice office up to 7 days, district up to 30, city beyond.
    leave(case, officer, days=7, level=ApprovalLevel.JUSTICE_OFFICE)
    leave(case, officer, days=30, level=ApprovalLevel.DISTRICT, start=days_ago(100))
    leave(case, officer, days=45, level=ApprovalLevel.CITY, start=days_ago(200))
    leave(
        case,
        officer,
        days=12,
        level=ApprovalLevel.JUSTICE_OFFICE,
        start=days_ago(300),
        status=LeaveStatus.REJECTED,
    )
    assert items(reviewer) == []
    too_long = leave(case, officer, days=8, level=ApprovalLevel.JUSTICE_OFFICE, start=days_ago(20))
    returned = leave(
        case, officer, days=31, level=ApprovalLevel.DISTRICT, start=days_ago(90), status=LeaveStatus.RETURNED
    )
    assert items(reviewer) == [
        (case.pk, "leave_beyond_tier", returned.start_date.isoformat()),
        (case.pk, "leave_beyond_tier", too_long.start_date.isoformat()),
    ]
    detail = reviewer.get(URL).json()["results"][1]["detail"]
    assert "8 days" in detail and "7 days" in detail


def test_leave_is_measured_by_the_districts_own_tiers_in_force_on_its_start(reviewer, office, court, officer):
    case = SuperviseeFactory(justice_office=office)
    district = office.district
    # From 40 days ago the district lets its justice offices approve up to 10 days.
    for max_days, level in (
        (10, ApprovalLevel.JUSTICE_OFFICE),
        (30, ApprovalLevel.DISTRICT),
        (None, ApprovalLevel.CITY),
    ):
        LeaveTier.objects.create(
            district=district, approval_level=level, max_days=max_days, effective_from=days_ago(40)
        )
    before = leave(case, officer, days=9, level=ApprovalLevel.JUSTICE_OFFICE, start=days_ago(60))
    leave(case, officer, days=9, level=ApprovalLevel.JUSTICE_OFFICE, start=days_ago(20))
    assert items(reviewer) == [(case.pk, "leave_beyond_tier", before.start_date.isoformat())]
    over = leave(case, officer, days=11, level=ApprovalLevel.JUSTICE_OFFICE, start=days_ago(10))
    assert items(reviewer) == [
        (case.pk, "leave_beyond_tier", before.start_date.isoformat()),
        (case.pk, "leave_beyond_tier", over.start_date.isoformat()),
    ]


# --- proposal_without_decision and released_while_proposal_pending ---------------------------------------


def proposal(
    case, officer, *, due, sent_at, status=ReferralStatus.SENT, kind=ReferralKind.REVOCATION_PROPOSAL
):
    return Referral.objects.create(
        supervisee=case,
        from_agency=officer.agency,
        to_agency=case.sentence.deciding_agency,
        kind=kind,
        status=status,
        summary="提请撤销缓刑",
        due_date=due,
        created_by=officer,
        sent_at=sent_at,
    )


def test_proposal_without_decision(reviewer, office, court, officer):
    case = SuperviseeFactory(justice_office=office)
    sent = timezone.now() - dt.timedelta(days=40)
    late = proposal(case, officer, due=days_ago(1), sent_at=sent)
    proposal(case, officer, due=today(), sent_at=sent)  # due today: not late yet
    proposal(
        case, officer, due=days_ago(5), sent_at=sent, kind=ReferralKind.ABSCONDER_SEARCH
    )  # not a proposal
    assert items(reviewer) == [(case.pk, "proposal_without_decision", late.due_date.isoformat())]
    Referral.objects.filter(pk=late.pk).update(status=ReferralStatus.ACCEPTED)
    assert len(items(reviewer)) == 1
    # Cured: the court decided.
    Referral.objects.filter(pk=late.pk).update(status=ReferralStatus.COMPLETED)
    assert items(reviewer) == []


@pytest.fixture
def released(office, court):
    return SuperviseeFactory(
        justice_office=office,
        status=Status.TERMINATED,
        exit_date=days_ago(10),
        exit_reason=ExitReason.EXPIRED,
    )


def local(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=timezone.get_default_timezone())


def test_released_while_a_proposal_was_pending(reviewer, released, officer):
    # Sent at 23:30 on the exit day, office time (15:30Z): pending when the case was released. Due in the
    # future, so it is not also a late proposal.
    pending = proposal(
        released, officer, due=today() + dt.timedelta(days=5), sent_at=local(released.exit_date, 23, 30)
    )
    assert items(reviewer) == [
        (released.pk, "released_while_proposal_pending", released.exit_date.isoformat())
    ]
    # Cured: the proposal was withdrawn.
    Referral.objects.filter(pk=pending.pk).update(status=ReferralStatus.WITHDRAWN)
    assert items(reviewer) == []


def test_a_proposal_sent_after_the_release_or_another_exit_reason_is_not_listed(
    reviewer, released, officer, office
):
    # 00:30 the day after the exit, office time: sent after the release.
    proposal(
        released,
        officer,
        due=today() + dt.timedelta(days=5),
        sent_at=local(released.exit_date + dt.timedelta(days=1), 0, 30),
    )
    revoked = SuperviseeFactory(
        justice_office=office,
        status=Status.TERMINATED,
        exit_date=days_ago(10),
        exit_reason=ExitReason.PROBATION_REVOKED,
    )
    proposal(revoked, officer, due=today() + dt.timedelta(days=5), sent_at=local(days_ago(20), 10))
    assert items(reviewer) == []


# --- who, where, how many queries ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role_fixture", "expected"),
    [
        ("procurator", 200),
        ("supervisor", 200),
        ("officer", 403),
        ("other_office_officer", 403),
        ("judge", 403),
        ("police", 403),
        ("social_worker", 403),
    ],
)
def test_who_may_read_the_exceptions(request, api_as, absconder, role_fixture, expected):
    response = api_as(request.getfixturevalue(role_fixture)).get(URL)
    assert response.status_code == expected


def test_no_credential_is_401(api):
    assert api.get(URL).status_code == 401


def test_scoped_to_the_callers_district(reviewer, absconder, officer):
    far_office = JusticeOfficeFactory(district=DistrictFactory(name="市中区", code="370402"))
    AgencyFactory(kind=AgencyKind.COURT, district=far_office.district)
    far = SuperviseeFactory(justice_office=far_office, status=Status.ABSCONDED)
    StatusChange.objects.create(
        supervisee=far, from_status=Status.UNDER_SUPERVISION, to_status=Status.ABSCONDED, date=days_ago(3)
    )
    assert [row[0] for row in items(reviewer)] == [absconder.pk]


def test_filter_by_code_and_refuse_an_unknown_one(reviewer, absconder, office, officer):
    case = SuperviseeFactory(justice_office=office)
    leave(case, officer, days=9, level=ApprovalLevel.JUSTICE_OFFICE)
    assert {row[1] for row in items(reviewer)} == {"lost_contact_without_warning", "leave_beyond_tier"}
    assert items(reviewer, code="leave_beyond_tier") == [
        (case.pk, "leave_beyond_tier", days_ago(3).isoformat())
    ]
    response = reviewer.get(URL, {"code": "everything"})
    assert response.status_code == 400
    assert "code" in response.json()


@pytest.mark.parametrize("copies", [1, 6])
def test_one_query_per_code_whatever_the_number_of_cases(
    reviewer, office, court, officer, copies, django_assert_num_queries
):
    for _ in range(copies):
        absconded = SuperviseeFactory(justice_office=office, status=Status.ABSCONDED)
        StatusChange.objects.create(
            supervisee=absconded,
            from_status=Status.UNDER_SUPERVISION,
            to_status=Status.ABSCONDED,
            date=days_ago(9),
        )
        away = SuperviseeFactory(justice_office=office)
        leave(away, officer, days=9, level=ApprovalLevel.JUSTICE_OFFICE)
        late = SuperviseeFactory(justice_office=office)
        proposal(late, officer, due=days_ago(2), sent_at=timezone.now() - dt.timedelta(days=40))
        gone = SuperviseeFactory(
            justice_office=office,
            status=Status.TERMINATED,
            exit_date=days_ago(4),
            exit_reason=ExitReason.EXPIRED,
        )
        proposal(
            gone, officer, due=today() + dt.timedelta(days=9), sent_at=timezone.now() - dt.timedelta(days=6)
        )
    with django_assert_num_queries(4):
        response = reviewer.get(URL, {"page_size": 2})
    body = response.json()
    assert body["count"] == 4 * copies
    assert len(body["results"]) == 2


def test_the_list_is_paginated_oldest_first(reviewer, office, court, officer):
    for age in (5, 50, 20):
        case = SuperviseeFactory(justice_office=office, status=Status.ABSCONDED)
        StatusChange.objects.create(
            supervisee=case,
            from_status=Status.UNDER_SUPERVISION,
            to_status=Status.ABSCONDED,
            date=days_ago(age),
        )
    first = reviewer.get(URL, {"page_size": 2}).json()
    assert first["count"] == 3 and first["next"] and first["previous"] is None
    assert [row["since"] for row in first["results"]] == [days_ago(50).isoformat(), days_ago(20).isoformat()]
    second = reviewer.get(URL, {"page_size": 2, "page": 2}).json()
    assert [row["since"] for row in second["results"]] == [days_ago(5).isoformat()]
    assert set(first["results"][0]) == {"supervisee", "case_number", "code", "since", "detail"}
