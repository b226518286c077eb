"""Enqueue Celery work after the transaction commits, without ever failing or hanging the write.

If the broker is down, the write has already succeeded; the error is logged and the daily sweep
catches up (docs/rules.md#the-alert-sweep). The publish is bounded by the broker's connection timeout and
CELERY_TASK_PUBLISH_RETRY_POLICY."""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def enqueue_on_commit(task, *args) -> None:
    def publish() -> None:
        try:
            task.apply_async(args=args, retry=True)
        except Exception:  # the broker is unreachable: log it, the sweep catches up
            logger.warning(
                "could not enqueue %s%r; the daily sweep will catch up", task.name, args, exc_info=True
            )

    transaction.on_commit(publish)
