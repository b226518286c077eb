"""Celery tasks: take ids, load rows, call a service; safe to run twice (acks_late is on)."""

import datetime as dt
import logging

from celery import shared_task
from django.db.models import Max

from config.office_time import office_today

from .duties import report_clock_refresh
from .models import SweepRun
from .sweep import mark_made_up_reports, sweep_district, sweep_districts

logger = logging.getLogger(__name__)
# If the worker was down for a few days, the daily task sweeps each missed day, at most this many.
CATCH_UP_DAYS = 7

RETRYING = {
    "autoretry_for": (ConnectionError, TimeoutError, OSError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


def _days_to_sweep(district_ids: list[int | None], today: dt.date) -> dict[int | None, list[dt.date]]:
    """For each district, the days since its last finished run (at most CATCH_UP_DAYS), up to today; a
    run over every case (district null, from before the split) counts for every district. One query."""
    last = dict(
        SweepRun.objects.filter(finished_at__isnull=False)
        .order_by()
        .values_list("district")
        .annotate(last=Max("as_of"))
        .values_list("district", "last")
    )
    days = {}
    for district_id in district_ids:
        finished = [day for day in (last.get(district_id), last.get(None)) if day is not None]
        start = (
            max(max(finished) + dt.timedelta(days=1), today - dt.timedelta(days=CATCH_UP_DAYS - 1))
            if finished
            else today
        )
        days[district_id] = [start + dt.timedelta(days=n) for n in range((today - start).days + 1)] or [today]
    return days


@shared_task(name="supervision.sweep", bind=True, soft_time_limit=1800, time_limit=2100, **RETRYING)
def sweep(self, as_of: str | None = None) -> dict[str, dict[str, int]]:
    """The daily sweep (beat: 00:30 office time). Without a date it sweeps, for each district, every day
    since the district's last finished run (at most CATCH_UP_DAYS), up to today; running it twice raises
    nothing twice.

    With more than one district it fans out: one `supervision.sweep_district` task per district and day,
    on the queue this task came from, so that several workers on several machines share the sweep (each
    writes its own SweepRun). A single district is swept here, saving the round trip. Either way the
    missed reports made up since their alerts (a check-in whose follow-up task never ran) are noted here,
    once for every district; each district's run notes those of the alerts it raises."""
    today = office_today()
    mark_made_up_reports()
    districts = sweep_districts()
    if as_of:
        days = dict.fromkeys(districts, [dt.date.fromisoformat(as_of)])
    else:
        days = _days_to_sweep(districts, today)
    if len(districts) == 1:
        (only,) = districts
        return {day.isoformat(): sweep_district(as_of=day, district_id=only) for day in days[only]}
    queue = (self.request.delivery_info or {}).get("routing_key")
    queued: dict[str, dict[str, int]] = {}
    for district_id, district_days in days.items():
        for day in district_days:
            sweep_one_district.apply_async(args=[day.isoformat(), district_id], queue=queue)
            queued.setdefault(day.isoformat(), {"districts_queued": 0})["districts_queued"] += 1
    return queued


@shared_task(name="supervision.sweep_district", soft_time_limit=1800, time_limit=2100, **RETRYING)
def sweep_one_district(as_of: str, district_id: int | None) -> dict[str, int]:
    """One district's sweep as of a day (from `sweep`'s fan-out): its own SweepRun; a second delivery
    (a worker lost mid-run) raises nothing twice."""
    return sweep_district(as_of=dt.date.fromisoformat(as_of), district_id=district_id)


@shared_task(name="supervision.note_made_up_reports", soft_time_limit=60, time_limit=90, **RETRYING)
def note_made_up_reports(supervisee_id: int) -> int:
    """After a check-in: note on the case's open missed_report alerts that the person has now reported."""
    return mark_made_up_reports(supervisee_ids=[supervisee_id])


@shared_task(name="supervision.report_clock_refresh", soft_time_limit=1800, time_limit=2100, **RETRYING)
def report_clock(on: str | None = None) -> int:
    """Set the reporting clock of the cases whose clock does not count their rule's kinds (new cases, a
    new level or district, a rule come into force today: supervision.duties). Until then the duty of
    those cases is read from the check-ins, so a late or missed run costs time, never a wrong date."""
    return report_clock_refresh(on=dt.date.fromisoformat(on) if on else office_today())
