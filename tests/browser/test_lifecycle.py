"""The case from intake to release in a real Chromium, in Chinese and in English: the officer does the
intake of a pending case with its checklist (an item left undone is named beside its box), records
absconding and the return; a supervisor follows the header's link to the release form of a case whose
period has ended and releases it through the confirmation step.

Screenshots at 1366 and 800 px wide go to var/screenshots/ for a person to look at the layout; with
UPDATE_SCREENSHOTS=1 the Chinese intake and release ones go to docs/screenshots/ (as
tests/browser/test_first_pages.py does)."""

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect

from config.office_time import office_today
from corrections.constants import IntakeItem, Status
from corrections.models import IntakeRecord, StatusChange, Supervisee
from corrections.teams import team_member_add
from documents.models import Notice
from tests.documents.pdf import pdf_text
from tests.factories import SuperviseeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

VAR_SCREENSHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
DOCS_SCREENSHOTS = Path(settings.BASE_DIR) / "docs" / "screenshots"
WIDTHS = (1366, 800)
WORDS = {
    "zh-CN": {
        "practice": "本机构工作惯例",
        "confirm": "此操作将结案，案件此后只读。",
        "released": "解除社区矫正",
    },
    "en": {
        "practice": "office practice",
        "confirm": "This closes the case; it becomes read-only.",
        "released": "is released from community correction",
    },
}


@pytest.fixture(params=["zh-CN", "en"], ids=["zh", "en"])
def language(request) -> str:
    return request.param


@pytest.fixture
def tab(browser: Browser, live_server, language) -> Iterator[Page]:
    """A fresh profile whose browser asks for `language` first, 1366 px wide."""
    context = browser.new_context(
        base_url=live_server.url,
        locale=language,
        timezone_id="Asia/Shanghai",
        viewport={"width": WIDTHS[0], "height": 900},
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def sign_in(tab: Page, live_server, user, password) -> None:
    tab.goto("/accounts/login/")
    tab.fill("#id_username", user.username)
    tab.fill("#id_password", password)
    tab.click("form button[type=submit].primary")
    tab.wait_for_url(f"{live_server.url}/")


def shots(tab: Page, name: str, language: str, anchor: str, *, docs: bool = False) -> None:
    """The page at each width, scrolled to `anchor`, into var/screenshots/; the viewport is put back
    afterwards. With UPDATE_SCREENSHOTS=1 the Chinese ones marked `docs` go to docs/screenshots/ (the
    README's), the rest stay in var/ to keep the repository light."""
    suffix = "" if language == "zh-CN" else "-en"
    into_docs = docs and suffix == "" and os.environ.get("UPDATE_SCREENSHOTS")
    folder = DOCS_SCREENSHOTS if into_docs else VAR_SCREENSHOTS
    folder.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        tab.set_viewport_size({"width": width, "height": 900})
        tab.locator(anchor).scroll_into_view_if_needed()
        tab.screenshot(path=str(folder / f"{name}-{width}{suffix}.png"))
    tab.set_viewport_size({"width": WIDTHS[0], "height": 900})


def day(n: int) -> str:
    return (office_today() + dt.timedelta(days=n)).isoformat()


def test_officer_does_the_intake_records_absconding_and_the_return(
    tab, live_server, language, court, office, officer, password
):
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        status=Status.PENDING_REPORT,
        sentence__effective=office_today() - dt.timedelta(days=8),
        name="周入矫",
    )
    team_member_add(supervisee=case, by=officer, name="周母", role="family", joined_on=office_today())
    sign_in(tab, live_server, officer, password)
    tab.goto(f"/supervisees/{case.pk}/")
    # The commission's clocks (CCL 20): the notice was due 3 days ago, the documents are due in 2.
    expect(tab.locator("#clock-notice .days.overdue")).to_be_visible()
    expect(tab.locator("#clock-documents .days.muted")).to_be_visible()
    shots(tab, "case-pending", language, ".casehead")
    intake = tab.locator("#intake")
    expect(intake).to_be_visible()
    intake.locator("#intake-date").fill(day(-6))
    for code in IntakeItem.values:
        if code != "exit_ban_requested":
            intake.locator(f"#intake-checklist_{code}").check()
    intake.get_by_role("button").click()

    # Refused: the item left undone is named beside its box; what was ticked stays ticked.
    error = tab.locator("#intake-checklist_exit_ban_requested-errors")
    expect(error).to_be_visible()
    expect(error).to_contain_text(WORDS[language]["practice"])
    expect(tab.locator("#intake .errors")).to_have_count(1)
    expect(tab.locator("#intake-checklist_announced")).to_be_checked()
    expect(tab.locator("#intake-date")).to_have_value(day(-6))
    shots(tab, "case-intake-refused", language, "#intake", docs=True)
    assert not IntakeRecord.objects.exists()

    tab.locator("#intake-checklist_exit_ban_requested").check()
    tab.locator("#intake").get_by_role("button").click()
    tab.wait_for_url(re.compile(r"#status_change-\d+$"))
    expect(tab.locator(".message.success")).to_be_visible()
    expect(tab.locator(".casehead .status-under_supervision")).to_be_visible()
    expect(tab.locator("#intake-record li.done")).to_have_count(len(IntakeItem.values))
    expect(tab.locator("#intake")).to_have_count(0)
    # The intake wrote its announcement: listed on the case page, a PDF naming the person and the case.
    link = tab.locator("#documents a", has_text="社区矫正宣告书")
    text = pdf_text(tab.request.get(link.get_attribute("href")).body())
    assert "周入矫" in text and case.case_number in text and "核实身份" in text

    # Absconding: the day contact was lost, and a note.
    absconding = tab.locator("#absconding")
    absconding.locator("summary").click()
    absconding.locator("#absconding-date").fill(day(-3))
    absconding.locator("#absconding-reason").fill("电话关机，住处无人")
    absconding.get_by_role("button").click()
    tab.wait_for_url(re.compile(r"#status_change-\d+$"))
    expect(tab.locator(".casehead .status-absconded")).to_be_visible()

    # The return, from the form that replaced absconding's.
    back = tab.locator("#return")
    back.locator("summary").click()
    back.locator("#return-date").fill(day(-1))
    back.get_by_role("button").click()
    tab.wait_for_url(re.compile(r"#status_change-\d+$"))
    expect(tab.locator(".casehead .status-under_supervision")).to_be_visible()
    shots(tab, "case-lifecycle", language, "#lifecycle")

    assert list(
        StatusChange.objects.filter(supervisee=case).order_by("date").values_list("to_status", "date")
    ) == [
        (Status.UNDER_SUPERVISION, office_today() - dt.timedelta(days=6)),
        (Status.ABSCONDED, office_today() - dt.timedelta(days=3)),
        (Status.UNDER_SUPERVISION, office_today() - dt.timedelta(days=1)),
    ]
    timeline = tab.locator("#timeline")
    expect(timeline).to_contain_text("电话关机，住处无人")


def test_supervisor_releases_an_expired_case_through_the_confirmation(
    tab, live_server, language, agencies, court, office, officer, supervisor, password
):
    case = SuperviseeFactory(
        justice_office=office,
        officer=officer,
        sentence__effective=dt.date(2025, 11, 1),
        sentence__original_term_months=12,
        sentence__probation_term_months=12,
        name="郑期满",
    )
    sign_in(tab, live_server, supervisor, password)
    # The dashboard lists the case: neither the notice nor the documents were recorded (CCL 20).
    expect(tab.locator(f'#commission-overdue tr[data-case="{case.pk}"]')).to_be_visible()
    shots(tab, "dashboard-commission-overdue", language, "#commission-overdue")
    tab.goto(f"/supervisees/{case.pk}/")
    tab.locator("#release-due a").click()
    release = tab.locator("#release")
    expect(release).to_have_attribute("open", "")
    expect(release.locator("#release-reason_0")).to_be_checked()  # expired
    expect(release).to_contain_text("2026-11-01")  # the earliest day of release, after 2026-10-31
    release.locator("button.primary").click()

    # The confirmation: what will happen, and nothing done yet.
    confirm = tab.locator("#release .confirm")
    expect(confirm).to_be_visible()
    expect(confirm).to_contain_text(WORDS[language]["confirm"])
    expect(confirm).to_contain_text(WORDS[language]["released"])
    assert Supervisee.objects.get(pk=case.pk).status == Status.UNDER_SUPERVISION
    shots(tab, "case-release-confirm", language, "#release", docs=True)

    confirm.locator("button.primary").click()
    tab.wait_for_url(re.compile(r"#status_change-\d+$"))
    expect(tab.locator(".message.success")).to_be_visible()
    expect(tab.locator(".casehead .status-terminated")).to_be_visible()
    expect(tab.locator("#lifecycle")).to_have_count(0)
    case.refresh_from_db()
    assert (case.status, case.exit_reason, case.exit_date) == (Status.TERMINATED, "expired", office_today())

    # The release wrote its certificate (listed on the case page, a PDF in Chinese with the name and the
    # case number) and its notices, which the police mark received from their notices page.
    expect(tab.locator(".message.info")).to_contain_text("薛城区司法局矫解〔2026〕1号")
    link = tab.locator("#documents a", has_text="解除社区矫正证明书")
    pdf = tab.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    text = pdf_text(pdf.body())
    assert "郑期满" in text and case.case_number in text
    police = UserFactory(
        username="t_police_browser",
        role="police",
        agency=Notice.objects.get(supervisee=case, to_agency__kind="police").to_agency,
    )
    tab.context.clear_cookies()
    sign_in(tab, live_server, police, password)
    tab.goto("/notices/")
    row = tab.locator("tr", has_text="郑期满")
    row.get_by_role("button").click()
    expect(tab.locator("tr", has_text="郑期满").locator(".status.received")).to_be_visible()
    assert Notice.objects.get(supervisee=case, to_agency=police.agency).received_by == police
