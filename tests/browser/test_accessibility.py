"""Every role's pages against WCAG 2.1 AA, in a real Chromium: axe-core on each page a role can open, in
Chinese and English, at 1366 and 800 px wide, and no page that scrolls sideways.

axe-core comes with the dev dependency axe-playwright-python (pinned in pyproject.toml; it ships
axe.min.js, MPL-2.0, whose version is in the file's first line), read from the installed package and
evaluated in the page: nothing is fetched from a CDN, and `make test` on a fresh machine installs it.

What fails: every violation of a rule tagged WCAG 2.0/2.1 level A or AA, whatever axe calls its impact
(a "moderate" WCAG failure is still a failure to conform), and the serious or critical ones of axe's
best practices. axe's "incomplete" results (what it cannot decide, e.g. text over a gradient) are not
failures: a person checks those.

The pages come from the role's own navigation (so a page added to the menu is checked without a change
here), plus a case page, a referral, the registration form and forms shown with their errors.
"""

import io
import os
from pathlib import Path

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from corrections.demo import DEMO_PASSWORD
from tests.conftest import FROZEN_TODAY
from tests.factories import SuperviseeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROLES = ("officer", "supervisor", "procurator", "judge", "police", "socialworker")
LANGUAGES = ("zh-hans", "en")
WIDTHS = (1366, 800)
HEIGHT = 800
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": [*WCAG_TAGS, "best-practice"]},
    "resultTypes": ["violations"],
}

SCREENSHOTS = (
    Path(settings.BASE_DIR) / ("docs" if os.environ.get("UPDATE_SCREENSHOTS") else "var") / "screenshots"
)


# The demo's pages whose screenshots the README links (docs/screenshots/, with UPDATE_SCREENSHOTS=1):
# (role, language, width, path, or "case" for the role's first case) -> file name.
DOC_SHOTS = {
    ("officer", "zh-hans", 1366, "/"): "officer-dashboard.png",
    ("officer", "zh-hans", 1366, "case"): "case-page-officer.png",
    ("officer", "zh-hans", 800, "/supervisees/"): "caseload-tablet.png",
    ("supervisor", "zh-hans", 1366, "/"): "supervisor-dashboard.png",
    ("supervisor", "en", 800, "/"): "supervisor-dashboard-en-800.png",
    ("supervisor", "en", 800, "/approvals/"): "approvals-en-800.png",
    ("supervisor", "zh-hans", 1366, "/reports/"): "monthly-statistics.png",
    ("police", "zh-hans", 1366, "/referrals/"): "police-referrals.png",
}


@pytest.fixture
def demo(db):
    """The demo district (corrections/demo.py): every role's user, cases with history, alerts, leave,
    referrals and notices, so the pages show their tables and forms rather than empty states."""
    call_command("seed_demo", supervisees=30, date=FROZEN_TODAY, stdout=io.StringIO())
    call_command("supervision_sweep", stdout=io.StringIO())


def failures(page: Page) -> list[str]:
    """What axe finds on the page as it is now that fails the rule above, one line per rule."""
    # Evaluated once per page load (the script is 570 kB), then run at each width.
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE_SCRIPT)
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    found = []
    for violation in results["violations"]:
        wcag = any(tag in WCAG_TAGS for tag in violation["tags"])
        if wcag or violation["impact"] in ("serious", "critical"):
            targets = [" ".join(map(str, node["target"])) for node in violation["nodes"][:3]]
            summary = violation["nodes"][0].get("failureSummary", "").replace("\n", " ")[:200]
            found.append(f"{violation['id']} ({violation['impact']}): {targets} {summary}")
    return found


def sideways(page: Page) -> str:
    """'' when the page fits its width; otherwise what sticks out (the outermost elements past the
    right edge), to say where to look."""
    return page.evaluate(
        """() => {
            const root = document.scrollingElement;
            if (root.scrollWidth <= root.clientWidth) return "";
            const wide = [...document.body.querySelectorAll("*")].filter(
                el => el.getBoundingClientRect().right > root.clientWidth + 1);
            const outer = wide.filter(el => !wide.includes(el.parentElement));
            return outer.slice(0, 4).map(el => el.tagName.toLowerCase() +
                (el.id ? "#" + el.id : "") + (el.className && el.className.baseVal === undefined
                    ? "." + String(el.className).trim().split(/\\s+/).join(".") : "") +
                ` (${Math.round(el.getBoundingClientRect().right)}px)`).join(", ") || "?";
        }"""
    )


def header_problems(page: Page, width: int) -> list[str]:
    """The header at this width: the signed-in user's name in view; at 1366 px the main navigation on
    one line; at 800 px folded behind its menu button."""
    found = []
    if not page.locator(".who").is_visible():
        found.append("the signed-in user's name is hidden")
    if width > 800:
        lines = page.locator("#mainnav-links > li").evaluate_all(
            "items => new Set(items.map(item => item.offsetTop)).size"
        )
        if lines != 1:
            found.append(f"the main navigation wraps onto {lines} lines")
    elif not page.locator(".menu-toggle").is_visible() or page.locator("#mainnav-links").is_visible():
        found.append("the main navigation is not folded behind its menu button")
    return found


def sign_in(page: Page, username: str) -> None:
    page.goto("/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("form button[type=submit].primary")
    page.wait_for_url("**/")


def role_pages(page: Page) -> tuple[list[str], str | None]:
    """The paths a signed-in user reaches from the main navigation, a case, a referral, the reports'
    drill-down, the registration form, the schedule, the sign-in sheet, the digest and the printable case
    summary (where the role has them); and the case's path."""
    page.goto("/")
    paths = page.locator("nav.mainnav a").evaluate_all("links => links.map(a => a.pathname + a.search)")
    extra = []
    page.goto("/supervisees/")
    case = page.locator("table.caseload tbody a[href^='/supervisees/']").first
    case_path = case.get_attribute("href") if case.count() else None
    if case_path:
        extra.append(case_path)
    if page.locator("a[href='/supervisees/new/']").count():
        extra.append("/supervisees/new/")
    if "/referrals/" in paths:
        page.goto("/referrals/")
        hrefs = page.locator("main a[href^='/referrals/']").evaluate_all(
            "links => links.map(a => a.pathname).filter(p => /^\\/referrals\\/\\d+\\/$/.test(p))"
        )
        extra += hrefs[:1]
    # Pages linked from others rather than the menu: opened where the role may (a 200), skipped where not.
    linked = ["/schedule/", "/schedule/sign-in/", "/digest/", f"{case_path}summary/" if case_path else ""]
    for path in linked:
        if path and (response := page.goto(path)) is not None and response.ok:
            extra.append(path)
    if "/reports/" in paths:
        page.goto("/reports/")
        drill = page.locator("main a[href^='/reports/cases/']").first
        if drill.count():
            extra.append(drill.get_attribute("href"))
    return list(dict.fromkeys([*paths, *extra])), case_path


def doc_shot(page: Page, key: tuple) -> None:
    name = DOC_SHOTS.get(key)
    if name:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / name), full_page=True)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_passes_axe_and_fits(page, live_server, demo, role):
    sign_in(page, role)
    paths, case_path = role_pages(page)
    assert "/" in paths and "/supervisees/" in paths and case_path, paths
    problems = []
    for language in LANGUAGES:
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )
        for path in paths:
            page.set_viewport_size({"width": WIDTHS[0], "height": HEIGHT})
            page.goto(path)
            expect(page.locator("html")).to_have_attribute("lang", language)
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": HEIGHT})
                where = f"{role} {language} {width}px {path}"
                problems += [f"{where}: {line}" for line in failures(page)]
                if wide := sideways(page):
                    problems.append(f"{where}: the page scrolls sideways: {wide}")
                problems += [f"{where}: {line}" for line in header_problems(page, width)]
                doc_shot(page, (role, language, width, "case" if path == case_path else path))
    assert not problems, "\n".join(problems)


def outline(page: Page) -> dict:
    return page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
            return {width: parseFloat(s.outlineWidth), style: s.outlineStyle, color: s.outlineColor}; }"""
    )


def test_keyboard_skip_link_focus_ring_and_the_menu_at_800(page, sign_in, office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer, name="许可行")
    sign_in(officer)
    page.set_viewport_size({"width": 1366, "height": HEIGHT})
    page.goto(f"/supervisees/{case.pk}/")

    # The first Tab reaches the skip link, in view and with the page's focus ring (3 px, not 1 px).
    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    expect(skip).to_be_focused()
    expect(skip).to_have_text("跳到正文")
    assert skip.bounding_box()["y"] >= 0
    ring = outline(page)
    assert ring["style"] == "solid" and ring["width"] >= 2, ring
    # Enter: the focus moves to the page's content, and the next Tab is in it, past the header.
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    ring = outline(page)
    assert ring["style"] == "solid" and ring["width"] >= 2, ring

    # At 800 px: the user's name stays in view; the links fold behind a menu button that the keyboard
    # opens, and Escape closes it with the focus back on the button.
    page.set_viewport_size({"width": 800, "height": HEIGHT})
    expect(page.locator(".who")).to_be_visible()
    expect(page.locator(".who")).to_contain_text(officer.get_full_name())
    toggle = page.get_by_role("navigation", name="主导航").get_by_role("button", name="菜单")
    links = page.locator("#mainnav-links")
    expect(links).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(links).to_be_visible()
    page.keyboard.press("Tab")
    expect(links.get_by_role("link", name="工作台")).to_be_focused()
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(links).to_be_hidden()
    assert not sideways(page)


def test_a_form_with_errors_starts_with_a_summary_linking_to_each_field(page, sign_in, office, officer):
    case = SuperviseeFactory(justice_office=office, officer=officer, name="许可行")
    sign_in(officer)
    page.goto(f"/supervisees/{case.pk}/")
    page.locator("#leave-request button[type=submit]").click()

    summary = page.locator("#leave-request form .error-summary")
    expect(summary).to_be_visible()
    expect(summary).to_be_focused()
    expect(summary).to_have_attribute("role", "alert")
    expect(summary.locator("h2")).to_contain_text("未保存任何内容")
    links = summary.locator("a")
    assert links.count() >= 1
    # Each line names its field and leads to it: the caret lands in the field.
    for index in range(links.count()):
        target = links.nth(index).get_attribute("href")
        assert page.locator(target).count() == 1, target
    first = links.first
    target = first.get_attribute("href")
    first.click()
    expect(page.locator(target)).to_be_focused()
    assert failures(page) == []
    page.set_viewport_size({"width": 800, "height": HEIGHT})
    assert failures(page) == []
    assert not sideways(page)
    page.locator("#leave-request").screenshot(path=str(SCREENSHOTS / "error-summary-800.png"))


def test_the_favicon_is_served_locally(page, live_server):
    response = page.request.get("/favicon.ico")
    assert response.ok and response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert response.url.startswith(live_server.url)
    page.goto("/accounts/login/")
    icons = page.locator("link[rel=icon]").evaluate_all("links => links.map(l => l.href)")
    assert icons and all(href.startswith(live_server.url) for href in icons)
    for href in icons:
        assert page.request.get(href).ok, href


def test_without_a_script_the_menu_links_stay_in_view_at_800(browser, live_server, officer, password):
    context = browser.new_context(
        base_url=live_server.url,
        locale="zh-CN",
        java_script_enabled=False,
        viewport={"width": 800, "height": 800},
    )
    try:
        tab = context.new_page()
        tab.goto("/accounts/login/")
        tab.fill("#id_username", officer.username)
        tab.fill("#id_password", password)
        tab.click("form button[type=submit].primary")
        tab.wait_for_url(f"{live_server.url}/")
        expect(tab.locator(".menu-toggle")).to_be_hidden()
        expect(tab.locator("#mainnav-links").get_by_role("link", name="矫正对象列表")).to_be_visible()
        expect(tab.locator(".who")).to_be_visible()
        assert not sideways(tab)
    finally:
        context.close()
