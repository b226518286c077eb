"""Sign-ins, and failed ones, are audited through Django's own hooks: the only place every sign-in path
(the page, the admin, the API token endpoint) passes."""

import ipaddress

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import receiver

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
    user_sign_in_record(user=user, ip_address=client_ip(request), via="session")


@receiver(user_login_failed, dispatch_uid="accounts.audit_failed_sign_in")
def audit_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    """A wrong password, a disabled account, or a username locked out after repeated failures (django-axes
    refuses it before the password is checked): each is one failed sign-in."""
    user_sign_in_failed_record(
        username=str(credentials.get("username", "")), via=_via(request), ip_address=client_ip(request)
    )
