"""Every role against every referral endpoint (docs/roles.md#the-roles), table-driven like
tests/test_permission_matrix.py. The world: a probation case of the officer's office, decided by the
judge's court, and a referral from that office to the police bureau. Out of scope is 404; a visible
referral the role may not act on is 403.

A role that may never take an action is refused by its role alone, 403 before the body is read or the
referral looked up (docs/roles.md principle 2; each row's `never`): social workers never act on
referrals, and the police and the court never create, send or withdraw one (only the justice offices,
the bureau and the procuratorate create referrals, and the sender is always the creator's agency). They
got 404 here before, the referral or the case being outside their scope, after the body was validated."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver

from coordination.services import (
    arrest_request_attach,
    referral_accept,
    referral_attach,
    referral_create,
    referral_send,
)
from tests.factories import SuperviseeFactory
from tests.test_bad_input import counts

from .conftest import PDF_BYTES

pytestmark = pytest.mark.django_db
ROLES = ("officer", "other_office_officer", "supervisor", "procurator", "judge", "police", "social_worker")
URL = "/api/v1/referrals/"


def expect(**statuses: int) -> dict[str, int]:
    """Unnamed roles get 404: the case and the referral are out of their scope."""
    return {role: statuses.get(role, 404) for role in ROLES}


@dataclass
class World:
    case: object
    officer: object
    police: object
    police_agency: object
    court: object


def _referral(world, state="sent"):
    referral = referral_create(
        supervisee=world.case,
        by=world.officer,
        to_agency=world.police_agency,
        kind="absconder_search",
        summary="失联，请协助查找",
    )
    if state in ("sent", "accepted"):
        referral_send(referral=referral, by=world.officer)
    if state == "accepted":
        referral_accept(referral=referral, by=world.police)
    return referral


def _on(state, action="", body=None):
    def build(world):
        referral = _referral(world, state)
        return f"{URL}{referral.pk}/" + (f"{action}/" if action else ""), body

    return build


def _download(world):
    referral = _referral(world)
    attachment = referral_attach(
        referral=referral, by=world.officer, uploaded_file=SimpleUploadedFile("a.pdf", PDF_BYTES)
    )
    return f"{URL}{referral.pk}/attachments/{attachment.pk}/", None


def _upload(world):
    referral = _referral(world)
    return f"{URL}{referral.pk}/attachments/", {"file": SimpleUploadedFile("a.pdf", PDF_BYTES)}


def _revocation(world):
    """A draft proposal to the court that decided the case to revoke its probation (CCL 46)."""
    return referral_create(
        supervisee=world.case,
        by=world.officer,
        to_agency=world.court,
        kind="revocation_proposal",
        summary="两次警告仍不改正，提请撤销缓刑",
    )


def _arrest_request(world):
    return f"{URL}{_revocation(world).pk}/arrest-request/", {"ground": "may_abscond", "reasons": "曾失联两次"}


def _arrest_decide(world):
    referral = _revocation(world)
    arrest_request_attach(referral=referral, by=world.officer, ground="may_abscond", reasons="曾失联两次")
    referral_send(referral=referral, by=world.officer)
    return f"{URL}{referral.pk}/arrest-request/decide/", {"decision": "granted"}


def _new(world):
    body = {
        "supervisee": world.case.pk,
        "to_agency": world.police_agency.pk,
        "kind": "absconder_search",
        "summary": "失联",
    }
    return URL, body


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    build: Callable
    expect: dict[str, int]
    multipart: bool = False
    # As in tests/test_permission_matrix.py: the roles refused by their role alone, a body bad for this
    # endpoint (None: it reads none) and the role that gets 400 for it.
    never: tuple[str, ...] = ()
    bad: Callable | None = None
    bad_for: str = "officer"


# Only the justice offices, the bureau and the procuratorate create (and so send and withdraw) referrals.
NEVER_SEND = ("judge", "police", "social_worker")
NEVER_SENT = dict.fromkeys(NEVER_SEND, 403)
# Social workers never act on a referral; every other role answers the referrals addressed to its agency.
NEVER_ACT = ("social_worker",)
SENDER_ONLY = {"officer": 200, "supervisor": 200, "procurator": 403, **NEVER_SENT}
RECEIVER_ONLY = {"officer": 403, "supervisor": 403, "procurator": 403, "police": 200, "social_worker": 403}
NEVER_REQUEST_ARREST = ("procurator", "judge", "police", "social_worker")
NEVER_DECIDE_ARREST = tuple(role for role in ROLES if role != "judge")
READERS = {"officer": 200, "supervisor": 200, "procurator": 200, "police": 200}
PARTIES = {"officer": 200, "supervisor": 200, "procurator": 403, "police": 200}
ROWS = [
    Row("api-referral-list", "get", lambda w: (URL, None), expect(**dict.fromkeys(ROLES, 200))),
    # The judge sees the case (its court decided it) but may not create; the procuratorate only notices.
    Row(
        "api-referral-list",
        "post",
        _new,
        expect(officer=201, supervisor=201, procurator=403, **NEVER_SENT),
        never=NEVER_SEND,
        bad=lambda w: {**_new(w)[1], "kind": "pizza"},
    ),
    Row("api-referral-detail", "get", _on("sent"), expect(**READERS)),
    Row("api-referral-send", "post", _on("draft", "send"), expect(**SENDER_ONLY), never=NEVER_SEND),
    Row("api-referral-accept", "post", _on("sent", "accept"), expect(**RECEIVER_ONLY), never=NEVER_ACT),
    Row(
        "api-referral-reject",
        "post",
        _on("sent", "reject", {"note": "无管辖权"}),
        expect(**RECEIVER_ONLY),
        never=NEVER_ACT,
        bad=lambda w: {"note": "x" * 5001},
        bad_for="police",
    ),
    Row(
        "api-referral-respond",
        "post",
        _on("sent", "respond", {"body": "收到"}),
        expect(officer=201, supervisor=201, procurator=403, police=201, social_worker=403),
        never=NEVER_ACT,
        bad=lambda w: {"body": "x" * 5001},
    ),
    Row(
        "api-referral-complete",
        "post",
        _on("accepted", "complete", {"outcome": "已找到"}),
        expect(**RECEIVER_ONLY),
        never=NEVER_ACT,
        bad=lambda w: {"outcome": "x" * 10001},
        bad_for="police",
    ),
    Row(
        "api-referral-withdraw",
        "post",
        _on("sent", "withdraw", {}),
        expect(**SENDER_ONLY),
        never=NEVER_SEND,
        bad=lambda w: {"note": "x" * 5001},
    ),
    Row(
        "api-referral-attachments",
        "post",
        _upload,
        expect(officer=201, supervisor=201, procurator=403, police=201, social_worker=403),
        multipart=True,
        never=NEVER_ACT,
        bad=lambda w: {"file": "not a file"},
    ),
    Row("api-referral-attachment", "get", _download, expect(**PARTIES)),
    # CCL 47: the correction agency asks (an officer of another office does too, but not on this case:
    # 404); only the people's court the proposal went to decides, never the one who asked.
    Row(
        "api-referral-arrest-request",
        "post",
        _arrest_request,
        expect(officer=201, supervisor=201, **dict.fromkeys(NEVER_REQUEST_ARREST, 403)),
        never=NEVER_REQUEST_ARREST,
        bad=lambda w: {"ground": "pizza", "reasons": "x"},
    ),
    Row(
        "api-referral-arrest-decide",
        "post",
        _arrest_decide,
        expect(judge=200, **dict.fromkeys(NEVER_DECIDE_ARREST, 403)),
        never=NEVER_DECIDE_ARREST,
        bad=lambda w: {"decision": "maybe"},
        bad_for="judge",
    ),
]


def _referral_endpoints() -> set[tuple[str, str]]:
    found = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
                continue
            view = getattr(pattern.callback, "view_class", None)
            if view is None or not (pattern.name or "").startswith("api-referral"):
                continue
            for method in ("get", "post", "put", "patch", "delete"):
                if hasattr(view, method):
                    found.add((pattern.name, method))

    walk(get_resolver().url_patterns)
    return found


def test_every_referral_endpoint_has_a_row():
    assert _referral_endpoints() == {(row.name, row.method) for row in ROWS}


@pytest.fixture
def world(office, officer, police, agencies):
    case = SuperviseeFactory(
        justice_office=office, officer=officer, sentence__deciding_agency=agencies["court"]
    )
    return World(
        case=case, officer=officer, police=police, police_agency=agencies["police"], court=agencies["court"]
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_role_against_referral_endpoint(request, api, world, row, role):
    user = request.getfixturevalue(role)
    url, body = row.build(world)
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, body, format="multipart" if row.multipart else "json")
    assert response.status_code == row.expect[role], (
        f"{role} {row.method.upper()} {url}: {response.status_code} {getattr(response, 'data', '')}"
    )


WITH_NEVER = [(row, role) for row in ROWS if row.never for role in row.never]


@pytest.mark.parametrize("body", ["valid", "invalid"])
@pytest.mark.parametrize(
    ("row", "role"), WITH_NEVER, ids=lambda v: v if isinstance(v, str) else f"{v.method}-{v.name}"
)
def test_a_role_that_may_never_act_is_refused_before_its_body(request, api, world, row, role, body):
    """403 whatever the body says (before, an invalid one got 400 field errors), and nothing written."""
    user = request.getfixturevalue(role)
    url, valid = row.build(world)
    sent = row.bad(world) if body == "invalid" and row.bad else valid
    before = counts()
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, sent, format="multipart" if row.multipart else "json")
    assert response.status_code == 403, f"{role} {row.method.upper()} {url}: {response.status_code}"
    assert set(response.json()) == {"detail"}, response.json()
    assert counts() == before


@pytest.mark.parametrize("row", [row for row in ROWS if row.bad], ids=lambda row: f"{row.method}-{row.name}")
def test_the_bad_bodies_are_bad_for_a_role_that_may_act(request, api, world, row):
    url, _valid = row.build(world)
    api.force_authenticate(user=request.getfixturevalue(row.bad_for))
    response = getattr(api, row.method)(url, row.bad(world), format="multipart" if row.multipart else "json")
    assert response.status_code == 400, f"{row.bad_for} {row.method.upper()} {url}: {response.content}"


# --- across districts, and from the city (issue 14; tests/test_permission_matrix.py has the rules) ------


@pytest.fixture
def world_b(district_b):
    agencies, users = district_b["agencies"], district_b["users"]
    case = SuperviseeFactory(
        justice_office=agencies["office"],
        officer=users["officer"],
        sentence__deciding_agency=agencies["court"],
        case_number="SZJZ-000002",
        name="丙某某",
    )
    return World(
        case=case,
        officer=users["officer"],
        police=users["police"],
        police_agency=agencies["police"],
        court=agencies["court"],
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_no_referral_crosses_a_district_boundary(request, api, world_b, row, role, agencies):
    from tests.test_permission_matrix import across

    user = request.getfixturevalue(role)
    url, body = row.build(world_b)
    api.force_authenticate(user=user)
    response = getattr(api, row.method)(url, body, format="multipart" if row.multipart else "json")
    assert response.status_code == across(row, role), (
        f"{role} {row.method.upper()} {url}: {response.status_code} {getattr(response, 'data', '')}"
    )
    if response.get("Content-Type", "").startswith("application/json"):
        assert world_b.case.case_number not in response.content.decode()


# What the city supervisor reads of a referral: what the district's own supervisor reads, except an
# attachment, which only the parties open (the city bureau is none).
CITY_READS = {"api-referral-list": 200, "api-referral-detail": 200, "api-referral-attachment": 403}


@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method}-{row.name}")
def test_the_city_supervisor_reads_referrals_and_acts_on_none(api, world_b, city_supervisor, row):
    if row.name == "api-referral-list":
        _referral(world_b)  # something to list
    url, body = row.build(world_b)
    before = counts()
    api.force_authenticate(user=city_supervisor)
    response = getattr(api, row.method)(url, body, format="multipart" if row.multipart else "json")
    expected = CITY_READS[row.name] if row.method == "get" else 403
    assert response.status_code == expected, f"{row.method.upper()} {url}: {response.status_code}"
    if row.method == "get" and expected == 200:
        assert world_b.case.pk in {r["supervisee"] for r in response.json().get("results", [response.json()])}
    if row.method != "get":
        assert set(response.json()) == {"detail"} and counts() == before
