"""A second district for the transfer tests: its bureau, one justice office, its procuratorate and
police, a supervisor and an officer. The first district is the fixtures' own (tests/conftest.py)."""

import pytest

from accounts.constants import AgencyKind, Role
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    JusticeOfficeFactory,
    SuperviseeFactory,
    UserFactory,
)


@pytest.fixture
def district_b():
    return DistrictFactory(name="山亭区", code="370406")


@pytest.fixture
def bureau_b(district_b):
    return AgencyFactory(name="山亭区司法局", kind=AgencyKind.JUSTICE_BUREAU, district=district_b)


@pytest.fixture
def office_b(district_b, bureau_b):
    return JusticeOfficeFactory(name="山城司法所", district=district_b, parent=bureau_b)


@pytest.fixture
def agencies_b(district_b, bureau_b, office_b):
    return {
        "bureau": bureau_b,
        "office": office_b,
        "procuratorate": AgencyFactory(
            name="山亭区人民检察院", kind=AgencyKind.PROCURATORATE, district=district_b
        ),
        "police": AgencyFactory(name="山亭公安分局", kind=AgencyKind.POLICE, district=district_b),
    }


@pytest.fixture
def receiving_supervisor(bureau_b):
    return UserFactory(username="t_supervisor_b", role=Role.JUSTICE_SUPERVISOR, agency=bureau_b)


@pytest.fixture
def receiving_officer(office_b):
    return UserFactory(username="t_officer_b", role=Role.JUSTICE_OFFICER, agency=office_b)


@pytest.fixture
def transfer_case(office, officer, court, agencies):
    """A probation case of the first office under supervision since 2026-01-15, decided by the court."""
    return SuperviseeFactory(justice_office=office, officer=officer, sentence__deciding_agency=court)
