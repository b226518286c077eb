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
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import Page, expect

from corrections.demo import DEMO_PASSWORD
from tests.conftest import FROZEN_TODAY

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

axe = Axe()


@pytest.fixture
def demo(db):
    """The demo district (corrections/demo.py): every role's user, cases with history, alerts, leave,
    referrals and notices, so the pages show their tables and forms rather than empty states."""
    call_command("seed_demo", supervisees=30, date=FROZEN_TODAY, stdout=io.StringIO())
    call_command("supervision_sweep", stdout=io.StringIO())


def failures(page: Page) -> list[str]:
    """What axe finds on the page as it is now that fails the rule above, one line per rule."""
    results = axe.run(page, options=AXE_OPTIONS).response
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


def role_pages(page: Page) -> list[str]:
    """The paths a signed-in user reaches from the main navigation, a case, a referral, the reports'
    drill-down and the registration form (where the role has them)."""
    page.goto("/")
    paths = page.locator("nav.mainnav a").evaluate_all("links => links.map(a => a.pathname + a.search)")
    extra = []
    page.goto("/supervisees/")
    case = page.locator("table.caseload tbody a[href^='/supervisees/']").first
    if case.count():
        extra.append(case.get_attribute("href"))
    new = page.locator("a[href='/supervisees/new/']")
    if new.count():
        extra.append("/supervisees/new/")
    if "/referrals/" in paths:
        page.goto("/referrals/")
        hrefs = page.locator("main a[href^='/referrals/']").evaluate_all(
            "links => links.map(a => a.pathname).filter(p => /^\\/referrals\\/\\d+\\/$/.test(p))"
        )
        if hrefs:
            extra.append(hrefs[0])
    if "/reports/" in paths:
        page.goto("/reports/")
        drill = page.locator("main a[href^='/reports/cases/']").first
        if drill.count():
            extra.append(drill.get_attribute("href"))
    return list(dict.fromkeys([*paths, *extra]))


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_a_role_passes_axe_and_fits(page, live_server, demo, role):
    sign_in(page, role)
    paths = role_pages(page)
    assert "/" in paths and "/supervisees/" in paths, paths
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
    assert not problems, "\n".join(problems)
