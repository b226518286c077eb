"""Every role against every document and notice endpoint (docs/roles.md), table-driven like
tests/test_permission_matrix.py. The world: a probation case of the officer's office, decided by the
judge's court, released by the supervisor, so that a release certificate was issued and release notices
went to the court, the procuratorate and the police. Out of scope is 404; a visible object the role may
not act on is 403."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from corrections.constants import Status
from corrections.services import supervisee_transition
from documents.models import Document, Notice
from tests.factories import SuperviseeFactory
from tests.test_bad_input import counts

pytestmark = pytest.mark.django_db
ROLES = ("officer", "other_office_officer", "supervisor", "procurator", "judge", "police", "social_worker")


@dataclass
class World:
    case: object
    certificate: Document
    police_notice: Notice


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


# Those who read the certificate: the case's office, the district's bureau and procuratorate, and the
# court and police it was sent to with their notice.
READ = {
    "officer": 200,
    "other_office_officer": 404,
    "supervisor": 200,
    "procurator": 200,
    "judge": 200,
    "police": 200,
    "social_worker": 404,
}
# Only the correction agency in charge corrects its documents (documents.services.CORRECT_DOCUMENTS).
NEVER_CORRECT = ("procurator", "judge", "police", "social_worker")
ROWS = [
    Row(
        "api-supervisee-documents",
        "get",
        lambda w: (f"/api/v1/supervisees/{w.case.pk}/documents/", None),
        READ,
    ),
    Row("api-document-pdf", "get", lambda w: (f"/api/v1/documents/{w.certificate.pk}/pdf/", None), READ),
    Row(
        "api-document-correct",
        "post",
        lambda w: (f"/api/v1/documents/{w.certificate.pk}/correct/", {"reason": "姓名有误"}),
        {**READ, "officer": 201, "supervisor": 201, **dict.fromkeys(NEVER_CORRECT, 403)},
        never=NEVER_CORRECT,
        bad=lambda w: {"reason": 12},
    ),
    Row("api-notice-list", "get", lambda w: ("/api/v1/notices/", None), dict.fromkeys(ROLES, 200)),
    Row(
        "api-notice-receive",
        "post",
        lambda w: (f"/api/v1/notices/{w.police_notice.pk}/receive/", None),
        # The sender (the bureau) sees the notice but only its addressee records the receipt; a social
        # worker never receives notices for the office.
        {**dict.fromkeys(ROLES, 404), "supervisor": 403, "police": 200, "social_worker": 403},
        never=("social_worker",),
    ),
]


@pytest.fixture
def world(agencies, office, officer, supervisor, court):
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__deciding_agency=court,
        sentence__effective=dt.date(2025, 11, 1),
        sentence__original_term_months=12,
        sentence__probation_term_months=12,
    )
    supervisee_transition(
        supervisee=case, by=supervisor, to=Status.TERMINATED, on=dt.date(2026, 11, 1), reason="expired"
    )
    return World(
        case=case,
        certificate=Document.objects.get(supervisee=case),
        police_notice=Notice.objects.get(supervisee=case, to_agency=agencies["police"]),
    )


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
    before = (counts(), Document.objects.count(), Notice.objects.filter(received_at__isnull=False).count())
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, sent, format="json")
    assert response.status_code == 403, f"{role} {row.method.upper()} {url}: {response.status_code}"
    assert set(response.json()) == {"detail"}, response.json()
    assert (
        counts(),
        Document.objects.count(),
        Notice.objects.filter(received_at__isnull=False).count(),
    ) == before


@pytest.mark.parametrize("row", [row for row in ROWS if row.bad], ids=lambda row: f"{row.method}-{row.name}")
def test_the_bad_bodies_are_bad_for_a_role_that_may_act(request, api, world, row):
    url, _valid = row.build(world)
    api.force_authenticate(user=request.getfixturevalue(row.bad_for))
    response = getattr(api, row.method)(url, row.bad(world), format="json")
    assert response.status_code == 400, f"{row.bad_for} {row.method.upper()} {url}: {response.content}"
