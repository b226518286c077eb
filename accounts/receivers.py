"""Sign-ins are audited through Django's own hook: it is the only place every login path passes."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from .services import user_sign_in_record


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


@receiver(user_logged_in, dispatch_uid="accounts.audit_sign_in")
def audit_sign_in(sender, request, user, **kwargs) -> None:
    user_sign_in_record(user=user, ip_address=client_ip(request), via="session")
