"""The pages work under the Content-Security-Policy (config/settings/base.py), in a real Chromium: no
page, the Swagger UI at /api/docs/ and the admin included, has anything refused, and what their scripts
do (the language switch, Swagger UI listing the API) still happens."""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.factories import SuperviseeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def watch_csp(page: Page) -> list[str]:
    """Every refusal the browser reports: the console's "Refused to ..." lines and the DOM's
    securitypolicyviolation events (collected by a script Playwright injects, which CSP does not see)."""
    refused: list[str] = []
    page.on(
        "console",
        lambda message: refused.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.context.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )
    return refused


def test_the_workspace_pages_run_with_nothing_refused(page, live_server, sign_in, office, supervisor):
    refused = watch_csp(page)
    case = SuperviseeFactory(justice_office=office, name="王小明")
    sign_in(supervisor)
    for path in (
        "/",
        "/supervisees/",
        f"/supervisees/{case.pk}/",
        "/alerts/",
        "/referrals/",
        "/approvals/",
        "/reports/",
        "/reports/import/",
        "/oversight/",
        "/audit/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"], path
    page.goto("/reports/")
    expect(page.locator("#trend svg")).to_be_visible()
    # The language switch is a script (static/js/app.js): choosing English submits the form.
    page.select_option("#language", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert refused == []


def test_swagger_ui_lists_the_api_with_nothing_refused(page, live_server):
    refused = watch_csp(page)
    page.goto("/api/docs/")
    expect(page.locator(".opblock-summary-path", has_text="/api/v1/auth/token/")).to_be_visible()
    assert refused == []


def test_the_admin_runs_with_nothing_refused(page, live_server, password):
    refused = watch_csp(page)
    UserFactory(username="t_admin", is_staff=True, is_superuser=True, role="", agency=None)
    page.goto("/admin/login/")
    page.fill("#id_username", "t_admin")
    page.fill("#id_password", password)
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/admin/$"))
    for path in ("/admin/accounts/user/", "/admin/accounts/auditevent/", "/admin/accounts/user/add/"):
        assert page.goto(path).status == 200, path
    assert refused == []
