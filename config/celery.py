"""The Celery app. The beat schedule is defined here, in one place, in the office's time zone."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("correction")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

from celery.schedules import crontab  # noqa: E402

# Times are in the office's time zone (CELERY_TIMEZONE = OFFICE_TIME_ZONE).
app.conf.beat_schedule = {
    # 00:30 every day: raise the alerts of the day that just ended (missed reports, overdue intake and
    # leave, periods ending); catches up on days missed while the worker was down. It queues one
    # supervision.sweep_district task per district, so every worker on the queue shares the work.
    "supervision-sweep": {"task": "supervision.sweep", "schedule": crontab(hour=0, minute=30)},
    # 00:10 every day, after a rule that comes into force today has: set the reporting clock where it no
    # longer counts the kinds of the case's rule (supervision.duties.report_clock_refresh).
    "supervision-report-clock": {
        "task": "supervision.report_clock_refresh",
        "schedule": crontab(hour=0, minute=10),
    },
    # 07:30 every day, before the office opens: e-mail the reminders of the deadlines ahead (intake, end of
    # period, referral answers), each once; nothing when mail is not configured (workspace.reminders).
    "workspace-reminders": {"task": "workspace.send_reminders", "schedule": crontab(hour=7, minute=30)},
    # 03:10 every day: the statistics' change records no cache entry can still be keyed by, each
    # district's latest kept (reports.figure_cache).
    "reports-prune-figure-changes": {
        "task": "reports.figure_changes_prune",
        "schedule": crontab(hour=3, minute=10),
    },
}
