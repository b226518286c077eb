"""Celery tasks: take ids, load rows, call a service; safe to run twice (acks_late is on)."""

from celery import shared_task

from .figure_cache import figure_changes_prune
from .models import LedgerImport
from .services import ledger_import_execute

RETRYING = {
    "autoretry_for": (ConnectionError, TimeoutError),
    "retry_backoff": 5,
    "retry_backoff_max": 300,
    "max_retries": 5,
}


@shared_task(name="reports.ledger_import_run", soft_time_limit=1500, time_limit=1800, **RETRYING)
def ledger_import_run(import_id: int) -> str:
    """Import a confirmed ledger (reports.services.ledger_import_execute). Returns the import's status;
    an import already imported (or failed, or not confirmed) is returned as it is."""
    try:
        return ledger_import_execute(ledger_import_id=import_id, report_progress=True).status
    except LedgerImport.DoesNotExist:  # deleted since it was queued: nothing to do
        return "missing"


@shared_task(name="reports.figure_changes_prune", soft_time_limit=600, time_limit=720)
def prune_figure_changes() -> int:
    """The figures' change records older than the cache's lifetime, but each district's latest
    (reports.figure_cache; beat: 03:10 office time). Returns how many were deleted."""
    return figure_changes_prune()
