"""Running a BackgroundJob, the one way every kind of job runs: ask for it once (an identical
request joins the active job), hand it to Celery after the commit (without Redis, as `make run`
runs, to a thread of the web process beside the request instead), claim it, keep its lease
while it runs, report progress, store its files and attach them with the outcome, or record why
it failed; retry it. A job that the queue cannot take yet stays queued and is handed over again
later; a job whose worker is gone shows as interrupted and is started again by the sweep.

Tasks that are not jobs (an invitation's e-mail, a plan's notification) are queued through
``send_after_commit``: written to the outbox with the data that caused them, handed over after
the commit, and by the sweep while the queue cannot be reached.

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

import hashlib
import json
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, BinaryIO, TypeVar

from celery import current_app, shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError

from . import signals
from .models import ACTIVE, BackgroundJob, JobStatus, OutboxMessage, StoredFile, lease_expired

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]
Job = TypeVar("Job", bound=BackgroundJob)

# Each kind of job and the task that runs it, registered by its app when Django starts, so that
# requeue_waiting_jobs can hand over whatever waited while the queue was down.
_TASKS: dict[type[BackgroundJob], object] = {}


def register(model: type[BackgroundJob], task) -> None:
    _TASKS[model] = task


def registered() -> dict[type[BackgroundJob], object]:
    return dict(_TASKS)


def fingerprint(*parts: Any) -> str:
    """The fingerprint of a request: a checksum of what was asked for (ids, months, language)."""
    text = json.dumps([str(part) for part in parts], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def request(model: type[Job], task, *, fingerprint: str, **fields: Any) -> tuple[Job, bool]:
    """The active job asked for with this fingerprint, or a new one queued after the commit.
    Returns the job and whether this call asked for it (``job.joined`` says the opposite). Two
    requests at the same moment make one job: the database allows one active job per
    fingerprint, and the second request joins the job the first one made."""
    with transaction.atomic():
        job = model.objects.filter(fingerprint=fingerprint, status__in=ACTIVE).first()
        created = job is None
        if job is None:
            try:
                with transaction.atomic():
                    job = model.objects.create(fingerprint=fingerprint, **fields)
            except IntegrityError:
                # Another request made it after our look; it is committed now: join it.
                job = model.objects.filter(fingerprint=fingerprint, status__in=ACTIVE).first()
                if job is None:
                    raise
                created = False
            else:
                enqueue(job, task)
    job.joined = not created
    return job, created


def enqueue(job: BackgroundJob, task) -> None:
    """Queue ``task(job.pk)`` once the surrounding transaction commits."""

    def send() -> None:
        try:
            _hand_over_job(job, task)
        except OperationalError:
            # Redis is unreachable: the job keeps no enqueued_at, the page says it is waiting,
            # and the sweep (requeue_waiting) hands it over when the broker is back.
            logger.warning("Job queue unreachable; %s %s waits", type(job).__name__, job.pk)
            return
        type(job).objects.filter(pk=job.pk, enqueued_at__isnull=True).update(
            enqueued_at=timezone.now()
        )

    transaction.on_commit(send)


def _hand_over_job(job: BackgroundJob, task) -> None:
    """Give ``task(job.pk)`` to the Celery queue, or, without one (TANDEM_JOBS_IN_THREADS, the
    embedded `make run`), start it in a thread of this process beside the request."""
    if settings.TANDEM_JOBS_IN_THREADS:
        threading.Thread(
            target=_run_in_thread,
            args=(task, job.pk),
            name=f"job-{type(job).__name__}-{job.pk}",
            daemon=True,  # a stopped server leaves the job to show as interrupted: Retry
        ).start()
    else:
        task.delay(job.pk)


def _run_in_thread(task, pk: int) -> None:
    """The task, run here as a worker would run it (``run`` records a failure on the job), then
    this thread's database connection closed."""
    try:
        task.apply(args=[pk], throw=True)
    except Exception:  # run() records the job's own failures; this is whatever is left
        logger.exception("Job %s %s could not run in its thread", task.name, pk)
    finally:
        connections.close_all()  # this thread's own connections


def send_after_commit(task, *args: Any) -> None:
    """Queue ``task(*args)`` once the surrounding transaction commits. The task is written to
    the outbox with the data that caused it, so it is never lost: when the queue cannot be
    reached the request still answers at once, and the sweep hands the task over once the
    queue is back (exactly once: a message is handed over under its row's lock, then
    deleted)."""
    message = OutboxMessage.objects.create(task=task.name, args=list(args))
    transaction.on_commit(lambda: hand_over(OutboxMessage.objects.filter(pk=message.pk)))


def waiting_for_queue(task, *args: Any) -> bool:
    """Whether ``task(*args)`` is still in the outbox: asked for, not taken by the queue yet."""
    return OutboxMessage.objects.filter(task=task.name, args=list(args)).exists()


def hand_over(messages=None) -> int:
    """Hand the outbox's messages (all of them by default) to the queue, oldest first; stop at
    the first the queue refuses. A message another process is handing over is skipped.
    Returns how many were handed over."""
    queryset = OutboxMessage.objects.all() if messages is None else messages
    count = 0
    with transaction.atomic():
        for message in queryset.select_for_update(skip_locked=True).order_by("pk"):
            task = current_app.tasks.get(message.task)
            if task is None:
                logger.error("Outbox message %s names no known task %s", message.pk, message.task)
                continue
            try:
                task.apply_async(args=message.args)
            except OperationalError:
                logger.warning("Job queue unreachable; %s waits in the outbox", message)
                OutboxMessage.objects.filter(pk=message.pk).update(attempts=F("attempts") + 1)
                break
            message.delete()
            count += 1
    return count


def requeue_waiting(model: type[BackgroundJob], task) -> int:
    """Hand over every job that never reached the queue (asked for while it was down, or
    interrupted), each under its row's lock so that two sweeps at once (beat's and a starting
    worker's) send it once; stop at the first the queue refuses. Returns how many were sent."""
    count = 0
    with transaction.atomic():
        waiting = model.objects.select_for_update(skip_locked=True).filter(
            status__in=[JobStatus.QUEUED, JobStatus.INTERRUPTED], enqueued_at__isnull=True
        )
        for job in waiting.order_by("pk"):
            try:
                _hand_over_job(job, task)
            except OperationalError:
                logger.warning("Job queue unreachable; %s %s waits", model.__name__, job.pk)
                break
            model.objects.filter(pk=job.pk).update(enqueued_at=timezone.now())
            count += 1
    return count


def interrupt_lost(model: type[BackgroundJob]) -> int:
    """Mark interrupted every running job whose worker has not shown a sign of life within the
    lease, with the reason; requeue_waiting then starts them again. Returns how many."""
    return model.objects.filter(lease_expired()).update(
        status=JobStatus.INTERRUPTED,
        error=_(
            "The worker making this stopped answering (its process or machine went away). "
            "It is started again as soon as a worker is free."
        ),
        enqueued_at=None,
    )


def sweep() -> dict[str, int]:
    """What beat runs every minute and a worker runs when it starts: jobs whose worker is gone
    are marked interrupted, and they and every job and message that waited for the queue are
    handed over."""
    interrupted = sum(interrupt_lost(model) for model in _TASKS)
    requeued = sum(requeue_waiting(model, task) for model, task in registered().items())
    return {"interrupted": interrupted, "requeued": requeued, "sent": hand_over()}


def start(model: type[BackgroundJob], pk: int) -> BackgroundJob | None:
    """Claim the job for this run and mark it running; or return None so that the task does
    nothing. Only a queued or interrupted job can be claimed, or a running one whose lease has
    expired (its worker is gone): a redelivered message of a job that is done, failed, or
    running under a live lease does nothing, so one job never has two runs at once. The row
    lock makes the claim atomic; ``attempts`` numbers the runs, and only the latest may report
    progress or store the outcome."""
    now = timezone.now()
    with transaction.atomic():
        job = (
            model.objects.select_for_update()
            .filter(Q(status__in=[JobStatus.QUEUED, JobStatus.INTERRUPTED]) | lease_expired(now))
            .filter(pk=pk)
            .first()
        )
        if job is None:
            return None
        job.status = JobStatus.RUNNING
        job.started_at = now
        job.heartbeat_at = now
        job.enqueued_at = job.enqueued_at or now
        job.attempts += 1
        job.progress = 0
        job.progress_note = ""
        job.error = ""
        job.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "enqueued_at",
                "attempts",
                "progress",
                "progress_note",
                "error",
            ]
        )
    return job


def _this_run(job: BackgroundJob):
    """The job's row while this run still holds it (no later run has claimed it)."""
    return type(job).objects.filter(pk=job.pk, attempts=job.attempts, status=JobStatus.RUNNING)


def progress_reporter(job: BackgroundJob) -> Callable[[int, str], None]:
    """A callback the builder calls with a percentage and a note; written at once, outside any
    transaction, so the page sees it while the job runs. Each report is a sign of life too."""

    def report(percent: int, note: str = "") -> None:
        percent = max(0, min(100, int(percent)))
        _this_run(job).update(
            progress=percent, progress_note=note[:200], heartbeat_at=timezone.now()
        )

    return report


@contextmanager
def heartbeat(job: BackgroundJob) -> Iterator[None]:
    """Refresh the job's lease every TANDEM_JOB_HEARTBEAT_SECONDS from a thread of its own
    while the block runs (a builder may go a long time between progress reports)."""
    stop = threading.Event()

    def beat() -> None:
        try:
            while not stop.wait(settings.TANDEM_JOB_HEARTBEAT_SECONDS):
                try:
                    _this_run(job).update(heartbeat_at=timezone.now())
                except DatabaseError:  # the next beat tries again; the lease is several long
                    logger.warning(
                        "Could not refresh the lease of %s %s", type(job).__name__, job.pk
                    )
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=beat, name=f"heartbeat-{job.pk}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def fail(job: BackgroundJob, error: str) -> None:
    failed = (
        type(job)
        .objects.filter(pk=job.pk, attempts=job.attempts)
        .update(status=JobStatus.FAILED, error=error, finished_at=timezone.now())
    )
    if failed:
        job.status, job.error = JobStatus.FAILED, error
        _announce(signals.job_failed, job)


def _announce(signal, job: BackgroundJob) -> None:
    """Tell the listeners (who tell the person who asked) once the outcome is committed; a
    listener that fails costs the job nothing."""

    def send() -> None:
        for _receiver, response in signal.send_robust(sender=type(job), job=job):
            if isinstance(response, Exception):
                logger.error("A listener of %s failed: %r", type(job).__name__, response)

    transaction.on_commit(send)


def retry(job: BackgroundJob, task) -> None:
    """Put a failed or interrupted job back in the queue."""
    type(job).objects.filter(
        Q(pk=job.pk),
        Q(status__in=[JobStatus.FAILED, JobStatus.INTERRUPTED]) | lease_expired(),
    ).update(
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
        if locked.attempts != job.attempts:
            # A later run has claimed the job (this worker was taken for gone): its outcome
            # is that run's to store, and this run's files go again.
            logger.warning("%s %s: a later run owns it, outcome dropped", model.__name__, job.pk)
            for orphan in stored.values():
                _discard(orphan)
            return
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
    _announce(signals.job_done, job)


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
    who asked sees why and can retry. A redelivered message of a job that is done, or running
    under a live lease, does nothing; one of a job whose worker is gone starts over."""
    job = start(model, pk)
    if job is None:
        return
    try:
        with heartbeat(job):
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
