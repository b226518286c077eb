"""`Authorization: Token <token>` (API.md "Operating"): django-rest-knox's tokens, checked in one query.

knox's own `TokenAuthentication` reads the token with its user, then, on every request, every other token
of that user, to delete the expired ones: two queries per API call, and the user's agency (which every
scoped read needs) is a third. Here the token, its user and the user's agency come in one query, and the
expired tokens of a user are deleted when that user signs in again (`expired_tokens_delete`, called by the
token endpoint) instead of on every request.

What does not change: the token is looked up in the database on every request, never cached, so a token
that is deleted (sign-out, a password change, a disabled user: accounts.receivers) or that has expired
stops working with the next request; only its SHA-512 digest is stored and compared in constant time; an
inactive user is refused.
"""

import binascii
from hmac import compare_digest

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.contrib.knox_auth_token import KnoxTokenScheme
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from knox.signals import token_expired
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    def authenticate_credentials(self, token):
        message = _("Invalid token.")
        token = token.decode("utf-8")
        try:
            digest = hash_token(token)
        except (TypeError, binascii.Error) as error:
            raise exceptions.AuthenticationFailed(message) from error
        now = timezone.now()
        candidates = get_token_model().objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
        for auth_token in candidates.select_related("user__agency"):
            if not compare_digest(digest, auth_token.digest):
                continue
            if auth_token.expiry is not None and auth_token.expiry < now:
                username = auth_token.user.get_username()
                auth_token.delete()
                token_expired.send(sender=self.__class__, username=username, source="auth_token")
                break
            return self.validate_user(auth_token)
        raise exceptions.AuthenticationFailed(message)


def expired_tokens_delete(*, user) -> None:
    """The user's expired API tokens (each is refused anyway): kept from piling up, at sign-in."""
    get_token_model().objects.filter(user=user, expiry__lt=timezone.now()).delete()


class TokenScheme(KnoxTokenScheme):
    """The OpenAPI document describes this class as knox's own (drf-spectacular matches the exact class)."""

    target_class = "accounts.authentication.TokenAuthentication"
