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


def write_case(ok: int) -> dict[str, int]:
    return {**READ_CASE, "officer": ok, "supervisor": ok, "procurator": 403, "judge": 403}


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
    ),
    Row("api-positioning-detail", "get", lambda w: (_order(w), None), READ_ORDER),
    Row(
        "api-positioning-approve",
        "post",
        lambda w: (_order(w) + "approve/", {}),
        {**READ_ORDER, "officer": 403, "procurator": 403},
    ),
    Row(
        "api-positioning-reject",
        "post",
        lambda w: (_order(w) + "reject/", {"note": "理由不足"}),
        {**READ_ORDER, "officer": 403, "procurator": 403},
    ),
    Row(
        "api-positioning-end",
        "post",
        lambda w: (_order(w, PositioningStatus.APPROVED) + "end/", {"reason": "无需继续使用"}),
        {**READ_ORDER, "procurator": 403},
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
