"""Celery tasks: take ids, load rows, call a service; safe to run twice (acks_late is on)."""

import datetime as dt
import logging

from celery import shared_task

from config.office_time import office_today

from .models import SweepRun
from .sweep import mark_made_up_reports, sweep_run

logger = logging.getLogger(__name__)
# If the worker was down for a few days, the daily task sweeps each missed day, at most this many.
CATCH_UP_DAYS = 7

RETRYING = {
    "autoretry_for": (ConnectionError, TimeoutError, OSError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(name="supervision.sweep", soft_time_limit=1800, time_limit=2100, **RETRYING)
def sweep(as_of: str | None = None) -> dict[str, dict[str, int]]:
    """The daily sweep (beat: 00:30 office time). Without a date it sweeps every day since the last
    finished run (at most CATCH_UP_DAYS), up to today; running it twice raises nothing twice."""
    today = office_today()
    if as_of:
        days = [dt.date.fromisoformat(as_of)]
    else:
        last = (
            SweepRun.objects.filter(finished_at__isnull=False)
            .order_by("-as_of")
            .values_list("as_of", flat=True)
        )
        start = (
            max(last[0] + dt.timedelta(days=1), today - dt.timedelta(days=CATCH_UP_DAYS - 1))
            if last
            else today
        )
        days = [start + dt.timedelta(days=n) for n in range((today - start).days + 1)] or [today]
    return {day.isoformat(): sweep_run(as_of=day) for day in days}


@shared_task(name="supervision.note_made_up_reports", soft_time_limit=60, time_limit=90, **RETRYING)
def note_made_up_reports(supervisee_id: int) -> int:
    """After a check-in: note on the case's open missed_report alerts that the person has now reported."""
    return mark_made_up_reports(supervisee_ids=[supervisee_id])
