"""Every role against every referral endpoint (docs/roles.md#the-roles), table-driven like
tests/test_permission_matrix.py. The world: a probation case of the officer's office, decided by the
judge's court, and a referral from that office to the police bureau. Out of scope is 404; a visible
referral the role may not act on is 403."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLResolver, get_resolver

from coordination.services import referral_accept, referral_attach, referral_create, referral_send
from tests.factories import SuperviseeFactory

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


SENDER_ONLY = {"officer": 200, "supervisor": 200, "procurator": 403}
RECEIVER_ONLY = {"officer": 403, "supervisor": 403, "procurator": 403, "police": 200}
READERS = {"officer": 200, "supervisor": 200, "procurator": 200, "police": 200}
PARTIES = {"officer": 200, "supervisor": 200, "procurator": 403, "police": 200}
ROWS = [
    Row("api-referral-list", "get", lambda w: (URL, None), expect(**dict.fromkeys(ROLES, 200))),
    # The judge sees the case (its court decided it) but may not create; the procuratorate only notices.
    Row("api-referral-list", "post", _new, expect(officer=201, supervisor=201, procurator=403, judge=403)),
    Row("api-referral-detail", "get", _on("sent"), expect(**READERS)),
    Row("api-referral-send", "post", _on("draft", "send"), expect(**SENDER_ONLY)),
    Row("api-referral-accept", "post", _on("sent", "accept"), expect(**RECEIVER_ONLY)),
    Row("api-referral-reject", "post", _on("sent", "reject", {"note": "无管辖权"}), expect(**RECEIVER_ONLY)),
    Row(
        "api-referral-respond",
        "post",
        _on("sent", "respond", {"body": "收到"}),
        expect(officer=201, supervisor=201, procurator=403, police=201),
    ),
    Row(
        "api-referral-complete",
        "post",
        _on("accepted", "complete", {"outcome": "已找到"}),
        expect(**RECEIVER_ONLY),
    ),
    Row("api-referral-withdraw", "post", _on("sent", "withdraw", {}), expect(**SENDER_ONLY, police=403)),
    Row(
        "api-referral-attachments",
        "post",
        _upload,
        expect(officer=201, supervisor=201, procurator=403, police=201),
        multipart=True,
    ),
    Row("api-referral-attachment", "get", _download, expect(**PARTIES)),
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
    return World(case=case, officer=officer, police=police, police_agency=agencies["police"])


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
