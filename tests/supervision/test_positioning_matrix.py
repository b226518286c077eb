"""Every role against every electronic positioning and prohibition-violation endpoint (docs/roles.md),
table-driven like tests/test_permission_matrix.py, which imports these rows for its
`test_every_endpoint_has_a_row`. The world: a probation case of the officer's office, decided by the
judge's court, with a prohibition order. Out of scope is 404; a visible object the role may not act on is
403; positioning orders are read only by the case's office, the bureau's supervisors and the
procuratorate (CCL 29 para. 3: the other roles get 403 on the list and 404 on an order)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from corrections.constants import ProhibitionKind
from corrections.models import Prohibition
from supervision.constants import PositioningGround, PositioningStatus
from supervision.models import PositioningOrder, ProhibitionViolation
from tests.factories import SuperviseeFactory, UserFactory
from tests.test_bad_input import counts

pytestmark = pytest.mark.django_db
ROLES = ("officer", "other_office_officer", "supervisor", "procurator", "judge", "police", "social_worker")


@dataclass
class World:
    case: object
    prohibition: Prohibition
    today: dt.date


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    build: Callable[[World], tuple[str, dict | None]]
    expect: dict[str, int]
    # As in tests/test_permission_matrix.py: the roles refused by their role alone (403 before the body
    # is read or the record looked up), a body bad for this endpoint and the role that gets 400 for it.
    never: tuple[str, ...] = ()
    bad: Callable | None = None
    bad_for: str = "officer"


READ_CASE = {
    "officer": 200,
    "other_office_officer": 404,
    "supervisor": 200,
    "procurator": 200,
    "judge": 200,
    "police": 404,
    "social_worker": 404,
}
# The readers of positioning orders; the judge sees the case but not its orders.
READ_ORDER = {**READ_CASE, "judge": 404}


# Only the justice roles propose, end and record (EDITING_ROLES); only a supervisor decides.
NEVER_CHANGE = ("procurator", "judge", "police", "social_worker")
NEVER_DECIDE = ("officer", "other_office_officer", *NEVER_CHANGE)


def write_case(ok: int) -> dict[str, int]:
    return {**READ_CASE, "officer": ok, "supervisor": ok, **dict.fromkeys(NEVER_CHANGE, 403)}


def _order(world, status=PositioningStatus.PROPOSED) -> str:
    order = PositioningOrder.objects.create(
        supervisee=world.case,
        ground=PositioningGround.LEFT_WITHOUT_APPROVAL,
        reason="未经批准离开所居住的县",
        start_date=world.today,
        end_date=world.today + dt.timedelta(days=60),
        status=status,
        # Proposed by a colleague: the matrix's supervisor may decide it (separation of duties).
        proposed_by=UserFactory(
            username="t_positioning_proposer", role="justice_officer", agency=world.case.justice_office
        ),
    )
    return f"/api/v1/positioning-orders/{order.pk}/"


def _violation(world) -> str:
    violation = ProhibitionViolation.objects.create(
        supervisee=world.case,
        prohibition=world.prohibition,
        occurred_on=world.today - dt.timedelta(days=1),
        description="进入酒吧",
        recorded_by=world.case.officer,
    )
    return f"/api/v1/prohibition-violations/{violation.pk}/"


ROWS = [
    Row(
        "api-positioning-list",
        "get",
        lambda w: ("/api/v1/positioning-orders/", None),
        {
            **dict.fromkeys(ROLES, 403),
            "officer": 200,
            "other_office_officer": 200,
            "supervisor": 200,
            "procurator": 200,
        },
    ),
    Row(
        "api-positioning-list",
        "post",
        lambda w: (
            "/api/v1/positioning-orders/",
            {
                "supervisee": w.case.pk,
                "ground": "left_without_approval",
                "start_date": w.today.isoformat(),
                "end_date": (w.today + dt.timedelta(days=30)).isoformat(),
                "reason": "未经批准离开所居住的县",
            },
        ),
        write_case(201),
        never=NEVER_CHANGE,
        bad=lambda w: {"supervisee": w.case.pk, "ground": "mind_reading", "reason": 3},
    ),
    Row("api-positioning-detail", "get", lambda w: (_order(w), None), READ_ORDER),
    Row(
        "api-positioning-approve",
        "post",
        lambda w: (_order(w) + "approve/", {}),
        {**READ_ORDER, **dict.fromkeys(NEVER_DECIDE, 403)},
        never=NEVER_DECIDE,
        bad=lambda w: {"note": 7},
        bad_for="supervisor",
    ),
    Row(
        "api-positioning-reject",
        "post",
        lambda w: (_order(w) + "reject/", {"note": "理由不足"}),
        {**READ_ORDER, **dict.fromkeys(NEVER_DECIDE, 403)},
        never=NEVER_DECIDE,
        bad=lambda w: {"note": 7},
        bad_for="supervisor",
    ),
    Row(
        "api-positioning-end",
        "post",
        lambda w: (_order(w, PositioningStatus.APPROVED) + "end/", {"reason": "无需继续使用"}),
        {**READ_ORDER, **dict.fromkeys(NEVER_CHANGE, 403)},
        never=NEVER_CHANGE,
        bad=lambda w: {"reason": ["x"]},
    ),
    Row(
        "api-violation-list",
        "get",
        lambda w: ("/api/v1/prohibition-violations/", None),
        dict.fromkeys(ROLES, 200),
    ),
    Row(
        "api-violation-list",
        "post",
        lambda w: (
            "/api/v1/prohibition-violations/",
            {
                "prohibition": w.prohibition.pk,
                "occurred_on": (w.today - dt.timedelta(days=1)).isoformat(),
                "description": "进入酒吧饮酒",
            },
        ),
        write_case(201),
        never=NEVER_CHANGE,
        bad=lambda w: {"prohibition": w.prohibition.pk, "occurred_on": "someday", "description": 5},
    ),
    Row("api-violation-detail", "get", lambda w: (_violation(w), None), READ_CASE),
]


@pytest.fixture
def world(agencies, office, officer, court, today):
    case = SuperviseeFactory(justice_office=office, officer=officer, sentence__deciding_agency=court)
    prohibition = Prohibition.objects.create(
        sentence=case.sentence, content="禁止进入夜总会、酒吧", kind=ProhibitionKind.PLACES
    )
    return World(case=case, prohibition=prohibition, today=today)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_role_against_endpoint(request, api, world, row, role):
    user = request.getfixturevalue(role)
    url, body = row.build(world)
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, body, format="json")
    assert response.status_code == row.expect[role], (
        f"{role} {row.method.upper()} {url}: {response.status_code} {getattr(response, 'data', '')}"
    )


WITH_NEVER = [(row, role) for row in ROWS if row.never for role in row.never]


@pytest.mark.parametrize("body", ["valid", "invalid"])
@pytest.mark.parametrize(
    ("row", "role"), WITH_NEVER, ids=lambda v: v if isinstance(v, str) else f"{v.method}-{v.name}"
)
def test_a_role_that_may_never_act_is_refused_before_its_body(request, api, world, row, role, body):
    """403 whatever the body says, and nothing written (docs/roles.md principle 2)."""
    user = request.getfixturevalue(role)
    url, valid = row.build(world)
    sent = row.bad(world) if body == "invalid" and row.bad else valid
    before = (counts(), PositioningOrder.objects.count(), ProhibitionViolation.objects.count())
    statuses = set(PositioningOrder.objects.values_list("pk", "status"))
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, sent, format="json")
    assert response.status_code == 403, f"{role} {row.method.upper()} {url}: {response.status_code}"
    assert set(response.json()) == {"detail"}, response.json()
    assert (counts(), PositioningOrder.objects.count(), ProhibitionViolation.objects.count()) == before
    assert set(PositioningOrder.objects.values_list("pk", "status")) == statuses


@pytest.mark.parametrize("row", [row for row in ROWS if row.bad], ids=lambda row: f"{row.method}-{row.name}")
def test_the_bad_bodies_are_bad_for_a_role_that_may_act(request, api, world, row):
    url, _valid = row.build(world)
    api.force_authenticate(user=request.getfixturevalue(row.bad_for))
    response = getattr(api, row.method)(url, row.bad(world), format="json")
    assert response.status_code == 400, f"{row.bad_for} {row.method.upper()} {url}: {response.content}"
