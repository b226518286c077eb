"""The reporting schedule and the printable case summary in a real Chromium, in Chinese: an officer goes
from the dashboard to the week view, sees each case on the day its next report is due (the day the case
header shows), moves to the next week and back, opens a case's printable summary, and on paper (print
media) the navigation, the forms and the buttons are gone; then the morning digest, and turns one kind of
reminder off. Usable at 800 px (no sideways scrolling).
Screenshots at 1366 and 800 px go to var/screenshots/ (docs/screenshots/ with UPDATE_SCREENSHOTS=1)."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.browser.test_content_security_policy import watch_csp
from tests.factories import CheckInFactory, SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SCREENSHOTS = (
    Path(settings.BASE_DIR) / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") else "var") / "screenshots"
)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def fits(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_week_view_and_the_printable_summary_in_chinese(
    page, sign_in, live_server, court, office, officer
):
    refused_by_csp = watch_csp(page)
    strict = SuperviseeFactory(
        justice_office=office, officer=officer, name="赵家明", management_level="strict"
    )
    CheckInFactory(supervisee=strict, on=dt.date(2026, 11, 20))  # due Friday 11-27
    normal = SuperviseeFactory(
        justice_office=office, officer=officer, name="钱卫东", management_level="normal"
    )
    CheckInFactory(supervisee=normal, kind="video", on=dt.date(2026, 11, 11))  # due today, 11-25
    late = SuperviseeFactory(justice_office=office, officer=officer, name="孙立新", management_level="strict")
    CheckInFactory(supervisee=late, on=dt.date(2026, 11, 1))  # due 11-08: overdue
    nextweek = SuperviseeFactory(
        justice_office=office, officer=officer, name="李明", management_level="normal"
    )
    CheckInFactory(supervisee=nextweek, on=dt.date(2026, 11, 17))  # due 12-01, next week

    sign_in(officer)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.locator("#day-links").get_by_role("link", name="报告日程").click()
    page.wait_for_url(re.compile(r"/schedule/$"))
    expect(page.locator("h1")).to_have_text("报告日程")
    expect(page.locator("#day-2026-11-27")).to_contain_text("赵家明")
    expect(page.locator("#day-2026-11-25")).to_contain_text("钱卫东")
    expect(page.locator("#day-2026-11-25")).to_contain_text("今天")
    expect(page.locator("#overdue-before")).to_contain_text("孙立新")
    expect(page.locator("#overdue-before")).to_contain_text("已逾期 17 天")
    expect(page.locator("main")).not_to_contain_text("李明")
    screenshot(page, "schedule-week-1366.png")

    page.get_by_role("link", name="下一周 →").click()
    expect(page.locator("#day-2026-12-01")).to_contain_text("李明")
    page.get_by_role("link", name="本周").click()
    expect(page.locator("#day-2026-11-27")).to_contain_text("赵家明")
    page.set_viewport_size({"width": 800, "height": 900})
    assert fits(page)
    screenshot(page, "schedule-week-800.png")

    # From the week to the case, whose header says the same day, and to its printable summary.
    page.locator("#day-2026-11-27").get_by_role("link", name="赵家明").click()
    expect(page.locator("#next-report-due time")).to_have_text("2026-11-27")
    page.locator("#summary-link").click()
    page.wait_for_url(re.compile(rf"/supervisees/{strict.pk}/summary/$"))
    expect(page.locator("h1")).to_contain_text("案件摘要")
    expect(page.locator("#summary-next-report")).to_contain_text("2026-11-27")
    assert fits(page)
    screenshot(page, "case-summary-800.png")
    # On paper: no top bar, no navigation, no buttons.
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.locator(".headline.noprint")).to_be_hidden()
    expect(page.locator("#summary-essentials")).to_be_visible()
    screenshot(page, "case-summary-print.png")
    page.emulate_media(media="screen")

    # The sign-in sheet of today, printable.
    page.goto("/schedule/sign-in/")
    sheet = page.locator(f"#sheet-{office.pk}")
    expect(sheet).to_contain_text("钱卫东")
    expect(sheet).to_contain_text("孙立新")
    page.emulate_media(media="print")
    expect(page.locator("#sheet-filters")).to_be_hidden()
    expect(sheet).to_be_visible()
    screenshot(page, "sign-in-sheet-print.png")
    page.emulate_media(media="screen")

    # The morning digest, and the reminders turned off for the end of the period, at 800 px.
    page.goto("/")
    page.locator("#day-links").get_by_role("link", name="晨间摘要").click()
    expect(page.locator("#digest-today")).to_contain_text("钱卫东")
    expect(page.locator("#digest-overdue")).to_contain_text("孙立新")
    assert fits(page)
    screenshot(page, "digest-800.png")
    page.get_by_role("link", name="提醒设置").click()
    page.get_by_label("矫正期限届满").uncheck()
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".message.success")).to_contain_text("提醒设置已保存")
    expect(page.get_by_label("矫正期限届满")).not_to_be_checked()
    expect(page.get_by_label("报到期限")).to_be_checked()
    assert fits(page)
    assert refused_by_csp == []
