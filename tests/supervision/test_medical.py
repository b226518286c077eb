"""Temporary execution outside prison (CPL 265; API.md v1.1 "Special supervision"): the monthly health
report and the re-examination, the two sweep rules at their edges (the last day of a month, the month
after intake, exactly three months), the suggestions they feed (recommitment for a ground that ended,
CPL 268 para. 1(3); a warning, then recommitment, for a re-examination not made, SPC 516(5)), and the
API: recorded only for temporary execution (400 naming CPL 265), scoped, audited, with the hospital's
document."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import AuditEvent
from corrections.constants import Category, Status
from supervision.constants import AlertKind
from supervision.medical import medical_dues, reexamination_due
from supervision.models import Alert, Measure, MedicalReport
from supervision.selectors import revocation_suggestions
from supervision.sweep import sweep_run
from tests.factories import SuperviseeFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/medical-reports/"
MISSING = AlertKind.MEDICAL_REPORT_MISSING
OVERDUE = AlertKind.REEXAMINATION_OVERDUE
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def temporary_case(office, officer, *, intake: dt.date, ground: str = "illness", **kwargs):
    return SuperviseeFactory(
        justice_office=office,
        officer=officer,
        intake_date=intake,
        gender="female" if ground == "pregnancy_nursing" else "male",
        sentence__category=Category.TEMPORARY_EXECUTION,
        sentence__effective=intake - dt.timedelta(days=5),
        sentence__temporary_execution_ground=ground,
        **kwargs,
    )


def report(case, officer, day: dt.date, *, kind="monthly_report", conclusion="ground_persists", hospital=""):
    return MedicalReport.objects.create(
        supervisee=case,
        kind=kind,
        date=day,
        conclusion=conclusion,
        hospital=hospital or ("枣庄市立医院" if kind == "reexamination" else ""),
        recorded_by=officer,
    )


# --- medical_report_missing --------------------------------------------------------------------------


def test_the_intake_month_needs_no_report_the_month_after_does_by_its_last_day(office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 10, 28))
    # October is the intake month: nothing when it ends.
    assert sweep_run(as_of=dt.date(2026, 11, 1))[MISSING] == 0
    # November counts; its last day (11-30) is not over until 12-01 begins.
    assert sweep_run(as_of=dt.date(2026, 11, 30))[MISSING] == 0
    assert sweep_run(as_of=dt.date(2026, 12, 1))[MISSING] == 1
    alert = Alert.objects.get(supervisee=case, kind=MISSING)
    assert alert.due_date == dt.date(2026, 11, 30)
    # Unique per case, kind and due date: running again raises nothing.
    assert sweep_run(as_of=dt.date(2026, 12, 2))[MISSING] == 0


def test_a_report_dated_the_last_day_of_the_month_is_on_time(office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 10, 28))
    report(case, officer, dt.date(2026, 11, 30))
    assert sweep_run(as_of=dt.date(2026, 12, 1))[MISSING] == 0
    # A report on the first of the next month counts for December, not for November.
    other = temporary_case(office, officer, intake=dt.date(2026, 10, 28))
    report(other, officer, dt.date(2026, 12, 1))
    assert sweep_run(as_of=dt.date(2026, 12, 2))[MISSING] == 1
    assert Alert.objects.get(kind=MISSING).supervisee == other


def test_a_re_examination_is_no_monthly_report(office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 10, 28))
    report(case, officer, dt.date(2026, 11, 20), kind="reexamination")
    assert sweep_run(as_of=dt.date(2026, 12, 1))[MISSING] == 1


@pytest.mark.clock("2026-12-07T10:00:00+08:00")
def test_done_when_intake_forty_days_ago_without_a_report_has_the_alert_after_the_sweep(
    api_as, office, officer, today
):
    case = temporary_case(office, officer, intake=today - dt.timedelta(days=40))  # 2026-10-28
    assert sweep_run(as_of=today)[MISSING] == 1
    alerts = api_as(officer).get("/api/v1/alerts/", {"supervisee": case.pk, "kind": MISSING}).json()
    assert [a["due_date"] for a in alerts["results"]] == ["2026-11-30"]


def test_the_sweep_looks_back_three_finished_months_and_not_before_intake(office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 6, 10))
    report(case, officer, dt.date(2026, 8, 3))
    # As of 12-01: November, October, September are looked at; August had its report, July is too old.
    assert sweep_run(as_of=dt.date(2026, 12, 1))[MISSING] == 3
    assert sorted(Alert.objects.filter(kind=MISSING).values_list("due_date", flat=True)) == [
        dt.date(2026, 9, 30),
        dt.date(2026, 10, 31),
        dt.date(2026, 11, 30),
    ]


def test_other_categories_and_closed_cases_raise_nothing(office, officer):
    SuperviseeFactory(justice_office=office, intake_date=dt.date(2026, 6, 10))  # probation
    temporary_case(office, officer, intake=dt.date(2026, 6, 10), status=Status.ABSCONDED)
    assert sweep_run(as_of=dt.date(2026, 12, 1))[MISSING] == 0
    assert sweep_run(as_of=dt.date(2026, 12, 1))[OVERDUE] == 0


# --- reexamination_overdue ---------------------------------------------------------------------------


def test_a_re_examination_is_due_exactly_three_months_after_intake(office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 8, 25))
    assert sweep_run(as_of=dt.date(2026, 11, 25))[OVERDUE] == 0  # due today
    assert sweep_run(as_of=dt.date(2026, 11, 26))[OVERDUE] == 1
    assert Alert.objects.get(kind=OVERDUE, supervisee=case).due_date == dt.date(2026, 11, 25)


def test_a_re_examination_on_the_due_day_is_on_time_and_starts_the_next_three_months(office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 8, 25))
    report(case, officer, dt.date(2026, 11, 25), kind="reexamination")
    assert sweep_run(as_of=dt.date(2026, 11, 26))[OVERDUE] == 0
    assert sweep_run(as_of=dt.date(2027, 2, 25))[OVERDUE] == 0
    assert sweep_run(as_of=dt.date(2027, 2, 26))[OVERDUE] == 1
    assert Alert.objects.get(kind=OVERDUE, supervisee=case).due_date == dt.date(2027, 2, 25)


def test_three_months_from_the_end_of_a_long_month_end_on_the_shorter_month_s_last_day(office, officer):
    assert reexamination_due(dt.date(2026, 11, 30)) == dt.date(2027, 2, 28)
    temporary_case(office, officer, intake=dt.date(2026, 11, 30))
    assert sweep_run(as_of=dt.date(2027, 2, 28))[OVERDUE] == 0
    assert sweep_run(as_of=dt.date(2027, 3, 1))[OVERDUE] == 1


def test_only_the_ground_of_serious_illness_is_re_examined(office, officer):
    temporary_case(office, officer, intake=dt.date(2026, 6, 1), ground="pregnancy_nursing")
    temporary_case(office, officer, intake=dt.date(2026, 6, 1), ground="unable_self_care")
    assert sweep_run(as_of=dt.date(2026, 12, 1))[OVERDUE] == 0


# --- the case header's dates -------------------------------------------------------------------------


def test_the_header_dates_the_first_month_without_a_report_and_the_next_re_examination(office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 9, 10))
    assert medical_dues(case, on=dt.date(2026, 11, 25)) == {
        "monthly_report": dt.date(2026, 10, 31),  # October has none: overdue
        "reexamination": dt.date(2026, 12, 10),
    }
    report(case, officer, dt.date(2026, 10, 5))
    report(case, officer, dt.date(2026, 11, 5))
    report(case, officer, dt.date(2026, 11, 20), kind="reexamination")
    assert medical_dues(case, on=dt.date(2026, 11, 25)) == {
        "monthly_report": dt.date(2026, 12, 31),
        "reexamination": dt.date(2027, 2, 20),
    }
    probation = SuperviseeFactory(justice_office=office)
    assert medical_dues(probation, on=dt.date(2026, 11, 25)) is None


# --- suggestions ---------------------------------------------------------------------------------------


def test_a_ground_ended_conclusion_suggests_recommitment_naming_cpl_268(office, officer, today):
    case = temporary_case(office, officer, intake=today - dt.timedelta(days=20))
    report(case, officer, today - dt.timedelta(days=2), kind="reexamination", conclusion="ground_ended")
    [suggestion] = [s for s in revocation_suggestions(supervisee=case) if s["code"] == "ground_ended"]
    assert suggestion["proposal"] == "recommitment_proposal"
    assert "Criminal Procedure Law art. 268 para. 1(3)" in suggestion["basis"]
    assert "art. 516(6)" in suggestion["basis"]
    # A later report finding the ground persists answers it.
    report(case, officer, today, conclusion="ground_persists")
    assert not [s for s in revocation_suggestions(supervisee=case) if s["code"] == "ground_ended"]


def test_a_pregnancy_or_nursing_period_that_ended_suggests_recommitment(office, officer, today):
    case = temporary_case(office, officer, intake=today - dt.timedelta(days=20), ground="pregnancy_nursing")
    report(case, officer, today, conclusion="ground_ended")
    [suggestion] = [s for s in revocation_suggestions(supervisee=case) if s["code"] == "ground_ended"]
    assert suggestion["proposal"] == "recommitment_proposal"
    assert "pregnancy or nursing period has ended" in suggestion["message"]


def test_a_re_examination_not_made_suggests_a_warning_then_recommitment_once_warned(
    office, officer, supervisor, today
):
    case = temporary_case(office, officer, intake=dt.date(2026, 8, 1))  # due 2026-11-01
    codes = {s["code"]: s for s in revocation_suggestions(supervisee=case)}
    assert codes["reexamination_overdue"]["proposal"] == "warning"
    assert "art. 516(5)" in codes["reexamination_overdue"]["basis"]
    # A warning for a breach before the re-examination fell due is not the warning SPC 516(5) means.
    Measure.objects.create(
        supervisee=case,
        kind="warning",
        reason="迟到报到",
        occurred_on=dt.date(2026, 10, 20),
        status="approved",
        proposed_by=officer,
        decided_by=supervisor,
        decided_on=dt.date(2026, 11, 3),
    )
    assert "reexamination_overdue" in {s["code"] for s in revocation_suggestions(supervisee=case)}
    Measure.objects.create(
        supervisee=case,
        kind="warning",
        reason="未按规定提交病情复查情况",
        occurred_on=dt.date(2026, 11, 2),
        status="approved",
        proposed_by=officer,
        decided_by=supervisor,
        decided_on=dt.date(2026, 11, 5),
    )
    codes = {s["code"]: s for s in revocation_suggestions(supervisee=case)}
    assert "reexamination_overdue" not in codes
    assert codes["reexamination_not_made"]["proposal"] == "recommitment_proposal"
    report(case, officer, today, kind="reexamination")
    codes = {s["code"] for s in revocation_suggestions(supervisee=case)}
    assert not codes & {"reexamination_overdue", "reexamination_not_made"}


# --- the API -------------------------------------------------------------------------------------------


def body(case, **overrides):
    return {
        "supervisee": case.pk,
        "kind": "reexamination",
        "date": "2026-11-20",
        "hospital": "枣庄市立医院",
        "conclusion": "ground_persists",
        "notes": "病情稳定",
        **overrides,
    }


def test_an_officer_records_a_re_examination_and_the_write_and_the_list_are_audited(api_as, office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 8, 25))
    api = api_as(officer)
    response = api.post(URL, body(case), format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert {k: data[k] for k in ("supervisee", "kind", "date", "hospital", "conclusion", "notes")} == body(
        case
    )
    assert data["document"] is None
    assert AuditEvent.objects.filter(action="create", target_type="supervision.medicalreport").count() == 1
    listed = api.get(URL, {"supervisee": case.pk}).json()
    assert [r["id"] for r in listed["results"]] == [data["id"]]
    assert AuditEvent.objects.filter(action="list", target_type="supervision.medicalreport").count() == 1


def test_another_category_is_refused_with_400_naming_cpl_265(api_as, office, officer):
    probation = SuperviseeFactory(justice_office=office, officer=officer)
    response = api_as(officer).post(URL, body(probation), format="json")
    assert response.status_code == 400
    assert "Criminal Procedure Law art. 265" in response.json()["supervisee"][0]
    response = api_as(officer).post(URL, body(probation), format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "《刑事诉讼法》第二百六十五条" in response.json()["supervisee"][0]
    assert not MedicalReport.objects.exists()


def test_a_re_examination_names_its_hospital_and_no_report_is_dated_in_the_future(api_as, office, officer):
    case = temporary_case(office, officer, intake=dt.date(2026, 8, 25))
    api = api_as(officer)
    response = api.post(URL, body(case, hospital=""), format="json")
    assert response.status_code == 400
    assert "art. 265 para. 4" in response.json()["hospital"][0]
    response = api.post(URL, body(case, date="2026-11-26"), format="json")
    assert response.status_code == 400 and "date" in response.json()
    response = api.post(URL, body(case, date="2026-08-24"), format="json")
    assert response.status_code == 400 and "date" in response.json()
    assert not MedicalReport.objects.exists()


def test_out_of_scope_is_404_and_another_office_s_officer_sees_nothing(
    api_as, office, officer, other_office_officer
):
    case = temporary_case(office, officer, intake=dt.date(2026, 8, 25))
    report(case, officer, dt.date(2026, 11, 1))
    api = api_as(other_office_officer)
    assert api.post(URL, body(case), format="json").status_code == 404
    assert api.get(URL, {"supervisee": case.pk}).json()["results"] == []


def test_the_hospital_s_document_is_attached_once_and_each_download_is_audited(
    api_as, office, officer, other_office_officer
):
    case = temporary_case(office, officer, intake=dt.date(2026, 8, 25))
    api = api_as(officer)
    created = api.post(URL, body(case), format="json").json()
    url = f"{URL}{created['id']}/document/"
    refused = api.post(
        url, {"file": SimpleUploadedFile("x.pdf", b"MZ\x90\x00 not a pdf")}, format="multipart"
    )
    assert refused.status_code == 400 and "file" in refused.json()
    response = api.post(url, {"file": SimpleUploadedFile("复查.pdf", PDF_BYTES)}, format="multipart")
    assert response.status_code == 201, response.json()
    document = response.json()["document"]
    assert document["url"] == url and document["name"] == "复查.pdf"
    assert document["content_type"] == "application/pdf" and document["size"] == len(PDF_BYTES)
    again = api.post(url, {"file": SimpleUploadedFile("b.pdf", PDF_BYTES)}, format="multipart")
    assert again.status_code == 409
    download = api.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_BYTES
    assert AuditEvent.objects.filter(action="export", target_type="supervision.medicalreport").count() == 1
    assert api_as(other_office_officer).get(url).status_code == 404
