"""Browser sessions end after 30 minutes idle (SESSION_IDLE_MINUTES) and 12 hours in all (API.md
"Operating"). The rule is checked with explicit times; the pages by moving a session's stored times
back (no clock is read here)."""

import pytest
from django.conf import settings
from django.test import override_settings

from accounts.middleware import SEEN_AT, SIGNED_IN_AT, session_end_reason

MINUTE, HOUR = 60, 3600
T0 = 1_790_000_000  # any moment: the rule only compares differences


@pytest.mark.parametrize(
    ("signed_in_ago", "seen_ago", "reason"),
    [
        (0, 0, None),
        (11 * HOUR, 30 * MINUTE - 1, None),
        (11 * HOUR, 30 * MINUTE, "idle"),
        (12 * HOUR - 1, 0, None),
        (12 * HOUR, 0, "max_age"),
    ],
)
def test_the_two_limits(signed_in_ago, seen_ago, reason):
    now = T0 + 12 * HOUR
    assert session_end_reason(signed_in_at=now - signed_in_ago, seen_at=now - seen_ago, now=now) == reason


def test_a_session_without_its_times_has_ended():
    assert session_end_reason(signed_in_at=None, seen_at=None, now=T0) == "max_age"


@override_settings(SESSION_IDLE_MINUTES=5, SESSION_MAX_HOURS=1)
def test_the_limits_are_settings():
    assert session_end_reason(signed_in_at=T0, seen_at=T0, now=T0 + 5 * MINUTE) == "idle"
    assert session_end_reason(signed_in_at=T0, seen_at=T0 + HOUR, now=T0 + HOUR) == "max_age"


def test_the_defaults_and_the_cookie_lasting_the_idle_time():
    assert (settings.SESSION_IDLE_MINUTES, settings.SESSION_MAX_HOURS) == (30, 12)
    assert settings.SESSION_COOKIE_AGE == 30 * MINUTE


def _move_back(client, key, seconds):
    session = client.session
    session[key] -= seconds
    session.save()


@pytest.mark.django_db
def test_an_idle_session_is_signed_out_with_a_message(client, officer):
    client.force_login(officer)
    assert client.get("/").status_code == 200
    _move_back(client, SEEN_AT, 30 * MINUTE + 1)
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    html = client.get(response["Location"]).content.decode()
    assert "signed out after 30 minutes without activity" in html


@pytest.mark.django_db
def test_a_busy_session_still_ends_12_hours_after_sign_in(client, officer):
    client.force_login(officer)
    _move_back(client, SIGNED_IN_AT, 12 * HOUR)
    response = client.get("/supervisees/")
    assert response.status_code == 302
    assert "12 hours after signing in" in client.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_activity_keeps_the_session_and_renews_its_idle_time(client, officer):
    client.force_login(officer)
    _move_back(client, SEEN_AT, 29 * MINUTE)
    before = client.session[SEEN_AT]
    assert client.get("/").status_code == 200
    assert client.session[SEEN_AT] >= before + 29 * MINUTE
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_api_session_ends_too(api, officer):
    api.force_login(officer)
    assert api.get("/api/v1/me/").status_code == 200
    session = api.session
    session[SEEN_AT] -= 31 * MINUTE
    session.save()
    assert api.get("/api/v1/me/").status_code in (401, 403)
