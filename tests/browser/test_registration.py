"""Registering a case in a real Chromium (/supervisees/new/): an officer types an ID number with a wrong
check character, submits, reads the clerk's message beside the field and in the error summary, nothing
is saved; corrected, the case is registered and the case page opens. In Chinese, then in English by
keyboard; the page without a script computes the period on the server; 800 and 1366 pixels wide.

Screenshots go to var/screenshots/, or with UPDATE_SCREENSHOTS=1 to docs/screenshots/."""

import datetime as dt
import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from corrections.constants import Status
from corrections.idnumber import make_id_number
from corrections.models import Sentence, Supervisee
from tests.browser.conftest import BROWSER_LOCALE
from tests.browser.test_content_security_policy import watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = (
    Path(settings.BASE_DIR) / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") else "var") / "screenshots"
)
ID_NUMBER = make_id_number(region="370403", birth_date=dt.date(1999, 8, 21), sequence=35, gender="male")
WRONG_CHECKSUM = ID_NUMBER[:17] + ("0" if ID_NUMBER[17] != "0" else "1")


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


def fill_the_case(page: Page, court, *, id_number: str) -> None:
    """A probation case, as a clerk copies it from the judgment."""
    page.fill("#id_name", "周海涛")
    page.select_option("#id_gender", "male")
    page.fill("#id_id_number", id_number)
    page.fill("#id_ethnicity", "汉族")
    page.select_option("#id_education", "junior_secondary")
    page.fill("#id_residence_address", "临城街道光明路 8 号")
    page.select_option("#id_household_type", "rural")
    page.fill("#id_case_number", "(2026)薛矫字第00077号")
    page.fill("#id_crime", "盗窃罪")
    page.select_option("#id_crime_chapter", "property")
    page.select_option("#id_sentence_category", "probation")
    page.select_option("#id_sentence_penalty", "fixed_term_imprisonment")
    page.select_option("#id_sentence_deciding_agency", str(court.pk))
    page.fill("#id_sentence_document_number", "(2026)鲁0403刑初12号")
    page.fill("#id_sentence_judgment_date", "2026-01-02")
    page.fill("#id_sentence_effective_date", "2026-01-13")
    page.fill("#id_sentence_original_term_months", "10")
    page.fill("#id_sentence_probation_term_months", "12")
    page.fill("#id_sentence_prohibitions", "禁止进入夜总会、酒吧\n禁止接触被害人")


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_officer_corrects_a_mistyped_id_number_and_registers_the_case(
    page, sign_in, live_server, court, office, officer
):
    refused_by_csp = watch_csp(page)
    sign_in(officer)
    page.goto("/supervisees/")
    page.get_by_role("link", name="登记社区矫正对象").click()
    page.wait_for_url(re.compile(r"/supervisees/new/$"))
    expect(page.locator("h1")).to_have_text("社区矫正对象登记")
    # The office is the officer's own, and the officer the one signed in.
    expect(page.locator("#fieldset-case")).to_contain_text(office.name)
    expect(page.locator("#id_officer")).to_have_value(str(officer.pk))

    fill_the_case(page, court, id_number=WRONG_CHECKSUM)
    # The terms of the chosen category only: a probation term, no release date.
    expect(page.get_by_label("缓刑考验期限（月）")).to_be_visible()
    expect(page.locator("#id_sentence_release_date")).to_be_hidden()
    expect(page.locator("#id_sentence_temporary_execution_ground")).to_be_hidden()
    # The period, computed and explained as the officer types.
    period = page.locator("#period-result")
    expect(period).to_contain_text("矫正期限：2026-01-13 至 2027-01-12")
    expect(period).to_contain_text("《刑法》第七十三条")
    expect(page.locator("#compute-period")).to_be_hidden()

    page.get_by_role("button", name="登记案件").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("有 1 处需要更正，尚未保存任何内容")
    message = "身份证号码校验码不正确，请检查是否输错。"
    expect(summary.get_by_role("link")).to_have_text(f"身份证号码：{message}")
    beside = page.locator("#id_id_number_error")
    expect(beside).to_have_text(message)
    expect(page.locator("#id_id_number")).to_have_attribute(
        "aria-describedby", re.compile("id_id_number_error")
    )
    # What was typed is kept, the period still shown, and nothing saved.
    expect(page.locator("#id_id_number")).to_have_value(WRONG_CHECKSUM)
    expect(page.locator("#id_sentence_prohibitions")).to_have_value("禁止进入夜总会、酒吧\n禁止接触被害人")
    expect(period).to_contain_text("矫正期限：2026-01-13 至 2027-01-12")
    assert not Supervisee.objects.exists() and not Sentence.objects.exists()
    screenshot(page, "registration-refused.png")

    summary.get_by_role("link").click()
    expect(page.locator("#id_id_number")).to_be_focused()
    page.fill("#id_id_number", ID_NUMBER)
    page.get_by_role("button", name="登记案件").click()

    page.wait_for_url(re.compile(r"/supervisees/\d+/$"))
    supervisee = Supervisee.objects.get()
    assert page.url == f"{live_server.url}/supervisees/{supervisee.pk}/"
    expect(page.locator(".message")).to_contain_text("周海涛 已登记")
    expect(page.locator("h1")).to_contain_text("周海涛")
    expect(page.locator(".casehead")).to_contain_text("待报到")
    assert supervisee.status == Status.PENDING_REPORT and supervisee.id_number == ID_NUMBER
    assert list(supervisee.sentence.prohibition_orders.values_list("content", flat=True)) == [
        "禁止进入夜总会、酒吧",
        "禁止接触被害人",
    ]
    assert refused_by_csp == []


def test_in_english_by_keyboard(page, sign_in, live_server, court, office, officer):
    sign_in(officer)
    page.goto("/supervisees/new/")
    page.select_option("#language", "en")
    expect(page.locator("h1")).to_have_text("Register a person under community correction")
    page.wait_for_load_state("load")

    fill_the_case(page, court, id_number=WRONG_CHECKSUM)
    expect(page.locator("#period-result")).to_contain_text("Correction period: 2026-01-13 – 2027-01-12")
    expect(page.locator("#period-result")).to_contain_text("(Criminal Law 73: at least the original term")
    # Enter in a field submits the form (the period follows the typing, its button is not needed).
    page.focus("#id_case_number")
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    message = "ID number checksum does not match: check the digits for a typing mistake."
    expect(summary).to_contain_text(f"ID number: {message}")
    expect(page.locator("#id_id_number_error")).to_have_text(message)
    assert not Supervisee.objects.exists()

    # From the summary to the field, and the number typed again, by keyboard alone.
    page.keyboard.press("Tab")
    expect(summary.get_by_role("link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#id_id_number")).to_be_focused()
    page.keyboard.press("Control+A")
    page.keyboard.type(ID_NUMBER)
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"/supervisees/\d+/$"))
    supervisee = Supervisee.objects.get()
    assert page.url == f"{live_server.url}/supervisees/{supervisee.pk}/"
    expect(page.locator(".message")).to_contain_text("周海涛 is registered (case (2026)薛矫字第00077号)")
    expect(page.locator(".casehead")).to_contain_text("Awaiting report")


def test_without_a_script_every_term_shows_and_the_server_computes_the_period(
    browser, live_server, password, court, office, officer
):
    context = browser.new_context(base_url=live_server.url, locale=BROWSER_LOCALE, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.fill("#id_username", officer.username)
        page.fill("#id_password", password)
        page.click("form button[type=submit].primary")
        page.goto("/supervisees/new/")
        # Every category's terms, each saying which it is for.
        for name in (
            "probation_term_months",
            "release_date",
            "original_term_end",
            "temporary_execution_ground",
        ):
            expect(page.locator(f"#id_sentence_{name}")).to_be_visible()
        page.select_option("#id_sentence_category", "parole")
        page.select_option("#id_sentence_penalty", "fixed_term_imprisonment")
        page.fill("#id_sentence_effective_date", "2026-08-25")
        page.fill("#id_sentence_release_date", "2026-09-01")
        page.get_by_role("button", name="计算矫正期限").click()
        # The term parole needs, named by its field and in the period box.
        expect(page.locator("#id_sentence_original_term_end_error")).to_contain_text("原判刑期")
        expect(page.locator("#period-result")).to_contain_text("无法计算")
        page.fill("#id_sentence_original_term_end", "2028-03-15")
        page.get_by_role("button", name="计算矫正期限").click()
        expect(page.locator("#period-result")).to_contain_text("矫正期限：2026-09-01 至 2028-03-15")
        expect(page.locator("#period-result")).to_contain_text("《刑法》第八十三条")
        expect(page.locator("#error-summary")).to_have_count(0)
        assert not Supervisee.objects.exists()
    finally:
        context.close()


@pytest.mark.parametrize("width", [800, 1366])
def test_the_page_fits_800_and_1366_pixels(page, sign_in, supervisor, court, office, other_office, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(supervisor)
    page.goto("/supervisees/new/")
    # A supervisor chooses the office; the officers offered follow it.
    page.select_option("#id_justice_office", str(other_office.pk))
    offered = page.locator("#id_officer option:not([hidden])")
    expect(offered).to_have_count(1)  # "no officer assigned": the other office has no officer yet
    page.get_by_role("button", name="登记案件").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert no_horizontal_scroll(page), f"the page scrolls sideways at {width} px"
    screenshot(page, f"registration-supervisor-{width}.png")
