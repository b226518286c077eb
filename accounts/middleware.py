"""Browser sessions end after SESSION_IDLE_MINUTES without a request and SESSION_MAX_HOURS after sign-in
(API.md "Operating"). Django alone gives one of the two (SESSION_COOKIE_AGE, renewed or not); the
signed-in time and the last request's are kept in the session and checked here on every request."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.utils.translation import gettext as _

SIGNED_IN_AT = "signed_in_at"
SEEN_AT = "seen_at"
# The last request's time is written at most this often: a session write per request would be a
# database write per request.
SEEN_RESOLUTION_S = 60


def session_started(session, *, now: int | None = None) -> None:
    """Called at sign-in (accounts.receivers)."""
    now = int(time.time()) if now is None else now
    session[SIGNED_IN_AT] = now
    session[SEEN_AT] = now


def session_end_reason(*, signed_in_at: int | None, seen_at: int | None, now: int) -> str | None:
    """ "idle", "max_age" or None while the session may go on. A session without the times (begun before
    they were kept) has ended: nobody can say how old it is."""
    if signed_in_at is None or seen_at is None:
        return "max_age"
    if now - signed_in_at >= settings.SESSION_MAX_HOURS * 3600:
        return "max_age"
    if now - seen_at >= settings.SESSION_IDLE_MINUTES * 60:
        return "idle"
    return None


class SessionLifetimeMiddleware:
    """After AuthenticationMiddleware: a session past either limit is signed out before the view runs,
    so the page redirects to the sign-in page (the API answers 401/403) as for anyone not signed in."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = int(time.time())
            seen_at = session.get(SEEN_AT)
            reason = session_end_reason(signed_in_at=session.get(SIGNED_IN_AT), seen_at=seen_at, now=now)
            if reason is not None:
                logout(request)
                messages.info(request, self.message(reason))
            elif now - seen_at >= SEEN_RESOLUTION_S:
                # Saving the session also renews its cookie and stored expiry (SESSION_COOKIE_AGE).
                session[SEEN_AT] = now
        return self.get_response(request)

    @staticmethod
    def message(reason: str) -> str:
        if reason == "idle":
            return _("You were signed out after %(minutes)d minutes without activity. Sign in again.") % {
                "minutes": settings.SESSION_IDLE_MINUTES
            }
        return _("You were signed out %(hours)d hours after signing in. Sign in again.") % {
            "hours": settings.SESSION_MAX_HOURS
        }
