"""Security headers and the production settings: a Content-Security-Policy on every response,
`Cache-Control: no-store` where personal data is answered, and `check --deploy` clean at WARNING.
(tests/browser/test_content_security_policy.py checks that the pages work under the policy.)"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import SuperviseeFactory

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, set[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: set(values) for name, *values in (part.split() for part in policy.split(";") if part.strip())
    }


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/healthz", "/no-such-page/", "/api/docs/", "/admin/login/"]
)
def test_every_response_carries_the_policy(client, path):
    policy = directives(client.get(path))
    assert policy["default-src"] == {"'self'"}
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["object-src"] == {"'none'"} and policy["frame-ancestors"] == {"'none'"}


def test_a_page_with_an_inline_style_gets_a_nonce_for_it(client):
    response = client.get("/api/docs/")
    nonce = next(v for v in directives(response)["style-src"] if v.startswith("'nonce-"))[7:-1]
    assert f'<style nonce="{nonce}">' in response.content.decode()
    assert "<script>" not in response.content.decode()


def test_case_pages_the_api_and_exports_are_not_stored(client, api_as, officer, office):
    case = SuperviseeFactory(justice_office=office, officer=officer)
    client.force_login(officer)
    for path in (
        "/supervisees/",
        f"/supervisees/{case.pk}/",
        "/reports/exports/caseload.csv",
        "/reports/exports/checkins.xlsx",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path
    response = api_as(officer).get(f"/api/v1/supervisees/{case.pk}/")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]


def test_no_store_also_on_refusals_and_redirects(client, api):
    assert "no-store" in client.get("/supervisees/1/")["Cache-Control"]  # to the sign-in page
    assert "no-store" in api.get("/api/v1/me/")["Cache-Control"]  # 401


def test_other_paths_are_left_alone(client):
    assert "no-store" not in client.get("/no-such-page/").get("Cache-Control", "")


def test_the_production_settings_pass_the_deploy_check():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE in this process; a deployment never has it.
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    run = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stdout + run.stderr
