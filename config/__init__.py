# Load the Celery app when Django starts so that @shared_task uses it and
# transaction.on_commit enqueues go to the configured broker.
from .celery import app as celery_app

__all__ = ("celery_app",)
