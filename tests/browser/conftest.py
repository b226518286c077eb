"""Playwright's sync API driving Debian's Chromium (never a downloaded browser: see
README.md#the-two-commands, README.md#the-two-commands).

Chromium missing: in CI the tests fail (.ci/run installs it, `apt-get install chromium fonts-noto-cjk`);
on a developer's machine they are skipped with that command (tests.conftest.require_tool).
"""

import os
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, Playwright, sync_playwright

from tests.tools import require_tool

# Playwright's sync API runs an event loop in this thread; Django then refuses ORM calls from it
# (SynchronousOnlyOperation) unless told that this is safe, which it is in tests.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 800}
# Chinese first, as the office's browsers send it; Django maps zh-CN to zh-hans.
BROWSER_LOCALE = "zh-CN"


# Package scope, not session: while Playwright's sync API is open its event loop counts as running in
# this thread, which would break tests elsewhere that start their own loop (asyncio.run, AsyncClient).
@pytest.fixture(scope="package")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture(scope="package")
def browser(playwright: Playwright) -> Iterator[Browser]:
    executable = require_tool("chromium", install="apt-get install -y chromium fonts-noto-cjk")
    chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
    yield chromium
    chromium.close()


# The test clock (tests/conftest.py) does not reach Chromium, which keeps the machine's clock (or
# faketime's, whose LD_PRELOAD it inherits). The tests do not depend on it: every date on a page is
# rendered by the live server, a thread of this process that sees the test clock; the pages' only script
# (the ledger import's status poll) uses timers, never Date; and Django sends cookie lifetimes as
# Max-Age, which the browser counts from its own clock (it outranks Expires, RFC 6265 5.3), so a session
# begun at the frozen instant is still valid in a browser that thinks it is 2028. If a page ever reads
# Date in a script, give the browser the test's instant: `context.clock.set_system_time(...)`.
@pytest.fixture
def page(browser: Browser, live_server) -> Iterator[Page]:
    """A fresh browser profile per test (no cookies carried over), pointed at the live server."""
    context = browser.new_context(
        base_url=live_server.url,
        locale=BROWSER_LOCALE,
        timezone_id="Asia/Shanghai",
        viewport=VIEWPORT,
    )
    context.set_default_timeout(15_000)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def sign_in(page: Page, live_server, password: str):
    """Sign in through the real form, as a person would; lands on the dashboard."""

    def sign_in_as(user) -> Page:
        page.goto("/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("form button[type=submit].primary")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return sign_in_as
