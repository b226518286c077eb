"""Health reports of temporary execution in a real Chromium, in Chinese, at 800 px: the case header shows
the next monthly report and re-examination due; an officer opens the form from the keyboard, a
re-examination without its hospital is refused by its field naming CPL 265 para. 4, and with the hospital
and its PDF it is listed with the document's link, which downloads it. Screenshot to var/screenshots/
(docs/screenshots/ with UPDATE_SCREENSHOTS=1)."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from corrections.constants import Category
from supervision.models import MedicalReport
from tests.browser.test_content_security_policy import watch_csp
from tests.factories import SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = (
    Path(settings.BASE_DIR) / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") else "var") / "screenshots"
)
PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_an_officer_records_a_re_examination_with_the_hospital_s_pdf(
    page: Page, sign_in, live_server, court, agencies, office, officer
):
    refused_by_csp = watch_csp(page)
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        name="孙保全",
        intake_date=dt.date(2026, 9, 10),
        sentence__category=Category.TEMPORARY_EXECUTION,
        sentence__effective=dt.date(2026, 9, 1),
    )
    sign_in(officer)
    page.set_viewport_size({"width": 800, "height": 900})
    page.goto(f"/supervisees/{case.pk}/")
    expect(page.locator("#next-medical-report-due")).to_contain_text("2026-10-31")
    expect(page.locator("#next-reexamination-due")).to_contain_text("2026-12-10")
    panel = page.locator("#medical-reports")
    panel.locator("summary", has_text="登记身体情况报告或病情复查").focus()
    page.keyboard.press("Enter")
    panel.locator("#id_medical-kind").select_option("reexamination")
    panel.locator("#id_medical-date").fill("2026-11-20")
    panel.locator("#id_medical-file").set_input_files(
        files=[{"name": "复查报告.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    panel.get_by_role("button", name="记录", exact=True).click()
    expect(page.locator("#id_medical-hospital-errors")).to_contain_text("《刑事诉讼法》第二百六十五条第四款")
    assert not MedicalReport.objects.exists()

    panel = page.locator("#medical-reports")
    panel.locator("#id_medical-hospital").fill("枣庄市立医院")
    # A refused form keeps what was typed, but a browser never refills a file input.
    panel.locator("#id_medical-file").set_input_files(
        files=[{"name": "复查报告.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}]
    )
    panel.get_by_role("button", name="记录", exact=True).click()
    page.wait_for_url(re.compile(rf"/supervisees/{case.pk}/#medical-report-\d+$"))
    report = MedicalReport.objects.get()
    row = page.locator(f"#medical-report-{report.pk}")
    expect(row).to_contain_text("枣庄市立医院")
    expect(row).to_contain_text("暂予监外执行的情形仍然存在")
    link = row.get_by_role("link", name="复查报告.pdf")
    download = page.request.get(link.get_attribute("href"))
    assert download.status == 200 and download.body() == PDF_BYTES
    expect(page.locator("#next-reexamination-due")).to_contain_text("2027-02-20")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "medical-reports-800.png"), full_page=True)
    assert not refused_by_csp
