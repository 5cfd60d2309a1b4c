"""Running a BackgroundJob, the one way every kind of job runs: hand it to Celery after the
commit, start it, report progress, store its files and attach them with the outcome, or record
why it failed; retry it. A job that the queue cannot take yet stays queued and is handed over
again later.

An app supplies only what is its own: a ``produce(job, progress)`` function that makes the
files, and ``job_task`` turns it into the Celery task (one skeleton for reports, toolkit PDFs
and plan PDFs)::

    build_plan_pdf = jobs.job_task(
        "actionplans.tasks.build_plan_pdf",
        model=PlanPdf,
        produce="actionplans.documents.produce_pdf",
        too_long=gettext_lazy("The PDF took too long to make."),
        failed=gettext_lazy("The PDF could not be made: %(error)s"),
    )
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from kombu.exceptions import OperationalError

from .models import BackgroundJob, JobStatus, StoredFile

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

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


# Files and the outcome ------------------------------------------------------------------------


@dataclass(frozen=True)
class Output:
    """One file a job made: bytes, or a binary file that is stored in chunks."""

    content: bytes | BinaryIO
    filename: str
    content_type: str


@dataclass
class Produced:
    """What ``produce`` hands back: the files by the name of the job's field that holds each,
    the note the page shows once they are stored, and what releases temporary files (called
    once the files are stored, or failed to be)."""

    files: dict[str, Output]
    note: str
    close: Callable[[], None] | None = None


def finish(job: BackgroundJob, produced: Produced) -> None:
    """Store every file whole, then attach them all and mark the job done in one transaction.

    Until then the job keeps the files it had (a PDF made again keeps serving the previous
    one). A file that cannot be stored (a full disk) fails the job: the files stored before it
    are removed again, so no half set of files is left behind."""
    stored: dict[str, StoredFile] = {}
    try:
        for field, output in produced.files.items():
            stored[field] = StoredFile.store(
                output.content, filename=output.filename, content_type=output.content_type
            )
    except BaseException:
        for orphan in stored.values():
            _discard(orphan)
        raise
    finally:
        if produced.close is not None:
            produced.close()
    model = type(job)
    outcome = ["status", "progress", "progress_note", "error", "finished_at"]
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=job.pk)
        for field, file in stored.items():
            setattr(locked, field, file)
        locked.status = JobStatus.DONE
        locked.progress = 100
        locked.progress_note = produced.note
        locked.error = ""
        locked.finished_at = timezone.now()
        locked.save(update_fields=[*stored, *outcome])
    for field in [*stored, *outcome]:
        setattr(job, field, getattr(locked, field))


def _discard(stored: StoredFile) -> None:
    try:
        stored.file.delete(save=False)
    except OSError:  # the disk that failed the job may fail this too; the row goes anyway
        logger.warning("Could not remove the stored file %s", stored.file.name)
    stored.delete()


def run(
    model: type[BackgroundJob],
    pk: int,
    produce: Callable[[BackgroundJob, Progress], Produced],
    *,
    too_long: str,
    failed: str,
) -> None:
    """Run one job: start it, let ``produce`` make the files while it reports progress, store
    and attach them, or record why it failed (``failed`` holds ``%(error)s``) so the person
    who asked sees why and can retry. A redelivered message of a done job does nothing; one of
    a job whose worker died starts over."""
    job = start(model, pk)
    if job is None:
        return
    try:
        finish(job, produce(job, progress=progress_reporter(job)))
    except SoftTimeLimitExceeded:
        fail(job, str(too_long))
    except Exception as error:  # the person who asked sees why, and can retry
        logger.exception("%s %s failed", model.__name__, pk)
        fail(job, str(failed) % {"error": error})


def job_task(
    name: str,
    *,
    model: type[BackgroundJob],
    produce: str,
    too_long: str,
    failed: str,
):
    """The Celery task that runs jobs of ``model``: it takes the job's id and calls ``run``.

    ``produce`` is the dotted path of the app's function, imported when a job runs (so a web
    process that only queues jobs never loads WeasyPrint). Tasks keep the names they were
    queued under; the JSON serializer and the time limits come from the settings. Running a
    job again starts it over, so a message is acknowledged late and given back when its worker
    dies."""

    @shared_task(name=name, acks_late=True, reject_on_worker_lost=True, ignore_result=True)
    def task(job_id: int) -> None:
        """Run the job with this id (documents.jobs.run)."""
        run(model, job_id, import_string(produce), too_long=too_long, failed=failed)

    return task
