"""Housekeeping for background jobs and the outbox: the sweep, every minute and when a worker
starts."""

from celery import shared_task
from celery.signals import worker_ready
from django.db import connections
from django.utils.translation import gettext_lazy as _

from . import jobs
from .models import ImportRun


@shared_task(ignore_result=True)
def sweep_jobs() -> None:
    """Mark interrupted the jobs whose worker is gone and start them again; hand to the queue
    every job and message asked for while it was unreachable."""
    jobs.sweep()


@worker_ready.connect
def sweep_when_a_worker_starts(**kwargs) -> None:
    """A worker that starts (after an outage, or in place of one that died) hands over at once
    what waited, instead of at beat's next sweep."""
    try:
        jobs.sweep()
    finally:
        connections.close_all()


# Preview or import an uploaded spreadsheet (documents.importing): a run started again after a
# crash reads the file again and decides again; an import is all or nothing.
run_import = jobs.job_task(
    "documents.tasks.run_import",
    model=ImportRun,
    produce="documents.importing.produce",
    too_long=_("The import took too long. Split the file into smaller ones."),
    failed=_("The import could not be run: %(error)s"),
)
