"""The first pages a person meets, in a real Chromium: sign-in, the caseload, the case page, the
language switch, scoping (404) and the read-only view of a procurator.

Screenshots of the Chinese pages at 1280x800 are taken on every run, into var/screenshots/; with
UPDATE_SCREENSHOTS=1 (make screenshots) into docs/screenshots/, which the README links.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from tests.factories import SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS_ROOT = "docs" if os.environ.get("UPDATE_SCREENSHOTS") else "var"
SCREENSHOTS = Path(settings.BASE_DIR) / SCREENSHOTS_ROOT / "screenshots"


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / name))


def period_text(supervisee) -> str:
    sentence = supervisee.sentence
    return f"矫正期限：{sentence.start_date:%Y-%m-%d} 至 {sentence.end_date:%Y-%m-%d}"


def test_officer_signs_in_searches_and_opens_a_case(page, live_server, court, office, officer, password):
    # `court`: the deciding agency of the factory sentences, so the screenshot shows a real name.
    wang = SuperviseeFactory(justice_office=office, officer=officer, name="王小明")
    SuperviseeFactory(justice_office=office, officer=officer, name="李建国")

    page.goto("/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator("h1")).to_have_text("登录")
    screenshot(page, "login.png")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/")

    page.get_by_role("navigation", name="主导航").get_by_role("link", name="矫正对象列表").click()
    page.wait_for_url(re.compile(r"/supervisees/$"))
    expect(page.locator("h1")).to_have_text("矫正对象列表")
    rows = page.locator("table.caseload tbody tr")
    expect(rows).to_have_count(2)
    expect(page.locator("p.count")).to_have_text("共 2 件")
    screenshot(page, "caseload.png")

    page.fill("#q", "王小")
    page.get_by_role("search").get_by_role("button", name="查询").click()
    page.wait_for_url(re.compile(r"[?&]q="))
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("王小明")
    expect(rows.first).to_contain_text(wang.case_number)
    expect(page.locator("#q")).to_have_value("王小")

    rows.first.get_by_role("link", name="王小明").click()
    page.wait_for_url(f"{live_server.url}/supervisees/{wang.pk}/")
    expect(page.locator("h1")).to_contain_text("王小明")
    expect(page.locator(".casehead")).to_contain_text(period_text(wang))
    expect(page.locator(".casehead")).to_contain_text("缓刑")
    screenshot(page, "case.png")


def test_wrong_password_shows_an_error_and_keeps_the_username(page, officer):
    page.goto("/accounts/login/")
    page.fill("#id_username", officer.username)
    page.fill("#id_password", "not-the-password")
    page.get_by_role("button", name="登录").click()

    error = page.get_by_role("alert")
    expect(error).to_be_visible()
    expect(error).to_contain_text("用户名或密码不正确")
    expect(page.locator("#id_username")).to_have_value(officer.username)
    expect(page.locator("#id_password")).to_have_value("")
    assert page.url.endswith("/accounts/login/")


def test_another_offices_case_is_not_found(page, sign_in, other_office, other_office_officer, officer):
    theirs = SuperviseeFactory(justice_office=other_office, officer=other_office_officer, name="赵外所")
    sign_in(officer)

    response = page.goto(f"/supervisees/{theirs.pk}/")

    assert response is not None
    assert response.status == 404
    expect(page.locator("h1")).to_have_text("页面不存在")
    expect(page.locator("body")).not_to_contain_text("赵外所")
    expect(page.locator("body")).not_to_contain_text(theirs.case_number)


def test_language_switch_turns_the_page_english_and_back(page, sign_in, officer):
    sign_in(officer)
    page.goto("/supervisees/")
    heading = page.locator("h1")
    expect(heading).to_have_text("矫正对象列表")

    page.select_option("#language", "en")
    expect(heading).to_have_text("Caseload")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert page.url.endswith("/supervisees/"), "the switch returns to the page it was made on"

    # The switch's script (static/js/app.js) runs once the page has loaded, not with the element.
    page.wait_for_load_state("load")
    page.select_option("#language", "zh-hans")
    expect(heading).to_have_text("矫正对象列表")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")


def test_procurator_sees_a_case_read_only(page, sign_in, live_server, office, officer, procurator):
    case = SuperviseeFactory(justice_office=office, officer=officer, name="孙检查")
    sign_in(procurator)

    page.goto(f"/supervisees/{case.pk}/")

    expect(page.locator("h1")).to_contain_text("孙检查")
    expect(page.locator(".readonly")).to_have_text("只读：您的角色可以查看本案，但不能修改。")
    # The only forms that post are the header's (sign out, the language switch) and the procuratorate's
    # own notice about the case (CCL 62): nothing that changes the case.
    allowed_actions = {
        "/accounts/logout/",
        "/i18n/setlang/",
        f"/supervisees/{case.pk}/procuratorial-notices/",
    }
    posting_forms = page.locator("form").evaluate_all(
        """forms => forms
            .filter(form => (form.getAttribute('method') || 'get').toLowerCase() === 'post')
            .map(form => new URL(form.action, location.href).pathname)"""
    )
    assert set(posting_forms) <= allowed_actions, posting_forms
    # Nor any control outside them that could change the case.
    outside = page.locator(
        "main :is(button, input:not([type=hidden]), textarea, select):not(#procuratorial-notice *)"
    )
    expect(outside).to_have_count(0)
