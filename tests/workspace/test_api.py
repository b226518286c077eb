"""API v1 for case files: shapes, filters, status codes and side effects (docs/api.md)."""

import datetime as dt

import pytest

from accounts.models import AuditEvent
from corrections.idnumber import make_id_number
from corrections.models import Supervisee
from tests.factories import CheckInFactory, SuperviseeFactory, UserFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/supervisees/"


def new_case(office, court, **overrides):
    body = {
        "case_number": "(2026)薛矫字第00100号",
        "name": "王强",
        "gender": "male",
        "id_number": make_id_number(
            region="370403", birth_date=dt.date(1999, 9, 9), sequence=7, gender="male"
        ).lower(),
        "education": "primary",
        "residence_address": "常庄街道 3 号",
        "household_type": "rural",
        "crime": "危险驾驶罪",
        "crime_chapter": "public_safety",
        "justice_office": office.pk,
        "sentence": {
            "category": "control",
            "penalty": "control",
            "deciding_agency": court.pk,
            "document_number": "(2026)鲁0403刑初30号",
            "judgment_date": "2026-02-01",
            "effective_date": "2026-02-12",
            "original_term_months": 6,
            "prior_custody_days": 10,
            "prohibitions": ["禁止接触被害人"],
        },
    }
    body.update(overrides)
    return body


def test_no_credential_is_401(api):
    assert api.get(LIST).status_code == 401


def test_token_sign_in_me_and_audit(api, officer, password):
    response = api.post(
        "/api/v1/auth/token/", {"username": officer.username, "password": password}, format="json"
    )
    assert response.status_code == 200
    api.credentials(HTTP_AUTHORIZATION="Token " + response.json()["token"])
    me = api.get("/api/v1/me/").json()
    assert me == {
        "username": officer.username,
        "role": "justice_officer",
        "agency": {"id": officer.agency_id, "name": officer.agency.name, "kind": "justice_office"},
    }
    assert AuditEvent.objects.filter(action="sign_in", actor=officer).count() == 1


def test_wrong_password_is_401_with_a_clear_message_and_audited(api, officer):
    response = api.post(
        "/api/v1/auth/token/", {"username": officer.username, "password": "nope"}, format="json"
    )
    assert response.status_code == 401
    assert "not correct" in response.json()["detail"]
    assert AuditEvent.objects.filter(action="sign_in_failed").count() == 1


def test_agencies_are_those_of_the_callers_district(api_as, officer, agencies):
    body = api_as(officer).get("/api/v1/agencies/").json()
    assert body["count"] == len(agencies)
    assert {"id", "name", "kind", "parent"} == set(body["results"][0])


def test_list_shape_filters_and_pagination(api_as, officer, office):
    for n in range(3):
        SuperviseeFactory(justice_office=office, name=f"赵{n}", management_level="lenient" if n else "strict")
    client = api_as(officer)
    body = client.get(LIST, {"page_size": 2}).json()
    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    first = body["results"][0]
    assert first["sentence"]["category"] == "probation"
    assert first["exit_reason"] is None and first["officer"] is None
    assert client.get(LIST, {"management_level": "strict"}).json()["count"] == 1
    assert client.get(LIST, {"category": "parole"}).json()["count"] == 0
    assert client.get(LIST, {"page_size": 500}).status_code == 200  # capped at 200, not refused


def test_search_by_name_case_number_and_id_number_is_audited(api_as, officer, office):
    target = SuperviseeFactory(justice_office=office, name="孙悟空")
    SuperviseeFactory(justice_office=office, name="猪八戒")
    client = api_as(officer)
    for q in ("悟空", target.case_number, target.id_number[:16], target.id_number):
        results = client.get(LIST, {"q": q}).json()["results"]
        assert [r["id"] for r in results] == [target.pk], q
    assert AuditEvent.objects.filter(action="search", actor=officer).count() == 4


def test_detail_is_audited_and_out_of_scope_is_404(api_as, officer, other_office_officer, office):
    supervisee = SuperviseeFactory(justice_office=office)
    assert api_as(officer).get(f"{LIST}{supervisee.pk}/").status_code == 200
    assert AuditEvent.objects.filter(action="view", supervisee_id=supervisee.pk, actor=officer).count() == 1
    assert api_as(other_office_officer).get(f"{LIST}{supervisee.pk}/").status_code == 404
    assert api_as(other_office_officer).get(f"{LIST}999999/").status_code == 404


def test_create_computes_the_period_and_answers_201(api_as, officer, office, court):
    response = api_as(officer).post(LIST, new_case(office, court), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "pending_report" and body["officer"] is None
    assert body["id_number"].endswith("X") or body["id_number"].isdigit()
    # CL 41: 6 months from 2026-02-12 end on 2026-08-11; 10 days in custody count as 20 served.
    assert body["sentence"]["start_date"] == "2026-02-12"
    assert body["sentence"]["end_date"] == "2026-07-22"
    assert "41" in body["sentence"]["period_explanation"]
    assert body["sentence"]["prohibitions"] == ["禁止接触被害人"]
    assert AuditEvent.objects.filter(action="create", supervisee_id=body["id"]).exists()


def test_create_refusals_name_the_field_nested(api_as, officer, office, court):
    body = new_case(office, court)
    body["sentence"]["original_term_months"] = 25
    body["id_number"] = "37040319990909123"
    response = api_as(officer).post(LIST, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "18" in errors["id_number"][0] and len(errors["id_number"]) == 1
    assert "original_term_months" in errors["sentence"]
    assert set(errors["sentence"]) == {"original_term_months"}
    assert not errors["sentence"]["original_term_months"][0].startswith("[")
    assert not Supervisee.objects.exists()


@pytest.mark.parametrize("role_fixture", ["procurator", "judge"])
def test_read_only_roles_get_403_on_changes_to_cases_they_see(request, api_as, office, court, role_fixture):
    supervisee = SuperviseeFactory(justice_office=office)
    client = api_as(request.getfixturevalue(role_fixture))
    assert client.get(f"{LIST}{supervisee.pk}/").status_code == 200
    assert client.patch(f"{LIST}{supervisee.pk}/", {"phone": "1"}, format="json").status_code == 403
    assert (
        client.post(
            f"{LIST}{supervisee.pk}/transition/", {"to": "absconded", "date": "2026-03-01"}, format="json"
        ).status_code
        == 403
    )
    assert client.post(LIST, new_case(office, court), format="json").status_code == 403


def test_patch_and_reassignment(api_as, officer, supervisor, office):
    supervisee = SuperviseeFactory(justice_office=office, officer=officer)
    colleague = UserFactory(username="t_colleague", agency=office)
    response = api_as(officer).patch(f"{LIST}{supervisee.pk}/", {"phone": "13812345678"}, format="json")
    assert response.status_code == 200 and response.json()["phone"] == "13812345678"
    assert (
        api_as(officer)
        .patch(f"{LIST}{supervisee.pk}/", {"officer": colleague.username}, format="json")
        .status_code
        == 403
    )
    response = api_as(supervisor).patch(
        f"{LIST}{supervisee.pk}/", {"officer": colleague.username}, format="json"
    )
    assert response.status_code == 200 and response.json()["officer"] == colleague.username
    response = api_as(officer).patch(
        f"{LIST}{supervisee.pk}/", {"is_minor": True, "birth_date": "2010-01-01"}, format="json"
    )
    assert response.status_code == 200 and response.json()["is_minor"] is False


def test_transition_statuses(api_as, officer, office):
    supervisee = SuperviseeFactory(justice_office=office, status="pending_report")
    url = f"{LIST}{supervisee.pk}/transition/"
    client = api_as(officer)
    response = client.post(url, {"to": "under_supervision", "date": "2026-01-15"}, format="json")
    assert response.status_code == 200 and response.json()["intake_date"] == "2026-01-15"
    assert client.post(url, {"to": "pending_report", "date": "2026-01-16"}, format="json").status_code == 409
    response = client.post(
        url, {"to": "terminated", "date": "2026-01-16", "reason": "expired"}, format="json"
    )
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(url, {"to": "deceased", "date": "2026-02-01", "reason": "病故"}, format="json")
    assert response.status_code == 200
    assert (response.json()["exit_date"], response.json()["exit_reason"]) == ("2026-02-01", "deceased")


def test_timeline_lists_status_changes_newest_first_and_is_audited(api_as, officer, office):
    supervisee = SuperviseeFactory(justice_office=office, status="pending_report")
    client = api_as(officer)
    url = f"{LIST}{supervisee.pk}/transition/"
    client.post(url, {"to": "under_supervision", "date": "2026-01-15"}, format="json")
    client.post(url, {"to": "absconded", "date": "2026-02-15"}, format="json")
    body = client.get(f"{LIST}{supervisee.pk}/timeline/").json()
    changes = [e["details"]["to"] for e in body["results"] if e["type"] == "status_change"]
    assert changes == ["absconded", "under_supervision"]
    # Intake wrote its announcement and its receipt to the deciding agency (documents.effects).
    assert {e["type"] for e in body["results"]} == {"status_change", "document", "notice"}
    assert AuditEvent.objects.filter(action="view", supervisee_id=supervisee.pk).count() == 1


def test_timeline_times_carry_the_office_offset_and_days_stay_days(api_as, officer, office):
    """API.md "Conventions": times with offset, `2026-11-25T09:30:00+08:00`. Found by schemathesis's run
    (tests/test_schemathesis.py) reading the timeline: `str()` of the stored UTC time gave
    `2026-11-25 01:30:00+00:00`."""
    supervisee = SuperviseeFactory(justice_office=office, officer=officer, intake_date=dt.date(2026, 1, 15))
    CheckInFactory(supervisee=supervisee, on=dt.date(2026, 11, 20))  # 10:00 office time
    supervisee.status_changes.create(
        from_status="pending_report", to_status="under_supervision", date=dt.date(2026, 1, 15)
    )
    events = api_as(officer).get(f"{LIST}{supervisee.pk}/timeline/").json()["results"]
    assert {e["type"]: e["at"] for e in events} == {
        "checkin": "2026-11-20T10:00:00+08:00",
        "status_change": "2026-01-15",
    }


@pytest.mark.parametrize("body_format", ["multipart", "form"])
def test_a_body_that_is_not_json_is_415_and_changes_nothing(api_as, officer, office, body_format):
    """Found by schemathesis (tests/test_schemathesis.py): a PATCH sent as a form or multipart was
    accepted (200) with its nested `sentence` silently dropped, forms carrying no nested objects."""
    supervisee = SuperviseeFactory(justice_office=office, officer=officer)
    client = api_as(officer)
    url = f"{LIST}{supervisee.pk}/"
    if body_format == "form":
        response = client.patch(
            url, "phone=13900000000&sentence=x", content_type="application/x-www-form-urlencoded"
        )
    else:
        response = client.patch(url, {"phone": "13900000000"}, format="multipart")
    assert response.status_code == 415, response.content
    supervisee.refresh_from_db()
    assert supervisee.phone != "13900000000"


@pytest.mark.parametrize("page_size", [5, 50])
def test_list_runs_a_fixed_number_of_queries(api_as, officer, office, django_assert_num_queries, page_size):
    for _ in range(page_size):
        SuperviseeFactory(justice_office=office, officer=officer)
    client = api_as(officer)
    # the reporting rules in force (for next_report_due), count, page (with sentence, office, officer
    # joined and the next report due computed in it), prohibitions prefetch, the list read's audit row
    with django_assert_num_queries(5):
        assert len(client.get(LIST, {"page_size": page_size}).json()["results"]) == page_size


def test_schema_and_docs_are_served_without_external_assets(api):
    assert api.get("/api/schema/").status_code == 200
    page = api.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "cdn" not in html.lower() and "/static/drf_spectacular_sidecar/" in html
