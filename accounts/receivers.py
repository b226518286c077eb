"""Sign-ins, and failed ones, are audited through Django's own hooks: the only place every sign-in path
(the page, the admin, the API token endpoint) passes. API tokens end through the same kind of hook when
a password changes or a user is disabled: the admin, `manage.py changepassword` and the shell all save
the user, and no service of ours is on those paths."""

import ipaddress

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from knox.models import AuthToken

from .middleware import session_started
from .models import User
from .services import user_sign_in_failed_record, user_sign_in_record


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _is_trusted_proxy(address) -> bool:
    return address is not None and any(
        address in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES
    )


def client_ip(request) -> str | None:
    """The address of the client: REMOTE_ADDR, unless that is a proxy named in TRUSTED_PROXIES. Then the
    right-most address in X-Forwarded-For that is not such a proxy: each proxy appends the address it
    received from, so entries left of the last untrusted one are whatever the client chose to send."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    if not _is_trusted_proxy(_address(remote or "")):
        return remote
    for entry in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(entry)
        if address is None:
            return remote  # a malformed header: keep the proxy's own address rather than guess
        if not _is_trusted_proxy(address):
            return str(address)
    return remote


def _via(request) -> str:
    return "token" if request is not None and request.path.startswith("/api/") else "session"


@receiver(user_logged_in, dispatch_uid="accounts.audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        session_started(request.session)  # for the session's limits (accounts.middleware)
    user_sign_in_record(user=user, ip_address=client_ip(request), via="session")


@receiver(pre_save, sender=User, dispatch_uid="accounts.note_credential_change")
def note_credential_change(sender, instance, update_fields=None, **kwargs) -> None:
    """Whether this save changes the password or disables the user (read before the row is written)."""
    instance._ends_api_tokens = False
    if instance.pk is None or (
        update_fields is not None and not {"password", "is_active"} & set(update_fields)
    ):
        return  # e.g. the last_login update at each sign-in
    stored = User.objects.filter(pk=instance.pk).values("password", "is_active").first()
    instance._ends_api_tokens = stored is not None and (
        stored["password"] != instance.password or (stored["is_active"] and not instance.is_active)
    )


@receiver(post_save, sender=User, dispatch_uid="accounts.end_api_tokens")
def end_api_tokens(sender, instance, created, **kwargs) -> None:
    """API.md "Operating": API tokens die with a password change or a disabled user (re-enabling the user
    does not bring them back). Browser sessions end with a password change through Django's own session
    hash, and a disabled user's session signs nobody in."""
    if getattr(instance, "_ends_api_tokens", False):
        AuthToken.objects.filter(user=instance).delete()


@receiver(user_login_failed, dispatch_uid="accounts.audit_failed_sign_in")
def audit_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password, a disabled account, or a username locked out after repeated failures (django-axes
    refuses it before the password is checked): each is one failed sign-in."""
    user_sign_in_failed_record(
        username=str(credentials.get("username", "")), via=_via(request), ip_address=client_ip(request)
    )
