"""Malformed input answers 400 naming the parameter, never 500, and writes nothing (API.md "Operating":
no malformed query parameter, body or file gives a 500; each is a 400 naming the parameter).

Each request is sent as a user who may make it, so that nothing but the input is wrong. "Writes
nothing" is checked on every table a request of this kind could write to, the audit trail included (a
refused read is not audited: nothing was read). The NUL-byte cases fail only on PostgreSQL without the
fix (it refuses NUL in text and JSONB, where SQLite stores it): run this module on both databases.
"""

import datetime as dt

import pytest

from accounts.models import AuditEvent
from community.models import Activity, Need, Participation, Provider
from coordination.models import Referral
from corrections.models import Supervisee
from supervision.models import Alert, CheckIn, LeaveRequest, Measure, MedicalReport
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db

NUL = "\x00"
TABLES = (
    AuditEvent,
    Supervisee,
    CheckIn,
    Referral,
    LeaveRequest,
    Measure,
    Alert,
    MedicalReport,
    Activity,
    Participation,
    Provider,
    Need,
)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


@pytest.fixture
def case(office, officer, court):
    return SuperviseeFactory(justice_office=office, officer=officer, intake_date=dt.date(2026, 1, 15))


# (who asks, path, query, the parameter the answer must name)
API_QUERIES = [
    ("officer", "/api/v1/supervisees/", {"justice_office": "abc"}, "justice_office"),
    ("officer", "/api/v1/supervisees/", {"justice_office": "-3"}, "justice_office"),
    ("officer", "/api/v1/supervisees/", {"justice_office": "9" * 30}, "justice_office"),
    ("officer", "/api/v1/supervisees/", {"status": NUL}, "status"),
    ("officer", "/api/v1/supervisees/", {"status": "on_the_run"}, "status"),
    ("officer", "/api/v1/supervisees/", {"category": "probation" + NUL}, "category"),
    ("officer", "/api/v1/supervisees/", {"management_level": "loose"}, "management_level"),
    ("officer", "/api/v1/supervisees/", {"officer": NUL}, "officer"),
    ("officer", "/api/v1/supervisees/", {"q": NUL}, "q"),
    ("officer", "/api/v1/supervisees/", {"q": "张" + NUL + "三"}, "q"),
    ("officer", "/api/v1/supervisees/", {"q": "370404" + NUL}, "q"),
    ("officer", "/api/v1/checkins/", {"supervisee": "abc"}, "supervisee"),
    ("officer", "/api/v1/checkins/", {"supervisee": "1.5"}, "supervisee"),
    ("officer", "/api/v1/checkins/", {"supervisee": NUL}, "supervisee"),
    ("officer", "/api/v1/checkins/", {"since": "2026-02-30"}, "since"),
    ("officer", "/api/v1/activities/", {"since": "2026-02-30"}, "since"),
    ("officer", "/api/v1/activities/", {"kind": "karaoke"}, "kind"),
    ("officer", "/api/v1/activities/", {"supervisee": NUL}, "supervisee"),
    ("officer", "/api/v1/providers/", {"active": "perhaps"}, "active"),
    ("officer", "/api/v1/checkins/", {"until": "2026-13-01"}, "until"),
    ("officer", "/api/v1/checkins/", {"until": "9999-12-31"}, "until"),
    ("officer", "/api/v1/checkins/", {"since": "0001-01-01"}, "since"),
    ("officer", "/api/v1/checkins/", {"until": "9999-12-31T23:00:00-10:00"}, "until"),
    ("officer", "/api/v1/checkins/", {"since": "2026-11-25T09:30:00"}, "since"),  # no offset
    ("officer", "/api/v1/checkins/", {"since": "2026-02-30T09:30:00+08:00"}, "since"),
    ("officer", "/api/v1/checkins/", {"since": NUL}, "since"),
    ("officer", "/api/v1/checkins/", {"kind": NUL}, "kind"),
    ("officer", "/api/v1/alerts/", {"supervisee": "abc"}, "supervisee"),
    ("officer", "/api/v1/alerts/", {"status": NUL}, "status"),
    ("officer", "/api/v1/alerts/", {"kind": "late"}, "kind"),
    ("officer", "/api/v1/leave-requests/", {"supervisee": "abc"}, "supervisee"),
    ("officer", "/api/v1/leave-requests/", {"status": NUL}, "status"),
    ("officer", "/api/v1/measures/", {"supervisee": NUL}, "supervisee"),
    ("officer", "/api/v1/measures/", {"kind": NUL}, "kind"),
    ("officer", "/api/v1/referrals/", {"supervisee": "abc"}, "supervisee"),
    ("officer", "/api/v1/referrals/", {"box": NUL}, "box"),
    ("officer", "/api/v1/referrals/", {"kind": NUL}, "kind"),
    ("supervisor", "/api/v1/audit-events/", {"supervisee": "abc"}, "supervisee"),
    ("supervisor", "/api/v1/audit-events/", {"actor": NUL}, "actor"),
    ("supervisor", "/api/v1/audit-events/", {"since": "2026-02-30"}, "since"),
    ("supervisor", "/api/v1/audit-events/", {"since": "9999-12-31"}, "since"),
    ("supervisor", "/api/v1/audit-events/", {"action": NUL}, "action"),
    (
        "supervisor",
        "/api/v1/reports/monthly/",
        {"month": "2026-10", "justice_office": "abc"},
        "justice_office",
    ),
    ("supervisor", "/api/v1/reports/monthly/", {"month": NUL}, "month"),
    ("procurator", "/api/v1/oversight/exceptions/", {"code": NUL}, "code"),
    ("officer", "/api/v1/supervisees/{case}/team/", {"include_left": "maybe"}, "include_left"),
    # Given twice: only one would have been read, silently (found by tests/test_schemathesis.py).
    ("officer", "/api/v1/alerts/", {"status": ["open", "resolved"]}, "status"),
    ("officer", "/api/v1/supervisees/", {"page_size": ["x", ""]}, "page_size"),
    ("officer", "/api/v1/checkins/", {"page": ["2", "1"]}, "page"),
    ("procurator", "/api/v1/oversight/exceptions/", {"code": ["x", "leave_beyond_tier"]}, "code"),
]


@pytest.mark.parametrize(("who", "path", "query", "name"), API_QUERIES)
def test_a_bad_api_query_parameter_is_400_naming_it_and_writes_nothing(
    request, api_as, case, who, path, query, name
):
    api = api_as(request.getfixturevalue(who))
    before = counts()
    response = api.get(path.format(case=case.pk), query)
    assert response.status_code == 400, response.content
    assert name in response.json(), response.json()
    assert counts() == before


PAGE_QUERIES = [
    ("officer", "/supervisees/", {"q": NUL}, "q"),
    ("officer", "/supervisees/", {"q": "王" + NUL}, "q"),
    ("officer", "/supervisees/", {"status": NUL}, "status"),
    ("officer", "/supervisees/", {"category": "fine"}, "category"),
    ("officer", "/alerts/", {"status": NUL}, "status"),
    ("officer", "/alerts/", {"kind": "late"}, "kind"),
    ("officer", "/referrals/", {"box": NUL}, "box"),
    ("officer", "/referrals/", {"status": "open"}, "status"),
    ("procurator", "/oversight/", {"code": NUL}, "code"),
    ("officer", "/supervisees/", {"status": ["all", "absconded"]}, "status"),
    ("supervisor", "/reports/", {"justice_office": "abc"}, "justice_office"),
    ("supervisor", "/reports/", {"month": "2026-10", "justice_office": NUL}, "justice_office"),
    (
        "supervisor",
        "/reports/cases/",
        {"month": "2026-10", "figure": "intake", "justice_office": "abc"},
        "justice_office",
    ),
    ("supervisor", "/reports/cases/", {"month": "2026-10", "figure": NUL}, "figure"),
    ("supervisor", "/reports/cases/", {"month": "2026-13", "figure": "intake"}, "month"),
    # the exports, twins of the caseload page and of the check-in list
    ("officer", "/reports/exports/caseload.csv", {"q": NUL}, "q"),
    ("officer", "/reports/exports/caseload.xlsx", {"status": NUL}, "status"),
    ("officer", "/reports/exports/checkins.csv", {"since": "2026-02-30"}, "since"),
    ("officer", "/reports/exports/checkins.csv", {"until": "2026-13-01"}, "until"),
    ("officer", "/reports/exports/checkins.csv", {"until": "9999-12-31"}, "until"),
    ("officer", "/reports/exports/checkins.xlsx", {"since": NUL}, "since"),
]


@pytest.mark.parametrize(("who", "path", "query", "name"), PAGE_QUERIES)
def test_a_bad_page_or_export_query_parameter_is_400_naming_it_and_writes_nothing(
    request, client, case, who, path, query, name
):
    client.force_login(request.getfixturevalue(who))
    before = counts()
    response = client.get(path, query)
    assert response.status_code == 400, response.content[:500]
    assert f"<code>{name}</code>" in response.content.decode()
    assert counts() == before


def test_the_audit_page_refuses_a_nul_byte_in_its_search(client, supervisor):
    client.force_login(supervisor)
    before = counts()
    assert client.get("/audit/", {"actor": NUL}).status_code == 400
    assert counts() == before


def test_good_queries_still_answer_and_are_read_as_before(api_as, client, officer, case):
    """The same filters written well: a date bound with its offset, a lower-case code, an id."""
    api = api_as(officer)
    since = api.get("/api/v1/checkins/", {"supervisee": case.pk, "since": "2026-01-01T00:00:00+08:00"})
    assert since.status_code == 200
    # An unencoded "+" arrives as a space; the offset is still read.
    assert api.get("/api/v1/checkins/?since=2026-01-01T00:00:00+08:00".replace("+", " ")).status_code == 200
    assert api.get("/api/v1/supervisees/", {"justice_office": case.justice_office_id}).json()["count"] == 1
    client.force_login(officer)
    assert client.get("/supervisees/", {"status": "all", "q": case.name}).status_code == 200
    assert (
        client.get(
            "/reports/exports/checkins.csv", {"since": "2026-01-01", "until": "2026-12-31"}
        ).status_code
        == 200
    )


# --- bodies: dates no record carries, and a time without its offset ------------------------------------


def sentence_body(office, court, **changes):
    from tests.workspace.test_api import new_case

    body = new_case(office, court)
    body["sentence"].update(changes)
    return body


TEMPORARY_EXECUTION = {
    "category": "temporary_execution",
    "penalty": "fixed_term_imprisonment",
    "original_term_months": 36,
    "temporary_execution_ground": "illness",
    "release_date": "2026-02-12",
    "original_term_end": "2028-02-11",
}
PAROLE = {
    "category": "parole",
    "penalty": "fixed_term_imprisonment",
    "original_term_months": 60,
    "release_date": "2026-02-12",
    "original_term_end": "2028-02-11",
}
SENTENCES = [
    ({"effective_date": "9999-12-31"}, "effective_date"),  # was "year 10000 is out of range"
    ({"judgment_date": "9999-12-30", "effective_date": "9999-12-31"}, "judgment_date"),
    ({"judgment_date": "0001-01-01"}, "judgment_date"),
    ({"judgment_date": "1979-12-31"}, "judgment_date"),
    ({"prior_custody_days": 10**9}, "prior_custody_days"),
    ({**TEMPORARY_EXECUTION, "original_term_end": "9999-12-31"}, "original_term_end"),
    ({**PAROLE, "release_date": "9999-12-01", "original_term_end": "9999-12-31"}, "release_date"),
    (
        {**PAROLE, "penalty": "life_imprisonment", "original_term_end": None, "release_date": "9999-06-01"},
        "release_date",
    ),
]


@pytest.mark.parametrize(("changes", "name"), SENTENCES)
def test_an_implausible_sentence_is_400_naming_the_field_and_registers_nothing(
    api_as, officer, office, court, changes, name
):
    before = counts()
    response = api_as(officer).post(
        "/api/v1/supervisees/", sentence_body(office, court, **changes), format="json"
    )
    assert response.status_code == 400, response.content
    assert name in response.json()["sentence"], response.json()
    assert counts() == before


def test_a_correction_to_an_implausible_date_is_400_and_changes_nothing(api_as, officer, case):
    before = counts()
    response = api_as(officer).patch(
        f"/api/v1/supervisees/{case.pk}/", {"sentence": {"effective_date": "9999-12-31"}}, format="json"
    )
    assert response.status_code == 400 and "effective_date" in response.json()["sentence"]
    case.sentence.refresh_from_db()
    assert case.sentence.effective_date == dt.date(2026, 1, 10)
    assert counts() == before


def test_a_referral_due_in_9999_is_400_naming_due_date(api_as, officer, case, agencies):
    before = counts()
    response = api_as(officer).post(
        "/api/v1/referrals/",
        {
            "supervisee": case.pk,
            "to_agency": agencies["police"].pk,
            "kind": "absconder_search",
            "summary": "失联，请协助查找",
            "due_date": "9999-12-31",
        },
        format="json",
    )
    assert response.status_code == 400 and "due_date" in response.json(), response.content
    assert counts() == before


@pytest.mark.parametrize("occurred_at", ["2026-03-20T09:30:00", "2026-03-20 09:30"])
def test_a_check_in_time_without_its_offset_is_400_not_read_as_local(api_as, officer, case, occurred_at):
    before = counts()
    response = api_as(officer).post(
        "/api/v1/checkins/",
        {"supervisee": case.pk, "kind": "phone", "occurred_at": occurred_at},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "offset" in response.json()["occurred_at"][0]
    assert counts() == before


def test_a_team_member_who_joined_in_year_1_is_400(api_as, officer, case):
    before = counts()
    response = api_as(officer).post(
        f"/api/v1/supervisees/{case.pk}/team/",
        {"name": "杨晓燕", "role": "social_worker", "gender": "female", "joined_on": "0001-01-01"},
        format="json",
    )
    assert response.status_code == 400 and "joined_on" in response.json()
    assert counts() == before


def test_the_period_rules_refuse_what_they_cannot_count_instead_of_overflowing():
    from django.core.exceptions import ValidationError

    from corrections.periods import SentenceTerms, compute_period

    far = SentenceTerms(
        category="probation",
        penalty="criminal_detention",
        effective_date=dt.date(9999, 12, 31),
        original_term_months=3,
        probation_term_months=6,
    )
    with pytest.raises(ValidationError) as far_error:
        compute_period(far)
    assert "effective_date" in far_error.value.message_dict
    custody = SentenceTerms(
        category="control",
        penalty="control",
        effective_date=dt.date(2026, 2, 12),
        original_term_months=6,
        prior_custody_days=10**9,
    )
    with pytest.raises(ValidationError) as custody_error:
        compute_period(custody)
    assert "prior_custody_days" in custody_error.value.message_dict


# --- ledger files ---------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def import_errors(client, rows) -> list[tuple[int | None, str, str]]:
    """Upload `rows` as a CSV ledger (signed in); (row, column, message) of every error the check found."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.models import LedgerImport
    from tests.reports.ledgers import as_csv

    response = client.post("/reports/import/", {"file": SimpleUploadedFile("台账.csv", as_csv(rows))})
    assert response.status_code == 302, response.content[:300]
    ledger_import = LedgerImport.objects.latest("id")
    assert ledger_import.status == "failed"
    return [(e["row"], e["column"], e["message"]) for e in ledger_import.errors]


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("身份证号码", "", "ID number"),  # was a ValidationError without error_dict: a 500
        ("姓名", "王" + NUL + "五", "NUL"),
        ("案件编号", "LED" + NUL, "NUL"),
        ("罪名", NUL, "NUL"),
        ("生效日期", "9999-12-31", "between"),  # was "year 10000 is out of range"
        ("判决日期", "0001-01-01", "between"),
    ],
)
def test_a_ledger_row_that_cannot_be_a_case_is_named_by_row_and_column_and_imports_nothing(
    client, officer, office, court, media, column, value, words
):
    from tests.reports.ledgers import ledger_rows

    rows = ledger_rows(2, office=office.name, court=court.name)
    rows[1][column] = value
    client.force_login(officer)
    before = counts()
    errors = import_errors(client, rows)
    assert [(row, col) for row, col, _message in errors] == [(3, column)], errors
    assert words in errors[0][2]
    assert counts() == before


def test_a_ledger_header_with_a_nul_byte_is_listed_as_ignored(client, officer, office, court, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.models import LedgerImport
    from tests.reports.ledgers import HEADERS, as_csv, ledger_rows

    odd = "备" + NUL + "注"
    rows = [{**row, odd: "x"} for row in ledger_rows(1, office=office.name, court=court.name)]
    client.force_login(officer)
    content = as_csv(rows, headers=[*HEADERS, odd])
    response = client.post("/reports/import/", {"file": SimpleUploadedFile("台账.csv", content)})
    assert response.status_code == 302
    assert LedgerImport.objects.latest("id").ignored_columns == ["备\ufffd注"]


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page": NUL}, "page"),
        ({"page_size": "lots"}, "page_size"),
    ],
)
def test_a_page_or_page_size_that_is_not_a_number_is_400(api_as, officer, case, query, name):
    before = counts()
    response = api_as(officer).get("/api/v1/supervisees/", query)
    assert response.status_code == 400 and name in response.json(), response.content
    assert counts() == before
    # Past the last page is not malformed: the page is not found (404), and "last" still works.
    assert api_as(officer).get("/api/v1/supervisees/", {"page": 2}).status_code == 404
    assert api_as(officer).get("/api/v1/supervisees/", {"page": "last"}).status_code == 200


# --- paths -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/alerts/-1/", "/api/v1/supervisees/abc/timeline/", "/api/v1/nothing/"]
)
def test_an_api_path_no_route_takes_is_a_json_404(api_as, officer, path):
    """Every API error is JSON (docs/api.md#errors); a path id that is not a whole number got the pages' HTML
    404 (found by schemathesis, tests/test_schemathesis.py)."""
    response = api_as(officer).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}


def test_a_page_path_no_route_takes_is_still_the_404_page(client, officer):
    client.force_login(officer)
    response = client.get("/supervisees/abc/")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/html")


# --- a number where text belongs ---------------------------------------------------------------------------


def test_a_number_where_text_belongs_is_400_and_writes_nothing(api_as, officer, case, agencies):
    """The schema says `type: string`; DRF's CharField took `{"body": 80}` and stored "80" (found by
    schemathesis, tests/test_schemathesis.py, in the thread and the withdrawal of a referral)."""
    from coordination.services import referral_create, referral_send

    referral = referral_create(
        supervisee=case, by=officer, to_agency=agencies["police"], kind="absconder_search", summary="失联"
    )
    referral_send(referral=referral, by=officer)
    alert = Alert.objects.create(supervisee=case, kind="missed_report", due_date=dt.date(2026, 11, 1))
    api = api_as(officer)
    before = counts()
    for path, body, name in [
        (f"/api/v1/referrals/{referral.pk}/respond/", {"body": 80}, "body"),
        (f"/api/v1/referrals/{referral.pk}/withdraw/", {"note": 80}, "note"),
        (f"/api/v1/supervisees/{case.pk}/team/", {"name": 7, "role": "family"}, "name"),
        (f"/api/v1/alerts/{alert.pk}/resolve/", {"note": ["已联系"]}, "note"),
    ]:
        response = api.post(path, body, format="json")
        assert response.status_code == 400 and name in response.json(), (path, response.content)
    response = api.patch(f"/api/v1/supervisees/{case.pk}/", {"name": 12345}, format="json")
    assert response.status_code == 400 and "name" in response.json(), response.content
    assert counts() == before
    referral.refresh_from_db()
    assert referral.status == "sent" and not referral.messages.exists()
