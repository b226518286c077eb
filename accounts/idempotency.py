"""`Idempotency-Key` for POSTs (docs/api.md#idempotency): the same key from the same user gets the first
answer again.

The write and the stored answer commit in one transaction, so an answer is kept exactly when the write
happened. Two requests with the same key racing each other: the second's insert of the record hits the
unique constraint, its own write rolls back, and it answers with the first one's stored answer."""

import functools
import hashlib
import json

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

from .models import IdempotencyRecord

HEADER = "HTTP_IDEMPOTENCY_KEY"
MAX_KEY_LENGTH = 200


def _fingerprint(request) -> str:
    body = json.dumps(request.data, sort_keys=True, default=str) if request.data else ""
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _replay(record: IdempotencyRecord, fingerprint: str) -> Response:
    if record.request_fingerprint != fingerprint:
        return Response(
            {"detail": _("This Idempotency-Key was already used for a different request.")},
            status=status.HTTP_409_CONFLICT,
        )
    response = Response(record.response_body, status=record.response_status)
    response["Idempotent-Replayed"] = "true"
    return response


# Set on the request while the handler runs inside the key's transaction (see `in_key_transaction`).
_IN_KEY_TRANSACTION = "_in_idempotency_key_transaction"


def in_key_transaction(request) -> bool:
    """Whether the handler runs inside the Idempotency-Key's transaction, which an error in the handler
    rolls back as a whole: a block of the handler's own then needs no savepoint
    (`transaction.atomic(savepoint=not in_key_transaction(request))`, two round trips fewer per write)."""
    return getattr(request, _IN_KEY_TRANSACTION, False)


def idempotent(handler):
    """Decorate an API view's `create`/`post` method."""

    @functools.wraps(handler)
    def wrapper(view, request, *args, **kwargs):
        key = request.META.get(HEADER, "").strip()
        if not key:
            return handler(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            return Response(
                {"detail": _("The Idempotency-Key is too long (at most 200 characters).")},
                status=status.HTTP_400_BAD_REQUEST,
            )
        fingerprint = _fingerprint(request)
        existing = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
        if existing is not None:
            return _replay(existing, fingerprint)
        try:
            with transaction.atomic():
                setattr(request, _IN_KEY_TRANSACTION, True)
                try:
                    response = handler(view, request, *args, **kwargs)
                finally:
                    setattr(request, _IN_KEY_TRANSACTION, False)
                if response.status_code < 500:
                    IdempotencyRecord.objects.create(
                        user=request.user,
                        key=key,
                        request_fingerprint=fingerprint,
                        response_status=response.status_code,
                        response_body=response.data,
                    )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(user=request.user, key=key).first()
            if existing is None:
                raise
            return _replay(existing, fingerprint)
        return response

    return wrapper
