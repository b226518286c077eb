"""Celery tasks: take ids, load rows, call a service; safe to run twice (acks_late is on)."""

from celery import shared_task

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
