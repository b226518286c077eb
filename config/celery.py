"""The Celery app. The beat schedule is defined here, in one place, in the office's time zone."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("correction")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Entries are added by the capability that owns them (supervision adds the daily sweep).
app.conf.beat_schedule = {}
