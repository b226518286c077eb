"""Caseload and check-in exports through django-import-export: scope, columns by role, Chinese headers,
formula escaping, the CSV's BOM, the audit row, and a query count that does not grow with the rows."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from accounts.models import AuditEvent
from corrections.constants import Status
from corrections.teams import team_member_add
from supervision.models import CheckIn
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
CASELOAD = "/reports/exports/caseload"
CHECKINS = "/reports/exports/checkins"
INJECTION = '=HYPERLINK("http://evil.example/","点此")'


@pytest.fixture
def cases(office, other_office, officer, court):
    return {
        "ours": SuperviseeFactory(
            justice_office=office, officer=officer, name="李明", management_level="strict"
        ),
        "evil": SuperviseeFactory(justice_office=office, name=INJECTION, management_level="normal"),
        "closed": SuperviseeFactory(
            justice_office=office,
            name="赵结",
            status=Status.TERMINATED,
            exit_date=dt.date(2026, 6, 1),
            exit_reason="expired",
        ),
        "theirs": SuperviseeFactory(justice_office=other_office, name="钱他", management_level="lenient"),
    }


def sheet_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def csv_rows(content: bytes) -> list[list[str]]:
    assert content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_an_officers_caseload_export_is_their_office_open_cases(client, officer, cases):
    client.force_login(officer)
    response = client.get(f"{CASELOAD}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = sheet_rows(response.getvalue())
    names = {row[1] for row in rows[1:]}
    assert names == {"李明", "'" + INJECTION}
    ours = next(row for row in rows[1:] if row[1] == "李明")
    assert cases["ours"].id_number in ours  # an officer needs the full number
    assert cases["ours"].case_number in ours


def test_the_caseload_pages_filters_apply(client, supervisor, cases):
    client.force_login(supervisor)
    rows = csv_rows(client.get(f"{CASELOAD}.csv", {"management_level": "strict"}).getvalue())
    assert [row[1] for row in rows[1:]] == ["李明"]
    everyone = csv_rows(client.get(f"{CASELOAD}.csv", {"status": "all"}).getvalue())
    assert {row[1] for row in everyone[1:]} >= {"赵结", "钱他", "李明"}
    found = csv_rows(client.get(f"{CASELOAD}.csv", {"q": "钱"}).getvalue())
    assert [row[1] for row in found[1:]] == ["钱他"]


def test_a_formula_in_a_name_comes_out_as_text(client, officer, cases):
    client.force_login(officer)
    rows = sheet_rows(client.get(f"{CASELOAD}.xlsx").getvalue())
    book = openpyxl.load_workbook(io.BytesIO(client.get(f"{CASELOAD}.xlsx").getvalue())).active
    for row in book.iter_rows():
        for cell in row:
            assert cell.data_type != "f"
    assert not any(str(value).startswith("=") for row in rows for value in row if value)
    text = client.get(f"{CASELOAD}.csv").getvalue().decode("utf-8-sig")
    assert f"'{INJECTION}" in text.replace('""', '"')
    assert "\n=" not in text and ",=" not in text


def test_headers_are_chinese_for_a_chinese_reader(client, officer, cases):
    client.force_login(officer)
    rows = csv_rows(client.get(f"{CASELOAD}.csv", HTTP_ACCEPT_LANGUAGE="zh-hans").getvalue())
    assert rows[0][:4] == ["案件编号", "姓名", "性别", "身份证号码"]  # a person's name: 姓名, not 名称
    assert "男" in rows[1] and "严管" in next(r for r in rows if r[1] == "李明")
    english = csv_rows(client.get(f"{CASELOAD}.csv", HTTP_ACCEPT_LANGUAGE="en").getvalue())
    assert english[0][:2] == ["Case number", "Name"]


@pytest.mark.parametrize(
    ("language", "name_header", "caseload_sheet", "checkin_sheet"),
    [("zh-hans", "姓名", "社区矫正对象", "监管记录"), ("en", "Name", "Supervisees", "Check-ins")],
)
def test_the_workbooks_name_their_sheet_and_the_persons_name_column(
    client, officer, checkins, language, name_header, caseload_sheet, checkin_sheet
):
    client.force_login(officer)
    for url, sheet_title in ((CASELOAD, caseload_sheet), (CHECKINS, checkin_sheet)):
        content = client.get(f"{url}.xlsx", HTTP_ACCEPT_LANGUAGE=language).getvalue()
        book = openpyxl.load_workbook(io.BytesIO(content))
        assert book.sheetnames == [sheet_title]  # not tablib's "Tablib Dataset"
        header, *names = [cell.value for cell in book.active["B"]]
        assert header == name_header and "李明" in names


def test_social_workers_get_no_id_number_or_crime_and_others_a_masked_number(
    client, officer, social_worker, judge, procurator, cases
):
    team_member_add(
        supervisee=cases["ours"], by=officer, name="社工", role="social_worker", user=social_worker
    )
    client.force_login(social_worker)
    rows = csv_rows(client.get(f"{CASELOAD}.csv", HTTP_ACCEPT_LANGUAGE="en").getvalue())
    assert [row[1] for row in rows[1:]] == ["李明"]
    assert not {"ID number", "Crime", "Crime chapter"} & set(rows[0])
    assert cases["ours"].id_number[6:14] not in "".join(rows[1]) and "盗窃罪" not in rows[1]

    client.force_login(judge)  # the court sees the cases it decided, with the number masked
    rows = csv_rows(client.get(f"{CASELOAD}.csv", HTTP_ACCEPT_LANGUAGE="en").getvalue())
    judged = next(row for row in rows if row[1] == "李明")
    assert cases["ours"].masked_id_number in judged and cases["ours"].id_number not in judged

    client.force_login(procurator)
    rows = csv_rows(client.get(f"{CASELOAD}.csv").getvalue())
    assert cases["ours"].id_number in next(row for row in rows if row[1] == "李明")


def test_every_export_is_audited(client, officer, cases):
    client.force_login(officer)
    client.get(f"{CASELOAD}.csv", {"management_level": "strict", "q": ""})
    event = AuditEvent.objects.get(action="export")
    assert (event.actor, event.target_type) == (officer, "corrections.supervisee")
    assert event.changes == {"filters": {"management_level": "strict"}, "rows": 1, "format": "csv"}


@pytest.fixture
def checkins(cases, officer):
    def at(day, hour):
        return timezone.make_aware(dt.datetime(2026, 10, day, hour, 0), timezone.get_fixed_timezone(480))

    made = [
        CheckIn.objects.create(
            supervisee=cases["ours"], kind="in_person", occurred_at=at(1, 9), recorded_by=officer
        ),
        CheckIn.objects.create(
            supervisee=cases["ours"], kind="phone", occurred_at=at(31, 23), recorded_by=officer, notes="-1+1"
        ),
        CheckIn.objects.create(
            supervisee=cases["theirs"], kind="phone", occurred_at=at(5, 9), recorded_by=officer
        ),
        CheckIn.objects.create(
            supervisee=cases["ours"],
            kind="talk",
            occurred_at=at(30, 9) + dt.timedelta(days=3),
            recorded_by=officer,
        ),
    ]
    return made


def test_the_checkin_export_is_scoped_and_dated_in_office_days(client, officer, checkins):
    client.force_login(officer)
    response = client.get(f"{CHECKINS}.csv", {"since": "2026-10-01", "until": "2026-10-31"})
    rows = csv_rows(response.getvalue())
    assert len(rows) == 3  # header + the two of our office in October (23:00 on the 31st included)
    assert [row[3] for row in rows[1:]] == ["2026-10-31 23:00", "2026-10-01 09:00"]
    assert "'-1+1" in rows[1]  # a note starting like a formula stays text
    event = AuditEvent.objects.get(action="export")
    assert (event.target_type, event.changes["rows"], event.changes["filters"]) == (
        "supervision.checkin",
        2,
        {"since": "2026-10-01", "until": "2026-10-31"},
    )
    xlsx = sheet_rows(client.get(f"{CHECKINS}.xlsx").getvalue())
    assert len(xlsx) == 4


def test_a_bad_date_is_400_with_the_field_named(client, officer):
    client.force_login(officer)
    response = client.get(f"{CHECKINS}.csv", {"since": "2026-13-01"})
    assert response.status_code == 400 and "since" in response.getvalue().decode()
    response = client.get(f"{CHECKINS}.csv", {"since": "2026-10-02", "until": "2026-10-01"})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="export").exists()


def test_unknown_formats_are_404_and_anonymous_users_sign_in(client, officer):
    assert client.get(f"{CASELOAD}.csv").status_code == 302
    client.force_login(officer)
    assert client.get(f"{CASELOAD}.pdf").status_code == 404


def test_exports_run_a_fixed_number_of_queries(client, officer, office, checkins, django_assert_num_queries):
    client.force_login(officer)
    client.get(f"{CASELOAD}.xlsx")
    client.get(f"{CHECKINS}.xlsx")
    # Session, user, agency (scoping), the count for the audit row, the audit row, and the rows read while
    # the file streams (issue 14): the same whatever the number of rows.
    with django_assert_num_queries(6):
        response = client.get(f"{CASELOAD}.xlsx")
        assert response.status_code == 200 and len(sheet_rows(response.getvalue())) == 3
    with django_assert_num_queries(6):
        response = client.get(f"{CHECKINS}.csv")
        assert response.status_code == 200 and len(csv_rows(response.getvalue())) == 4
    for _ in range(30):
        SuperviseeFactory(justice_office=office, officer=officer)
    with django_assert_num_queries(6):
        assert len(sheet_rows(client.get(f"{CASELOAD}.xlsx").getvalue())) == 33
    with django_assert_num_queries(6):
        assert len(csv_rows(client.get(f"{CASELOAD}.csv").getvalue())) == 33


def test_exports_stream_and_read_the_rows_only_as_they_are_sent(
    client, officer, office, cases, django_assert_num_queries
):
    # Issue 14: the caseload export was built whole before the first byte. Now the response is a stream:
    # the rows are read from the database while it is sent, and its first bytes need no row at all.
    for _ in range(5):
        SuperviseeFactory(justice_office=office, officer=officer)
    client.force_login(officer)
    for export_format in ("xlsx", "csv"):
        response = client.get(f"{CASELOAD}.{export_format}")
        assert response.streaming and response.status_code == 200
        chunks = iter(response.streaming_content)
        with django_assert_num_queries(0):
            first = next(chunks)
        assert first.startswith(b"PK" if export_format == "xlsx" else b"\xef\xbb\xbf")
        content = first + b"".join(chunks)
        rows = sheet_rows(content) if export_format == "xlsx" else csv_rows(content)
        assert len(rows) == 1 + 7 and rows[0][0] == "Case number"
    # The audit row counts the rows the file holds.
    assert [event.changes["rows"] for event in AuditEvent.objects.filter(action="export")] == [7, 7]


def test_the_reports_page_links_the_exports_and_the_import(client, officer, procurator):
    client.force_login(officer)
    text = client.get("/reports/").getvalue().decode()
    assert f"{CASELOAD}.xlsx" in text and f"{CHECKINS}.xlsx" in text and "/reports/import/" in text
    client.force_login(procurator)
    text = client.get("/reports/").getvalue().decode()
    assert f"{CASELOAD}.csv" in text and "/reports/import/" not in text
