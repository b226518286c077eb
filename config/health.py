"""`GET /healthz` and `GET /readyz` (API.md "Operating") for the load balancer and the orchestrator:
no sign-in, no personal data, nothing but whether each dependency answers.

- /healthz: the process answers (200). It touches nothing else, so a database outage does not get
  every web process restarted.
- /readyz: the database and the Celery broker are reachable (200), or 503 naming the one that is not.
  The broker check is bounded (BROKER_CHECK_TIMEOUT_S per network step, no retries), so a broker that
  is down or hangs answers within about two seconds; why it failed goes to the log, not the answer.
"""

import logging
import os

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from kombu import Connection

log = logging.getLogger(__name__)
BROKER_CHECK_TIMEOUT_S = 1


def database_reachable() -> bool:
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.warning("readyz: the database is not reachable", exc_info=True)
        return False
    return True


def broker_reachable() -> bool:
    url = settings.CELERY_BROKER_URL
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    if url.startswith("filesystem://"):
        # The embedded broker (config/settings/base.py) is folders: reachable when they can be written.
        folders = [options.get(name) for name in ("data_folder_in", "data_folder_out", "processed_folder")]
        if all(folder and os.path.isdir(folder) and os.access(folder, os.W_OK) for folder in folders):
            return True
        log.warning("readyz: the file-system broker's folders are missing or read-only: %s", folders)
        return False
    options.update(
        socket_connect_timeout=BROKER_CHECK_TIMEOUT_S, socket_timeout=BROKER_CHECK_TIMEOUT_S, max_retries=0
    )
    try:
        with Connection(url, transport_options=options, connect_timeout=BROKER_CHECK_TIMEOUT_S) as broker:
            broker.ensure_connection(max_retries=0)
            broker.default_channel  # noqa: B018  (opening a channel is the round trip: Redis answers PING)
    except Exception:  # kombu and each transport's client raise their own errors
        log.warning("readyz: the broker is not reachable", exc_info=True)
        return False
    return True


@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request):
    checks = {"database": database_reachable(), "broker": broker_reachable()}
    down = [name for name, up in checks.items() if not up]
    body = {
        "status": "unavailable" if down else "ok",
        **{n: "ok" if up else "unreachable" for n, up in checks.items()},
    }
    if down:
        body["unreachable"] = down
    return JsonResponse(body, status=503 if down else 200)
