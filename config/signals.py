"""Signals every app may send or receive (config is below them all)."""

from django.dispatch import Signal

# Sent by a loader that writes records in bulk, past the models' own signals (`seed_demo`, `seed_scale`),
# once it has written them: whatever keeps something derived from those records (reports.figure_cache)
# learns that anything may have changed. No arguments.
records_loaded = Signal()
