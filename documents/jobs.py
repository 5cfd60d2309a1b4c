"""Running a BackgroundJob: hand it to Celery after the commit, report progress, record the
outcome. A job that the queue cannot take yet stays queued and is handed over again later."""

import logging
from collections.abc import Callable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from kombu.exceptions import OperationalError

from .models import BackgroundJob, JobStatus

logger = logging.getLogger(__name__)

# Each kind of job and the task that runs it, registered by its app when Django starts, so that
# requeue_waiting_jobs can hand over whatever waited while the queue was down.
_TASKS: dict[type[BackgroundJob], object] = {}


def register(model: type[BackgroundJob], task) -> None:
    _TASKS[model] = task


def registered() -> dict[type[BackgroundJob], object]:
    return dict(_TASKS)


def enqueue(job: BackgroundJob, task) -> None:
    """Queue ``task(job.pk)`` once the surrounding transaction commits."""

    def send() -> None:
        try:
            task.delay(job.pk)
        except OperationalError:
            # Redis is unreachable: the job stays queued without enqueued_at, the page says it
            # is waiting, and requeue_waiting() hands it over when the broker is back.
            logger.warning("Job queue unreachable; %s %s waits", type(job).__name__, job.pk)
            return
        type(job).objects.filter(pk=job.pk, enqueued_at__isnull=True).update(
            enqueued_at=timezone.now()
        )

    transaction.on_commit(send)


def send_after_commit(task, *args) -> None:
    """Queue ``task(*args)`` once the surrounding transaction commits; when the queue cannot be
    reached, run it here instead, so that a notification is late rather than lost (and the
    request that caused it does not fail after its data is saved)."""

    def send() -> None:
        try:
            task.delay(*args)
        except OperationalError:
            logger.warning("Job queue unreachable; %s runs in this process", task.name)
            task.apply(args=args)

    transaction.on_commit(send)


def requeue_waiting(model: type[BackgroundJob], task) -> int:
    """Hand over every job that never reached the queue. Returns how many were sent."""
    waiting = model.objects.filter(status=JobStatus.QUEUED, enqueued_at__isnull=True)
    count = 0
    for job in waiting:
        enqueue(job, task)
        count += 1
    return count


def start(model: type[BackgroundJob], pk: int) -> BackgroundJob | None:
    """Mark the job running, or return None when it is already finished (a redelivered message
    of a done job) so the task does nothing."""
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=pk).first()
        if job is None or job.status == JobStatus.DONE:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.enqueued_at = job.enqueued_at or job.started_at
        job.attempts += 1
        job.progress = 0
        job.error = ""
        job.save(
            update_fields=[
                "status",
                "started_at",
                "enqueued_at",
                "attempts",
                "progress",
                "error",
            ]
        )
    return job


def progress_reporter(job: BackgroundJob) -> Callable[[int, str], None]:
    """A callback the builder calls with a percentage and a note; written at once, outside any
    transaction, so the page sees it while the job runs."""
    model = type(job)

    def report(percent: int, note: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        model.objects.filter(pk=job.pk).update(progress=percent, progress_note=note[:200])

    return report


def fail(job: BackgroundJob, error: str) -> None:
    type(job).objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, error=error, finished_at=timezone.now()
    )


def retry(job: BackgroundJob, task) -> None:
    """Put a failed job back in the queue."""
    type(job).objects.filter(Q(pk=job.pk), Q(status=JobStatus.FAILED)).update(
        status=JobStatus.QUEUED,
        progress=0,
        progress_note="",
        error="",
        enqueued_at=None,
        finished_at=None,
    )
    enqueue(job, task)
