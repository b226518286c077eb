"""The ledger import: a dry run through the registration service that writes nothing, errors by row
and column, the confirm step bound to the checked file, the inline and the worker paths, roles."""

import datetime as dt
import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from corrections.models import Supervisee
from reports import services, tasks
from reports.ledger import COLUMNS, read_ledger
from reports.models import LedgerImport
from tests.factories import SuperviseeFactory

from .ledgers import HEADERS, as_csv, as_xlsx, ledger_rows

pytestmark = pytest.mark.django_db
PAGE = "/reports/import/"


@pytest.fixture(autouse=True)
def media(settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))  # for a worker process


@pytest.fixture
def rows(office, court):
    return ledger_rows(5, office=office.name, court=court.name)


def upload(client, user, content: bytes, name: str = "台账.csv"):
    client.force_login(user)
    return client.post(PAGE, {"file": SimpleUploadedFile(name, content)})


def last_import() -> LedgerImport:
    return LedgerImport.objects.latest("id")


def test_the_columns_are_the_services_fields():
    from corrections.services import SENTENCE_FIELDS, SUPERVISEE_FIELDS

    for key in COLUMNS:
        if key.startswith("sentence."):
            assert key.removeprefix("sentence.") in SENTENCE_FIELDS
        elif key != "prohibitions":
            assert key in SUPERVISEE_FIELDS


def test_three_wrong_rows_write_nothing_and_are_named_by_row_and_column(client, officer, rows):
    rows[1]["身份证号码"] = rows[1]["身份证号码"][:-1] + ("0" if rows[1]["身份证号码"][-1] != "0" else "1")
    rows[3]["性别"] = "未知"
    rows[4]["生效日期"] = "2026-13-45"
    response = upload(client, officer, as_csv(rows))
    ledger_import = last_import()
    assert response.status_code == 302
    assert response["Location"] == f"/reports/import/{ledger_import.pk}/"
    assert ledger_import.status == "failed"
    found = {(e["row"], e["column"]) for e in ledger_import.errors}
    # Row numbers as the sheet shows them: the header is row 1.
    assert found == {(3, "身份证号码"), (5, "性别"), (6, "生效日期")}
    assert Supervisee.objects.count() == 0
    assert not AuditEvent.objects.filter(action__in=["create", "import"]).exists()

    page = client.get(response["Location"])
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-row="3"' in text and 'data-row="5"' in text and 'data-row="6"' in text
    assert "生效日期" in text and "Register" not in text
    # Nothing to confirm: the state refuses it (409), and still nothing is written.
    refused = client.post(f"{response['Location']}confirm/", {"sha256": ledger_import.sha256})
    assert refused.status_code == 409
    assert Supervisee.objects.count() == 0


def test_a_valid_csv_with_bom_is_checked_then_imported_with_audit_rows(client, officer, office, rows):
    upload(client, officer, as_csv(rows, bom=True))
    ledger_import = last_import()
    assert (ledger_import.status, ledger_import.rows, ledger_import.errors) == ("validated", 5, [])
    assert [row["case_number"] for row in ledger_import.preview] == [f"LED-{n:04d}" for n in range(5)]
    # The dry run really ran the service, and rolled everything back.
    assert Supervisee.objects.count() == 0 and not AuditEvent.objects.filter(action="create").exists()
    page = client.get(f"/reports/import/{ledger_import.pk}/")
    assert "LED-0004" in page.content.decode()

    response = client.post(f"/reports/import/{ledger_import.pk}/confirm/", {"sha256": ledger_import.sha256})
    assert response.status_code == 302
    ledger_import.refresh_from_db()
    assert (ledger_import.status, ledger_import.progress) == ("imported", 5)
    cases = Supervisee.objects.order_by("case_number")
    assert [c.case_number for c in cases] == [f"LED-{n:04d}" for n in range(5)]
    assert {c.justice_office_id for c in cases} == {office.pk}
    assert cases[1].sentence.category == "probation" and cases[0].sentence.category == "control"
    assert list(cases[1].sentence.prohibition_orders.values_list("content", flat=True)) == [
        "禁止进入娱乐场所",
        "禁止接触被害人",
    ]
    assert AuditEvent.objects.filter(action="create", target_type="corrections.supervisee").count() == 5
    imported = AuditEvent.objects.get(action="import")
    assert (imported.actor, imported.target_id, imported.changes["rows"]) == (
        officer,
        str(ledger_import.pk),
        5,
    )
    # A second confirm (a double click) imports nothing more.
    client.post(f"/reports/import/{ledger_import.pk}/confirm/", {"sha256": ledger_import.sha256})
    assert Supervisee.objects.count() == 5 and AuditEvent.objects.filter(action="import").count() == 1


def test_csv_without_bom_and_api_field_names_parse(officer, office, court, rows):
    content = as_csv(rows, bom=False)
    assert read_ledger(content=content, filename="a.csv").rows[0].values["name"] == "王0"
    api_headers = "case_number,name,gender,id_number,education,household_type,residence_address,crime,"
    api_headers += "crime_chapter,category,penalty,original_term_months,deciding_agency,document_number,"
    api_headers += "judgment_date,effective_date"
    line = f"API-1,李四,male,{rows[0]['身份证号码']},primary,urban,临城,盗窃罪,property,control,control,6,"
    line += f"{court.pk},(2026)1号,2026-10-01,2026-10-12"
    ledger_import = services.ledger_import_upload(
        by=officer, upload=SimpleUploadedFile("api.csv", f"{api_headers}\n{line}\n".encode())
    )
    assert (ledger_import.status, ledger_import.errors) == ("validated", [])


def test_an_excel_ledger_is_checked_and_imported(client, supervisor, office, other_office, court):
    rows = ledger_rows(3, office=office.name, court=court.name)
    rows[2]["司法所"] = other_office.name
    upload(client, supervisor, as_xlsx(rows), name="台账.xlsx")
    ledger_import = last_import()
    assert (ledger_import.status, ledger_import.errors) == ("validated", [])
    client.post(f"/reports/import/{ledger_import.pk}/confirm/", {"sha256": ledger_import.sha256})
    assert dict(Supervisee.objects.values_list("case_number", "justice_office_id")) == {
        "LED-0000": office.pk,
        "LED-0001": office.pk,
        "LED-0002": other_office.pk,
    }


def test_existing_and_repeated_case_numbers_and_another_office_are_errors(
    officer, office, other_office, court
):
    SuperviseeFactory(justice_office=office, case_number="LED-0000")
    rows = ledger_rows(4, office=office.name, court=court.name)
    rows[2]["案件编号"] = "LED-0001"  # the same number as row 3 of the sheet
    rows[3]["司法所"] = other_office.name  # an officer registers for their own office only
    ledger_import = services.ledger_import_upload(
        by=officer, upload=SimpleUploadedFile("a.csv", as_csv(rows))
    )
    errors = {(e["row"], e["column"]): e["message"] for e in ledger_import.errors}
    assert errors[(2, "案件编号")] == "This case number is already registered."
    assert errors[(4, "案件编号")] == "The same case number is on row 3."
    assert errors[(5, "司法所")] == "An officer registers cases for their own office."
    assert (3, "案件编号") not in errors
    assert Supervisee.objects.count() == 1


def test_a_file_that_is_no_ledger_is_refused_with_a_reason(officer):
    ledger_import = services.ledger_import_upload(
        by=officer, upload=SimpleUploadedFile("a.csv", b"foo,bar\n1,2\n")
    )
    assert ledger_import.status == "failed"
    assert ledger_import.errors[0]["row"] is None and "案件编号" in ledger_import.errors[0]["message"]
    broken = services.ledger_import_upload(by=officer, upload=SimpleUploadedFile("a.xlsx", b"not a zip"))
    assert broken.status == "failed" and "Excel" in broken.errors[0]["message"]


def test_the_upload_form_shows_its_error_by_the_field(client, officer):
    client.force_login(officer)
    response = client.post(PAGE, {"file": SimpleUploadedFile("ledger.pdf", b"%PDF")})
    assert response.status_code == 400
    assert "Upload an Excel workbook (.xlsx) or a CSV file (.csv)." in response.content.decode()
    assert LedgerImport.objects.count() == 0


def test_the_confirm_step_refuses_another_file(client, officer, other_office_officer, rows):
    upload(client, officer, as_csv(rows))
    checked = last_import()
    confirm = f"/reports/import/{checked.pk}/confirm/"
    # A token that is not the checked file's hash.
    other_hash = hashlib.sha256(b"another ledger").hexdigest()
    response = client.post(confirm, {"sha256": other_hash})
    assert response.status_code == 400
    assert "This is not the file that was checked." in response.content.decode()
    assert Supervisee.objects.count() == 0
    # Someone else's upload does not exist for this user.
    client.force_login(other_office_officer)
    assert client.post(confirm, {"sha256": checked.sha256}).status_code == 404
    assert client.get(f"/reports/import/{checked.pk}/").status_code == 404
    # The stored file changed after the check: refused, nothing written.
    client.force_login(officer)
    with open(checked.file.path, "ab") as stored:
        stored.write(b"LED-9999,extra\n")
    client.post(confirm, {"sha256": checked.sha256})
    checked.refresh_from_db()
    assert checked.status == "failed" and "changed" in checked.errors[0]["message"]
    assert Supervisee.objects.count() == 0


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("officer", 200),
        ("supervisor", 200),
        ("other_office_officer", 200),
        ("procurator", 403),
        ("judge", 403),
        ("police", 403),
        ("social_worker", 403),
    ],
)
def test_roles(request, client, agencies, role, expected):
    client.force_login(request.getfixturevalue(role))
    assert client.get(PAGE).status_code == expected
    response = client.post(PAGE, {"file": SimpleUploadedFile("a.csv", b"x")})
    # Allowed: stored and checked (a one-byte file fails the check), then the check page.
    assert response.status_code == (403 if expected == 403 else 302)
    assert LedgerImport.objects.count() == (0 if expected == 403 else 1)


def test_anonymous_is_sent_to_sign_in(client):
    assert client.get(PAGE).status_code == 302


def test_a_large_ledger_is_queued_and_the_task_is_idempotent(
    client, officer, office, court, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(services, "INLINE_IMPORT_ROWS", 3)
    enqueued = []
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, *args: enqueued.append((task.name, args)))
    upload(client, officer, as_csv(ledger_rows(6, office=office.name, court=court.name)))
    ledger_import = last_import()
    client.post(f"/reports/import/{ledger_import.pk}/confirm/", {"sha256": ledger_import.sha256})
    ledger_import.refresh_from_db()
    assert ledger_import.status == "importing" and Supervisee.objects.count() == 0
    assert enqueued == [("reports.ledger_import_run", (ledger_import.pk,))]
    page = client.get(f"/reports/import/{ledger_import.pk}/").content.decode()
    assert "If the worker is down, it runs when the worker is back" in page
    status = client.get(f"/reports/import/{ledger_import.pk}/status/").json()
    assert (status["status"], status["queued"], status["rows"]) == ("importing", True, 6)

    assert tasks.ledger_import_run(ledger_import.pk) == "imported"
    assert tasks.ledger_import_run(ledger_import.pk) == "imported"  # twice: nothing more
    assert Supervisee.objects.count() == 6
    assert AuditEvent.objects.filter(action="import").count() == 1
    assert client.get(f"/reports/import/{ledger_import.pk}/status/").json()["progress"] == 6


def test_a_stale_queued_import_is_enqueued_again_when_looked_at(client, officer, office, court, monkeypatch):
    monkeypatch.setattr(services, "INLINE_IMPORT_ROWS", 1)
    enqueued = []
    monkeypatch.setattr(services, "enqueue_on_commit", lambda task, *args: enqueued.append(args))
    upload(client, officer, as_csv(ledger_rows(2, office=office.name, court=court.name)))
    ledger_import = last_import()
    client.post(f"/reports/import/{ledger_import.pk}/confirm/", {"sha256": ledger_import.sha256})
    client.get(f"/reports/import/{ledger_import.pk}/status/")
    assert len(enqueued) == 1  # just queued: not again
    LedgerImport.objects.filter(pk=ledger_import.pk).update(
        queued_at=ledger_import.created_at - dt.timedelta(minutes=10)
    )
    client.get(f"/reports/import/{ledger_import.pk}/status/")
    assert len(enqueued) == 2


def test_an_import_refused_at_run_time_keeps_nothing(officer, office, court, monkeypatch):
    monkeypatch.setattr(services, "INLINE_IMPORT_ROWS", 1)
    monkeypatch.setattr(services, "enqueue_on_commit", lambda *a: None)
    rows = ledger_rows(3, office=office.name, court=court.name)
    ledger_import = services.ledger_import_upload(
        by=officer, upload=SimpleUploadedFile("a.csv", as_csv(rows))
    )
    ledger_import = services.ledger_import_confirm(
        ledger_import=ledger_import, by=officer, sha256=ledger_import.sha256
    )
    SuperviseeFactory(justice_office=office, case_number="LED-0002")  # registered meanwhile
    ledger_import = services.ledger_import_execute(ledger_import_id=ledger_import.pk)
    assert ledger_import.status == "failed"
    assert [(e["row"], e["column"]) for e in ledger_import.errors] == [(4, "案件编号")]
    assert Supervisee.objects.count() == 1 and not AuditEvent.objects.filter(action="import").exists()


def test_import_pages_run_a_fixed_number_of_queries(
    client, officer, office, court, django_assert_max_num_queries
):
    upload(client, officer, as_csv(ledger_rows(40, office=office.name, court=court.name)))
    ledger_import = last_import()
    with django_assert_max_num_queries(8):
        assert client.get(PAGE).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/reports/import/{ledger_import.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(f"/reports/import/{ledger_import.pk}/status/").status_code == 200


@pytest.mark.celery_worker
def test_the_real_worker_imports_a_large_ledger(celery_worker, client, officer, office, court, monkeypatch):
    from tests.supervision.conftest import wait_for

    monkeypatch.setattr(services, "INLINE_IMPORT_ROWS", 3)
    upload(client, officer, as_csv(ledger_rows(8, office=office.name, court=court.name)))
    ledger_import = last_import()
    assert ledger_import.status == "validated"
    client.post(f"/reports/import/{ledger_import.pk}/confirm/", {"sha256": ledger_import.sha256})

    def imported():
        """the worker to import the ledger"""
        return LedgerImport.objects.get(pk=ledger_import.pk).status == "imported"

    wait_for(imported, timeout=60)
    assert Supervisee.objects.count() == 8
    assert AuditEvent.objects.filter(action="import").count() == 1


assert HEADERS  # the ledger helpers are shared with the export tests


def test_the_officer_is_found_by_real_name_within_the_row_s_office(officer, colleague, office, court):
    # Issue 13: the ledger's 责任人 needed a login user name, and a clerk's ledger (real names) failed on
    # every row. A name unique in the row's office is read; two officers of one name there are a clear
    # error naming their user names; a user name still works.
    from tests.factories import UserFactory

    officer.last_name, officer.first_name = "李", "明"
    officer.save()
    colleague.last_name, colleague.first_name = "王", "芳"
    colleague.save()
    namesake = UserFactory(
        username="t_namesake", role="justice_officer", agency=office, last_name="王", first_name="芳"
    )
    rows = ledger_rows(4, office=office.name, court=court.name)
    rows[0]["责任人"] = "李明"
    rows[1]["责任人"] = "王芳"  # two officers of this office
    rows[2]["责任人"] = colleague.username
    rows[3]["责任人"] = "赵六"  # nobody
    ledger_import = services.ledger_import_upload(
        by=officer, upload=SimpleUploadedFile("a.csv", as_csv(rows, headers=[*HEADERS, "责任人"]))
    )
    errors = {(e["row"], e["column"]): e["message"] for e in ledger_import.errors}
    assert (2, "责任人") not in errors and (4, "责任人") not in errors
    assert errors[(3, "责任人")] == (
        "2 officers are named 王芳: write the user name of the one meant "
        f"({'、'.join(sorted([colleague.username, namesake.username]))})."
    )
    assert errors[(5, "责任人")] == f"No correction officer of {office.name} has this name or user name."

    rows = ledger_rows(2, office=office.name, court=court.name, prefix="OK")
    rows[0]["责任人"], rows[1]["责任人"] = "李明", colleague.username
    ledger_import = services.ledger_import_upload(
        by=officer, upload=SimpleUploadedFile("b.csv", as_csv(rows, headers=[*HEADERS, "责任人"]))
    )
    assert ledger_import.errors == []


def test_an_empty_ledger_to_fill_in_is_offered(client, officer, police):
    import io

    from openpyxl import load_workbook

    client.force_login(officer)
    assert 'href="/reports/import/template.xlsx"' in client.get(PAGE).content.decode()
    response = client.get("/reports/import/template.xlsx")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    headers = [cell.value for cell in sheet[1]]
    assert headers == [spellings[0] for spellings in COLUMNS.values()] and "责任人" in headers
    client.force_login(police)
    assert client.get("/reports/import/template.xlsx").status_code == 403
