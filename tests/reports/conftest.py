import datetime as dt

import pytest

from accounts.constants import AgencyKind, Role
from corrections.constants import Status
from tests.factories import (
    AgencyFactory,
    DistrictFactory,
    JusticeOfficeFactory,
    SuperviseeFactory,
    UserFactory,
)

from .history import generate_history


@pytest.fixture
def far_district_case():
    """A case of another district: no report of ours may count it."""
    district = DistrictFactory(name="市中区", code="370402")
    bureau = AgencyFactory(name="市中区司法局", kind=AgencyKind.JUSTICE_BUREAU, district=district)
    office = JusticeOfficeFactory(name="光明司法所", district=district, parent=bureau)
    return SuperviseeFactory(
        justice_office=office, status=Status.UNDER_SUPERVISION, intake_date=dt.date(2026, 2, 3)
    )


@pytest.fixture
def history(office, other_office, supervisor, officer, other_office_officer, far_district_case):
    """64 generated cases in the district's two offices."""
    return generate_history(
        offices=[office, other_office],
        by=supervisor,
        officer_of={office.pk: officer, other_office.pk: other_office_officer},
        seed=20261125,
        count=64,
    )


@pytest.fixture
def court_user(court):
    return UserFactory(username="t_court_reports", role=Role.COURT, agency=court)


# The real worker of tests/supervision, for the ledger import's task path.
from tests.supervision.conftest import celery_worker  # noqa: E402, F401
