"""Who sees which cases (docs/roles.md#the-roles): one function, every role, allowed and refused."""

import pytest

from accounts.constants import AgencyKind, Role
from corrections.models import Supervisee
from corrections.scoping import can_edit_case, editable_condition, supervisees_visible_to
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    JusticeOfficeFactory,
    SuperviseeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def cases(office, other_office, court):
    elsewhere = JusticeOfficeFactory(district=DistrictFactory(name="市中区", code="370402"))
    other_court = AgencyFactory(kind=AgencyKind.COURT, district=office.district, name="枣庄市中级人民法院")
    return {
        "mine": SuperviseeFactory(justice_office=office),
        "neighbour": SuperviseeFactory(justice_office=other_office),
        "other_court": SuperviseeFactory(justice_office=other_office, sentence__deciding_agency=other_court),
        "other_district": SuperviseeFactory(justice_office=elsewhere),
    }


def visible(user):
    return set(supervisees_visible_to(user).values_list("case_number", flat=True))


def names(cases, *keys):
    return {cases[key].case_number for key in keys}


def test_officer_sees_only_their_own_office(officer, cases):
    assert visible(officer) == names(cases, "mine")


def test_officer_of_the_other_office_sees_only_theirs(other_office_officer, cases):
    assert visible(other_office_officer) == names(cases, "neighbour", "other_court")


@pytest.mark.parametrize("role_fixture", ["supervisor", "procurator"])
def test_supervisor_and_procuratorate_see_the_whole_district_and_nothing_outside(
    request, role_fixture, cases
):
    user = request.getfixturevalue(role_fixture)
    assert visible(user) == names(cases, "mine", "neighbour", "other_court")


def test_court_sees_the_cases_it_decided(judge, cases):
    assert visible(judge) == names(cases, "mine", "neighbour")


@pytest.mark.parametrize("role_fixture", ["police", "social_worker"])
def test_police_and_social_workers_see_nothing_without_a_referral_or_team(request, role_fixture, cases):
    assert visible(request.getfixturevalue(role_fixture)) == set()


def test_a_user_without_role_or_agency_and_an_inactive_user_see_nothing(office, cases):
    nobody = UserFactory(username="t_nobody", role="", agency=None)
    gone = UserFactory(username="t_gone", role=Role.JUSTICE_SUPERVISOR, agency=office.parent, is_active=False)
    assert visible(nobody) == set() and visible(gone) == set()


@pytest.mark.parametrize(
    "role_fixture",
    [
        "officer",
        "other_office_officer",
        "supervisor",
        "procurator",
        "judge",
        "police",
        "social_worker",
        "city_supervisor",
    ],
)
def test_editable_condition_is_can_edit_case_as_a_filter_within_the_scope(request, role_fixture, cases):
    """corrections.selectors.supervisee_get_for_update finds an editable case by `editable_condition`
    alone: it must name exactly the cases `can_edit_case` allows among those in scope, and none outside
    the scope."""
    user = request.getfixturevalue(role_fixture)
    condition = editable_condition(user)
    editable = (
        set() if condition is None else set(Supervisee.objects.filter(condition).values_list("pk", flat=True))
    )
    in_scope = set(supervisees_visible_to(user).values_list("pk", flat=True))
    assert editable <= in_scope
    allowed = {case.pk for case in Supervisee.objects.filter(pk__in=in_scope) if can_edit_case(user, case)}
    assert editable == allowed
    if role_fixture in ("officer", "supervisor"):
        assert editable  # not a comparison of two empty sets
