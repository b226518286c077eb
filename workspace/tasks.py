"""Celery tasks of the workspace: safe to run twice (acks_late is on)."""

import datetime as dt

from celery import shared_task

from config.office_time import office_today
from supervision.tasks import RETRYING

from .reminders import reminders_send


@shared_task(name="workspace.send_reminders", soft_time_limit=600, time_limit=720, **RETRYING)
def send_reminders(as_of: str | None = None) -> int:
    """The reminders before deadlines (beat: 07:30 office time), by e-mail, each once
    (workspace.reminders: a unique SentReminder per user, kind, record and deadline)."""
    return reminders_send(today=dt.date.fromisoformat(as_of) if as_of else office_today())
