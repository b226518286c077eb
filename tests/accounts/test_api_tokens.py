"""API tokens (API.md "Operating"): they expire (12 hours by default, API_TOKEN_TTL_HOURS), die with a
password change or a disabled user, are stored only as digests, and the admin never shows them. Time
passes by moving a token's expiry back (no clock is read here)."""

import datetime as dt
import hashlib

import pytest
from django.conf import settings
from django.db.models import F
from django.test import override_settings
from knox.models import AuthToken

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token/"
ME = "/api/v1/me/"


def sign_in(api, user, password) -> str:
    response = api.post(TOKEN, {"username": user.username, "password": password}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def me(api, token):
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api.get(ME)


def test_a_token_lasts_12_hours_by_default(api, officer, password):
    assert settings.API_TOKEN_TTL_HOURS == 12
    sign_in(api, officer, password)
    token = AuthToken.objects.get(user=officer)
    assert abs(token.expiry - token.created - dt.timedelta(hours=12)) < dt.timedelta(seconds=5)


@override_settings(API_TOKEN_TTL_HOURS=2)
def test_the_lifetime_is_a_setting(api, officer, password):
    sign_in(api, officer, password)
    token = AuthToken.objects.get(user=officer)
    assert abs(token.expiry - token.created - dt.timedelta(hours=2)) < dt.timedelta(seconds=5)


def test_an_expired_token_is_refused_and_removed(api, officer, password):
    key = sign_in(api, officer, password)
    assert me(api, key).status_code == 200
    AuthToken.objects.update(expiry=F("expiry") - dt.timedelta(hours=12, seconds=1))
    assert me(api, key).status_code == 401
    assert not AuthToken.objects.exists()


def test_a_password_change_ends_the_users_tokens(api, officer, other_office_officer, password):
    key = sign_in(api, officer, password)
    other = sign_in(api, other_office_officer, password)
    officer.set_password("Another-Password-2026")
    officer.save()
    assert me(api, key).status_code == 401
    assert me(api, other).status_code == 200


def test_saving_the_user_otherwise_keeps_the_token(api, officer, password):
    key = sign_in(api, officer, password)
    officer.first_name = "伟"
    officer.save()
    assert me(api, key).status_code == 200


def test_a_disabled_user_loses_the_tokens_for_good(api, officer, password):
    key = sign_in(api, officer, password)
    officer.is_active = False
    officer.save()
    assert me(api, key).status_code == 401
    officer.is_active = True
    officer.save()
    assert me(api, key).status_code == 401


def test_the_token_is_stored_only_as_a_digest(api, officer, password):
    key = sign_in(api, officer, password)
    stored = AuthToken.objects.get(user=officer)
    assert stored.digest == hashlib.sha512(key.encode()).hexdigest()
    assert key not in {stored.digest, stored.token_key} and len(stored.token_key) < len(key) / 4


def test_the_admin_lists_tokens_without_showing_them_and_cannot_mint_one(client, api, officer, password):
    key = sign_in(api, officer, password)
    stored = AuthToken.objects.get(user=officer)
    admin = UserFactory(username="t_admin", is_staff=True, is_superuser=True, role="", agency=None)
    client.force_login(admin)
    html = client.get("/admin/knox/authtoken/").content.decode()
    assert officer.username in html
    # Not the token nor its first characters (the digest, which names the row in links, cannot be
    # turned back into the token).
    assert key not in html and stored.token_key not in html
    assert client.get("/admin/knox/authtoken/add/").status_code == 403


def test_a_deleted_token_stops_working_at_once(api, officer, password):
    """accounts.authentication reads the token on every request, nothing is cached: signing out (or an
    administrator deleting it) ends it with the next request."""
    key = sign_in(api, officer, password)
    assert me(api, key).status_code == 200
    AuthToken.objects.filter(user=officer).delete()
    assert me(api, key).status_code == 401


def test_a_token_with_the_right_prefix_and_a_wrong_rest_is_refused_and_harms_nothing(api, officer, password):
    key = sign_in(api, officer, password)
    forged = key[:15] + ("0" if key[15] != "0" else "1") + key[16:]
    assert me(api, forged).status_code == 401
    assert me(api, key).status_code == 200


def test_signing_in_again_removes_the_users_expired_tokens(api, officer, other_office_officer, password):
    """Expired tokens are refused when used (above) and removed at the user's next sign-in, not looked for
    on every request."""
    sign_in(api, officer, password)
    sign_in(api, other_office_officer, password)
    AuthToken.objects.update(expiry=F("expiry") - dt.timedelta(hours=12, seconds=1))
    sign_in(api, officer, password)
    assert AuthToken.objects.filter(user=officer).count() == 1
    assert (
        AuthToken.objects.filter(user=officer).get().expiry
        > AuthToken.objects.get(user=other_office_officer).expiry
    )
    assert AuthToken.objects.filter(user=other_office_officer).count() == 1  # another user's: theirs to renew
