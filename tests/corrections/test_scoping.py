"""Who sees which cases (docs/roles.md#the-roles): one function, every role, allowed and refused."""

import pytest

from accounts.constants import AgencyKind, Role
from corrections.scoping import supervisees_visible_to
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
