"""Housekeeping for background jobs and the outbox: the sweep, every minute and when a worker
starts."""

from celery import shared_task
from celery.signals import worker_ready
from django.db import connections

from . import jobs


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
