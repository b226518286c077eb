"""Who reads an ID number, and what a search by one reveals (API.md "Need to know"): social workers
never see one and never find a case by one; the police and the court see it masked except on a case
with a referral to their agency that needs the person identified; nobody else is limited."""

import datetime as dt

import pytest

from corrections.idnumber import make_id_number
from corrections.models import TeamRole
from corrections.teams import team_member_add
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/supervisees/"
ID_NUMBER = make_id_number(region="370404", birth_date=dt.date(1990, 3, 14), sequence=41, gender="male")


@pytest.fixture
def team_case(office, officer, social_worker):
    # A case number sharing no run of digits with the ID number, so only the ID number could match.
    case = SuperviseeFactory(justice_office=office, name="韩梅", case_number="YCJ-AB", id_number=ID_NUMBER)
    team_member_add(
        supervisee=case,
        by=officer,
        name="杨晓燕",
        role=TeamRole.SOCIAL_WORKER,
        user=social_worker,
        gender="female",
        joined_on=dt.date(2026, 2, 1),
    )
    return case


PARTS = {
    "prefix": ID_NUMBER[:6],
    "longer prefix": ID_NUMBER[:14],
    "suffix": ID_NUMBER[-4:],
    "longer suffix": ID_NUMBER[-8:],
    "middle": ID_NUMBER[6:14],
    "whole": ID_NUMBER,
    "lower-case x": ID_NUMBER.lower(),
}


@pytest.mark.parametrize("part", PARTS)
def test_a_social_worker_finds_no_case_by_any_part_of_its_id_number(
    api_as, client, social_worker, team_case, part
):
    api = api_as(social_worker)
    assert [r["id"] for r in api.get(LIST, {"q": "韩梅"}).json()["results"]] == [team_case.pk]
    assert api.get(LIST, {"q": PARTS[part]}).json()["count"] == 0
    client.force_login(social_worker)
    assert "韩梅" in client.get("/supervisees/", {"q": "韩梅"}).content.decode()
    assert "韩梅" not in client.get("/supervisees/", {"q": PARTS[part]}).content.decode()


def test_an_officer_still_finds_the_case_by_its_id_number(api_as, officer, team_case):
    api = api_as(officer)
    for q in (ID_NUMBER[:6], ID_NUMBER[:14], ID_NUMBER):
        assert [r["id"] for r in api.get(LIST, {"q": q}).json()["results"]] == [team_case.pk], q


# --- masking for the police and the court --------------------------------------------------------------

IDENTIFYING = {
    "police": {"absconder_search", "public_security_penalty", "investigation_request"},
    "court": {"revocation_proposal", "recommitment_proposal"},
}


def refer(case, *, to, kind: str, status: str, by):
    """A referral in any state, and the receiving agency's view of the case whatever that state: what is
    tested here is the number shown on a case the reader sees, not whether they see it."""
    from coordination.models import Referral
    from coordination.services import case_grant

    Referral.objects.create(
        supervisee=case,
        from_agency=by.agency,
        to_agency=to,
        kind=kind,
        status=status,
        summary="请协助",
        created_by=by,
    )
    case_grant(agency=to, supervisee=case)


def shown(client, api, case) -> dict[str, str]:
    """The ID number as the API's detail and list, the case page and the caseload export show it."""
    from tests.reports.test_exports import csv_rows

    detail = api.get(f"{LIST}{case.pk}/").json()["id_number"]
    listed = {row["id"]: row["id_number"] for row in api.get(LIST).json()["results"]}[case.pk]
    page = client.get(f"/supervisees/{case.pk}/").content.decode()
    exported = "".join(csv_rows(client.get("/reports/exports/caseload.csv").getvalue())[1])
    return {
        "detail": detail,
        "list": listed,
        "page": "full" if case.id_number in page else "masked" if case.masked_id_number in page else "none",
        "export": "full"
        if case.id_number in exported
        else "masked"
        if case.masked_id_number in exported
        else "none",
    }


def expected(full: bool, case) -> dict[str, str]:
    return {
        "detail": case.id_number if full else case.masked_id_number,
        "list": case.id_number if full else case.masked_id_number,
        "page": "full" if full else "masked",
        "export": "full" if full else "masked",
    }


@pytest.fixture
def referred_case(office, court):
    # Decided by the district court (it sees the case in any state); temporary execution can be
    # proposed for recommitment, probation for revocation: the kind does not change the rule.
    return SuperviseeFactory(justice_office=office, id_number=ID_NUMBER)


@pytest.mark.parametrize("status", ["draft", "sent", "accepted", "rejected", "completed", "withdrawn"])
@pytest.mark.parametrize(
    "kind",
    [
        "investigation_request",
        "document_handover",
        "absconder_search",
        "public_security_penalty",
        "revocation_proposal",
        "recommitment_proposal",
        "procuratorial_notice",
        "transfer",
        "other",
    ],
)
@pytest.mark.parametrize("role", ["police", "court"])
def test_police_and_court_see_the_full_number_only_while_a_referral_needs_the_person_identified(
    api_as, client, officer, police, judge, agencies, referred_case, role, kind, status
):
    reader, agency = (police, agencies["police"]) if role == "police" else (judge, agencies["court"])
    refer(referred_case, to=agency, kind=kind, status=status, by=officer)
    client.force_login(reader)
    full = kind in IDENTIFYING[role] and status in ("sent", "accepted")
    assert shown(client, api_as(reader), referred_case) == expected(full, referred_case)


def test_a_referral_to_another_agency_identifies_nobody_else(
    api_as, client, officer, police, judge, agencies, district, referred_case
):
    from tests.factories import AgencyFactory

    other_police = AgencyFactory(name="枣庄市公安局", kind="police", district=district)
    refer(referred_case, to=other_police, kind="absconder_search", status="accepted", by=officer)
    refer(referred_case, to=agencies["police"], kind="other", status="sent", by=officer)
    client.force_login(police)
    assert shown(client, api_as(police), referred_case) == expected(False, referred_case)
    refer(referred_case, to=agencies["court"], kind="absconder_search", status="sent", by=officer)
    client.force_login(judge)  # a police kind sent to the court identifies no one there
    assert shown(client, api_as(judge), referred_case) == expected(False, referred_case)


@pytest.mark.parametrize("role", ["officer", "supervisor", "procurator"])
def test_the_justice_roles_and_the_procuratorate_see_every_number_in_full(
    request, api_as, client, referred_case, role
):
    reader = request.getfixturevalue(role)
    client.force_login(reader)
    assert shown(client, api_as(reader), referred_case) == expected(True, referred_case)


def test_a_social_worker_sees_no_number_anywhere(api_as, client, social_worker, team_case):
    client.force_login(social_worker)
    api = api_as(social_worker)
    assert api.get(f"{LIST}{team_case.pk}/").json()["id_number"] is None
    assert api.get(LIST).json()["results"][0]["id_number"] is None
    page = client.get(f"/supervisees/{team_case.pk}/").content.decode()
    assert ID_NUMBER[6:14] not in page and team_case.masked_id_number not in page


def test_the_police_find_a_case_by_its_number_only_where_they_see_it_in_full(
    api_as, officer, police, agencies, referred_case
):
    refer(referred_case, to=agencies["police"], kind="document_handover", status="sent", by=officer)
    api = api_as(police)
    assert api.get(LIST).json()["count"] == 1
    for q in (ID_NUMBER[:6], ID_NUMBER[:14], ID_NUMBER):
        assert api.get(LIST, {"q": q}).json()["count"] == 0, q
    refer(referred_case, to=agencies["police"], kind="absconder_search", status="sent", by=officer)
    for q in (ID_NUMBER[:6], ID_NUMBER[:14], ID_NUMBER):
        assert api.get(LIST, {"q": q}).json()["count"] == 1, q


# --- the audit trail never holds a full ID number ------------------------------------------------------


def trail_text() -> str:
    import json

    from accounts.models import AuditEvent

    return json.dumps(list(AuditEvent.objects.values_list("changes", flat=True)), ensure_ascii=False)


@pytest.mark.parametrize("q", [ID_NUMBER, ID_NUMBER.lower(), ID_NUMBER[:14], f"韩梅 {ID_NUMBER}"])
def test_a_search_by_id_number_is_audited_masked(api_as, client, officer, team_case, q):
    from accounts.models import AuditEvent

    api_as(officer).get(LIST, {"q": q})
    client.force_login(officer)
    client.get("/supervisees/", {"q": q})
    client.get("/reports/exports/caseload.csv", {"q": q})
    searches = AuditEvent.objects.filter(action__in=["search", "export"]).order_by("id")
    assert searches.count() == 3
    for event in searches:
        kept = event.changes.get("q") or event.changes["filters"]["q"]
        assert ID_NUMBER[6:14] not in kept.upper(), kept
    assert ID_NUMBER[6:14] not in trail_text()


def test_a_full_number_typed_into_a_note_is_masked_in_the_trail(api_as, officer, office):
    case = SuperviseeFactory(justice_office=office, status="pending_report", id_number=ID_NUMBER)
    response = api_as(officer).post(
        f"{LIST}{case.pk}/transition/",
        {"to": "under_supervision", "date": "2026-01-20", "reason": f"本人持身份证 {ID_NUMBER} 报到"},
        format="json",
    )
    assert response.status_code == 200, response.json()
    text = trail_text()
    assert "报到" in text and ID_NUMBER not in text and ID_NUMBER[:6] + "********" + ID_NUMBER[-4:] in text
