"""Housekeeping for background jobs."""

from celery import shared_task

from . import jobs


@shared_task(ignore_result=True)
def requeue_waiting_jobs() -> int:
    """Hand to the queue every job that was asked for while the queue was unreachable."""
    return sum(jobs.requeue_waiting(model, task) for model, task in jobs.registered().items())
