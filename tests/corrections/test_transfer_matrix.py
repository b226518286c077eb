"""Every role against every transfer endpoint (corrections.api_transfers), table-driven like
tests/test_permission_matrix.py, which imports these rows for its `test_every_endpoint_has_a_row` and its
check that each write's role rule agrees with `never`. The world: a probation case of the officer's office,
decided by the judge's court, proposed for transfer (by a colleague of the officer's office) to an office of
a second district, whose supervisor (`receiving_supervisor`) is the only one who answers it. Out of scope is
404; a visible transfer the role may not act on is 403."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from accounts.constants import Role
from corrections.transfers import transfer_propose
from tests.factories import SuperviseeFactory, UserFactory
from tests.test_bad_input import counts

pytestmark = pytest.mark.django_db
ROLES = (
    "officer",
    "other_office_officer",
    "supervisor",
    "procurator",
    "judge",
    "police",
    "social_worker",
    "receiving_supervisor",
)


@dataclass
class World:
    case: object
    office_b: object
    today: dt.date


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    build: Callable[[World], tuple[str, dict | None]]
    expect: dict[str, int]
    # As in tests/test_permission_matrix.py: the roles of its table refused by their role alone.
    never: tuple[str, ...] = ()
    bad: Callable | None = None
    bad_for: str = "officer"


# The case is read by its office, the district's supervisors and procuratorate, the deciding court, and,
# while its transfer awaits the answer, the receiving district's supervisors.
READ = {
    "officer": 200,
    "other_office_officer": 404,
    "supervisor": 200,
    "procurator": 200,
    "judge": 200,
    "police": 404,
    "social_worker": 404,
    "receiving_supervisor": 200,
}
NEVER_PROPOSE = ("procurator", "judge", "police", "social_worker")
NEVER_DECIDE = ("officer", "other_office_officer", *NEVER_PROPOSE)


def _transfer(world) -> str:
    proposer = UserFactory(
        username="t_transfer_proposer", role=Role.JUSTICE_OFFICER, agency=world.case.justice_office
    )
    transfer = transfer_propose(
        supervisee=world.case, by=proposer, to_office=world.office_b, reason="迁居", new_residence="山亭区"
    )
    return f"/api/v1/transfers/{transfer.pk}/"


def _new_case(world) -> int:
    return SuperviseeFactory(
        justice_office=world.case.justice_office,
        officer=world.case.officer,
        sentence__deciding_agency=world.case.sentence.deciding_agency,
    ).pk


ROWS = [
    Row("api-transfer-list", "get", lambda w: ("/api/v1/transfers/", None), dict.fromkeys(ROLES, 200)),
    Row(
        "api-transfer-list",
        "post",
        lambda w: (
            "/api/v1/transfers/",
            {
                "supervisee": _new_case(w),
                "to_office": w.office_b.pk,
                "reason": "迁居",
                "new_residence": "山亭区",
            },
        ),
        {
            **dict.fromkeys(NEVER_PROPOSE, 403),
            "officer": 201,
            "other_office_officer": 404,
            "supervisor": 201,
            "receiving_supervisor": 404,
        },
        never=NEVER_PROPOSE,
        bad=lambda w: {"supervisee": w.case.pk, "to_office": "elsewhere", "reason": 5},
    ),
    Row("api-transfer-detail", "get", lambda w: (_transfer(w), None), READ),
    Row(
        "api-transfer-accept",
        "post",
        lambda w: (_transfer(w) + "accept/", {}),
        {**dict.fromkeys(NEVER_DECIDE, 403), "supervisor": 403, "receiving_supervisor": 200},
        never=NEVER_DECIDE,
        bad=lambda w: {"to_office": "somewhere"},
        bad_for="receiving_supervisor",
    ),
    Row(
        "api-transfer-refuse",
        "post",
        lambda w: (_transfer(w) + "refuse/", {"reason": "住所未核实"}),
        {**dict.fromkeys(NEVER_DECIDE, 403), "supervisor": 403, "receiving_supervisor": 200},
        never=NEVER_DECIDE,
        bad=lambda w: {"reason": ""},
        bad_for="receiving_supervisor",
    ),
    Row(
        "api-transfer-withdraw",
        "post",
        lambda w: (_transfer(w) + "withdraw/", {}),
        {
            **dict.fromkeys(NEVER_PROPOSE, 403),
            "officer": 200,
            "other_office_officer": 404,
            "supervisor": 200,
            "receiving_supervisor": 403,
        },
        never=NEVER_PROPOSE,
    ),
]


@pytest.fixture
def world(transfer_case, office_b, agencies_b, today):
    return World(case=transfer_case, office_b=office_b, today=today)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_role_against_endpoint(request, api, world, row, role, agencies):
    user = request.getfixturevalue(role)
    url, body = row.build(world)
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, body, format="json")
    assert response.status_code == row.expect[role], (
        f"{role} {row.method.upper()} {url}: {response.status_code} {getattr(response, 'data', '')}"
    )


WITH_NEVER = [(row, role) for row in ROWS for role in row.never]


@pytest.mark.parametrize("body", ["valid", "invalid"])
@pytest.mark.parametrize(
    ("row", "role"), WITH_NEVER, ids=lambda v: v if isinstance(v, str) else f"{v.method}-{v.name}"
)
def test_a_role_that_may_never_act_is_refused_before_its_body(request, api, world, row, role, body, agencies):
    user = request.getfixturevalue(role)
    url, valid = row.build(world)
    sent = row.bad(world) if body == "invalid" and row.bad else valid
    before = counts()
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, sent, format="json")
    assert response.status_code == 403, f"{role} {row.method.upper()} {url}: {response.status_code}"
    assert set(response.json()) == {"detail"}, response.json()
    assert counts() == before


@pytest.mark.parametrize("row", [row for row in ROWS if row.bad], ids=lambda row: f"{row.method}-{row.name}")
def test_the_bad_bodies_are_bad_for_a_role_that_may_act(request, api, world, row, agencies):
    url, _valid = row.build(world)
    api.force_authenticate(user=request.getfixturevalue(row.bad_for))
    response = getattr(api, row.method)(url, row.bad(world), format="json")
    assert response.status_code == 400, f"{row.bad_for} {row.method.upper()} {url}: {response.content}"
