"""Sign-in lockout (API.md "Operating"): after 5 failed attempts for one username within 15 minutes, the
sixth, right or wrong, is refused for 15 minutes, on the page and on the API, whatever X-Forwarded-For
says. Time passes by moving the recorded failures back (no clock is read here)."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.db.models import F
from django.test import RequestFactory, override_settings
from django.utils import translation

from accounts.api import SignInRateThrottle
from accounts.models import AuditEvent
from accounts.receivers import client_ip

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
LOGIN = "/accounts/login/"


def token_attempt(api, username, password, n=0):
    # A different address and forwarded-for header each time: neither may matter.
    return api.post(
        TOKEN,
        {"username": username, "password": password},
        format="json",
        REMOTE_ADDR=f"203.0.113.{n + 1}",
        HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
    )


def page_attempt(client, username, password, n=0):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        REMOTE_ADDR=f"203.0.113.{n + 1}",
        HTTP_X_FORWARDED_FOR=f"198.51.100.{n + 1}",
    )


def fail(times, attempt, target, username):
    for n in range(times):
        attempt(target, username, "wrong-password", n)


def minutes_pass(minutes, seconds=0):
    AccessAttempt.objects.update(
        attempt_time=F("attempt_time") - dt.timedelta(minutes=minutes, seconds=seconds)
    )


def test_api_sixth_attempt_with_the_right_password_is_429_from_any_address(api, officer, password):
    for n in range(5):
        assert token_attempt(api, officer.username, "wrong-password", n).status_code == 401
    response = token_attempt(api, officer.username, password, 5)
    assert response.status_code == 429
    assert "15 minutes" in response.json()["detail"] and "token" not in response.json()
    assert int(response["Retry-After"]) <= 15 * 60
    # Every attempt is a failed sign-in in the audit trail, the refused one too; none signed in.
    assert AuditEvent.objects.filter(action="sign_in_failed", changes__via="token").count() == 6
    assert not AuditEvent.objects.filter(action="sign_in").exists()


def test_page_sixth_attempt_with_the_right_password_is_refused_and_says_why(client, officer, password):
    for n in range(4):
        response = page_attempt(client, officer.username, "wrong-password", n)
        assert response.status_code == 200 and 'id="locked-out"' not in response.content.decode()
    # The fifth failure locks the username, and the page says so at once.
    assert page_attempt(client, officer.username, "wrong-password", 4).status_code == 429
    response = page_attempt(client, officer.username, password, 5)
    html = response.content.decode()
    assert response.status_code == 429
    assert 'id="locked-out"' in html and "refused for 15 minutes" in html
    assert f'value="{officer.username}"' in html
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="sign_in_failed", changes__via="session").count() == 6


def test_page_says_it_in_chinese(client, officer):
    fail(5, page_attempt, client, officer.username)
    with translation.override("zh-hans"):
        html = client.post(
            LOGIN, {"username": officer.username, "password": "x"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
        )
    assert "15 分钟" in html.content.decode()


def test_the_page_and_the_api_share_one_count(client, api, officer, password):
    fail(3, page_attempt, client, officer.username)
    fail(2, token_attempt, api, officer.username)
    assert token_attempt(api, officer.username, password).status_code == 429


def test_other_usernames_are_not_affected(api, officer, other_office_officer, password):
    fail(5, token_attempt, api, officer.username)
    assert token_attempt(api, other_office_officer.username, password).status_code == 200


def test_four_failures_do_not_lock(api, officer, password):
    fail(4, token_attempt, api, officer.username)
    assert token_attempt(api, officer.username, password).status_code == 200


def test_the_lockout_lasts_15_minutes(api, officer, password):
    fail(5, token_attempt, api, officer.username)
    minutes_pass(14, 50)
    assert token_attempt(api, officer.username, password).status_code == 429
    # Refused attempts do not extend it.
    minutes_pass(0, 11)
    assert token_attempt(api, officer.username, password).status_code == 200


def test_failures_older_than_15_minutes_do_not_count(api, officer, password):
    fail(4, token_attempt, api, officer.username)
    minutes_pass(15, 1)
    fail(1, token_attempt, api, officer.username)
    assert token_attempt(api, officer.username, password).status_code == 200


def _request(remote, forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_unless_the_proxy_is_trusted():
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    with override_settings(TRUSTED_PROXIES=["10.0.0.0/8"]):
        assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
        # Behind the trusted proxy: the right-most address it did not add itself.
        assert client_ip(_request("10.0.0.5", "1.2.3.4, 198.51.100.1")) == "198.51.100.1"
        assert client_ip(_request("10.0.0.5", "198.51.100.1, 10.0.0.7")) == "198.51.100.1"
        assert client_ip(_request("10.0.0.5", "not-an-address")) == "10.0.0.5"
        assert client_ip(_request("10.0.0.5")) == "10.0.0.5"


def test_the_sign_in_throttle_keys_on_the_client_not_on_its_header():
    throttle = SignInRateThrottle()
    assert throttle.get_ident(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"
    assert throttle.get_ident(_request("203.0.113.9", "198.51.100.2")) == "203.0.113.9"
