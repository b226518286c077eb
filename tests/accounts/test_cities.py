"""Cities above districts (issue 14, item 1; docs/roles.md#the-city-level): the agency tree's shape, the
city supervisor's scope (every case of every district of its city, to read) and the pages it walks."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.constants import AgencyKind
from accounts.models import Agency, City
from corrections.models import Supervisee
from corrections.scoping import can_edit_case, in_home_area, supervisees_visible_to
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    JusticeOfficeFactory,
    SuperviseeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_b(district_b):
    return district_b["agencies"]["office"]


@pytest.fixture
def cases(office, office_b):
    return SuperviseeFactory(justice_office=office), SuperviseeFactory(justice_office=office_b)


# --- the tree ----------------------------------------------------------------------------------------


def test_an_agency_is_in_a_district_or_a_city_never_both_nor_neither(district, city):
    for fields in ({}, {"district": district, "city": city}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Agency.objects.create(name="两头", kind=AgencyKind.JUSTICE_BUREAU, **fields)
        with pytest.raises(ValidationError):
            Agency(name="两头", kind=AgencyKind.JUSTICE_BUREAU, **fields).full_clean()
    # Each alone is fine.
    Agency.objects.create(name="区局", kind=AgencyKind.JUSTICE_BUREAU, district=district)
    Agency.objects.create(name="市局", kind=AgencyKind.JUSTICE_BUREAU, city=city)


def test_only_a_justice_bureau_works_at_city_level(city):
    with pytest.raises(IntegrityError), transaction.atomic():
        Agency.objects.create(name="市公安局", kind=AgencyKind.POLICE, city=city)
    with pytest.raises(ValidationError) as error:
        Agency(name="市公安局", kind=AgencyKind.POLICE, city=city).full_clean()
    assert "kind" in error.value.message_dict


def test_a_district_bureau_may_answer_to_its_own_citys_bureau_only(district, city, city_bureau):
    Agency(
        name="薛城区司法局", kind=AgencyKind.JUSTICE_BUREAU, district=district, parent=city_bureau
    ).full_clean()
    elsewhere = DistrictFactory(name="任城区", code="370811")  # Jining's: not under this city
    with pytest.raises(ValidationError):
        Agency(
            name="任城区司法局", kind=AgencyKind.JUSTICE_BUREAU, district=elsewhere, parent=city_bureau
        ).full_clean()
    with pytest.raises(ValidationError):
        Agency(
            name="某司法所", kind=AgencyKind.JUSTICE_OFFICE, district=district, parent=city_bureau
        ).full_clean()


def test_a_city_supervisor_has_no_district_and_a_district_user_no_city(city_supervisor, supervisor, city):
    assert city_supervisor.district_id is None and city_supervisor.city_id == city.pk
    assert city_supervisor.is_city_level
    assert supervisor.district_id is not None and supervisor.city_id is None
    assert not supervisor.is_city_level


# --- scope -------------------------------------------------------------------------------------------


def test_the_city_supervisor_sees_every_district_of_its_city_and_changes_no_case(
    city_supervisor, supervisor, cases
):
    case_a, case_b = cases
    assert set(supervisees_visible_to(city_supervisor)) == {case_a, case_b}
    assert not any(can_edit_case(city_supervisor, case) for case in cases)
    # The district's own supervisor: its district only, and changes its cases.
    assert set(supervisees_visible_to(supervisor)) == {case_a}
    assert can_edit_case(supervisor, case_a) and not can_edit_case(supervisor, case_b)


def test_a_district_of_another_city_or_of_none_is_not_the_city_supervisors(city_supervisor, cases):
    other_city = City.objects.create(name="济宁市", code="3708")
    jining = DistrictFactory(name="任城区", code="370811", city=other_city)
    nowhere = DistrictFactory(name="无市区", code="379901")
    outside = [
        SuperviseeFactory(
            justice_office=JusticeOfficeFactory(
                district=d, parent=AgencyFactory(kind=AgencyKind.JUSTICE_BUREAU, district=d)
            )
        )
        for d in (jining, nowhere)
    ]
    visible = set(supervisees_visible_to(city_supervisor))
    assert visible == set(cases) and not visible & set(outside)


def test_in_home_area_follows_the_district_or_the_city(city_supervisor, supervisor, officer, cases):
    case_a, case_b = cases
    for user, expected in ((supervisor, {case_a}), (officer, {case_a}), (city_supervisor, {case_a, case_b})):
        assert set(Supervisee.objects.filter(in_home_area(user, "justice_office"))) == expected
    nobody = UserFactory(username="t_nobody", role="", agency=None)
    assert not Supervisee.objects.filter(in_home_area(nobody, "justice_office")).exists()


# --- the administrator's pages --------------------------------------------------------------------------


def test_the_admin_adds_a_city_bureau_and_refuses_an_agency_in_both(admin_client, city, district):
    url = "/admin/accounts/agency/add/"
    both = {"name": "两头司法局", "kind": AgencyKind.JUSTICE_BUREAU, "district": district.pk, "city": city.pk}
    response = admin_client.post(url, both)
    assert response.status_code == 200 and not Agency.objects.filter(name="两头司法局").exists()
    response = admin_client.post(
        url, {"name": "枣庄市司法局", "kind": AgencyKind.JUSTICE_BUREAU, "city": city.pk}
    )
    assert response.status_code == 302
    assert Agency.objects.get(name="枣庄市司法局").is_city_level
    assert admin_client.get("/admin/accounts/city/").status_code == 200
    assert admin_client.get(f"/admin/accounts/district/?city__id__exact={city.pk}").status_code == 200


# --- the city's lists cost the same whatever the number of districts -----------------------------------


def _queries(client_or_api, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        response = client_or_api.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _add_district(city, number: int, cases: int) -> None:
    district = DistrictFactory(name=f"示范{number}区", code=f"3704{50 + number}", city=city)
    bureau = AgencyFactory(name=f"示范{number}区司法局", kind=AgencyKind.JUSTICE_BUREAU, district=district)
    office = JusticeOfficeFactory(name=f"示范{number}司法所", district=district, parent=bureau)
    for _ in range(cases):
        SuperviseeFactory(justice_office=office)


@pytest.mark.parametrize("url", ["/api/v1/supervisees/", "/api/v1/alerts/", "/api/v1/agencies/", "/"])
def test_the_city_supervisors_lists_do_not_grow_with_the_districts(client, api, city, city_supervisor, url):
    client.force_login(city_supervisor)
    api.force_authenticate(user=city_supervisor)
    reader = client if url == "/" else api
    _add_district(city, 1, 2)
    reader.get(url)  # the first read warms what is cached per process (translations, templates)
    small = _queries(reader, url)
    for number in (2, 3, 4):
        _add_district(city, number, 3)
    assert _queries(reader, url) == small
