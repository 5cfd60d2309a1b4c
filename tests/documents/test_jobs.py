"""Jobs asked for while the queue is down wait, say so, and are handed over when it is back."""

from datetime import date, timedelta

import pytest
from celery import Celery
from django.utils.timezone import now

from documents import jobs
from documents.models import JobStatus
from reporting.models import StaffCostReport
from tests.reporting.factories import build_time_world

RETRY_QUICKLY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.1, "interval_max": 0.1}


def _app(**conf) -> Celery:
    app = Celery("jobs-test", set_as_current=False)
    app.conf.update(task_publish_retry_policy=RETRY_QUICKLY, **conf)
    return app


@pytest.fixture
def report(db):
    world = build_time_world()
    return StaffCostReport.objects.create(
        programme=world.programme,
        city=world.city,
        first_month=date(2017, 1, 1),
        last_month=date(2017, 12, 1),
        requested_by=world.coordinator,
    )


def test_a_job_asked_for_while_redis_is_down_waits_and_says_so(
    report, django_capture_on_commit_callbacks
):
    # Nothing listens on port 9 of the loopback: publishing fails at once.
    down = _app(broker_url="redis://127.0.0.1:9/0", broker_connection_timeout=1)
    sent: list[int] = []

    @down.task(name="jobs-test.build")
    def build(pk):
        sent.append(pk)

    with django_capture_on_commit_callbacks(execute=True):
        jobs.enqueue(report, build)

    report.refresh_from_db()
    assert report.status == JobStatus.QUEUED
    assert report.enqueued_at is None
    assert report.status_payload()["waiting_for_queue"] is True
    assert sent == []


def test_waiting_jobs_are_handed_over_when_the_queue_is_back(
    report, django_capture_on_commit_callbacks
):
    back = _app(task_always_eager=True)
    ran: list[int] = []

    @back.task(name="jobs-test.build-back")
    def build(pk):
        ran.append(pk)

    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.requeue_waiting(StaffCostReport, build) == 1

    report.refresh_from_db()
    assert ran == [report.pk]
    assert report.enqueued_at is not None
    assert report.status_payload()["waiting_for_queue"] is False
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.requeue_waiting(StaffCostReport, build) == 0


def test_reports_are_registered_for_requeueing():
    from reporting.tasks import build_staff_cost_report

    assert jobs.registered()[StaffCostReport] is build_staff_cost_report


def test_start_claims_a_job_once_and_again_only_when_its_worker_is_gone(report):
    started = jobs.start(StaffCostReport, report.pk)
    assert started.status == JobStatus.RUNNING
    assert started.attempts == 1
    assert started.heartbeat_at is not None
    # A message redelivered while the job runs under a live lease: nothing happens.
    assert jobs.start(StaffCostReport, report.pk) is None
    # The worker died: its lease expires, the message comes back, the job starts over.
    StaffCostReport.objects.filter(pk=report.pk).update(heartbeat_at=now() - timedelta(hours=1))
    again = jobs.start(StaffCostReport, report.pk)
    assert again.attempts == 2
    for status in (JobStatus.DONE, JobStatus.FAILED):
        StaffCostReport.objects.filter(pk=report.pk).update(status=status)
        assert jobs.start(StaffCostReport, report.pk) is None
    assert StaffCostReport.objects.get(pk=report.pk).attempts == 2


def test_failure_is_recorded_and_retry_puts_the_job_back(
    report, django_capture_on_commit_callbacks
):
    jobs.fail(report, "The PDF template is missing.")
    report.refresh_from_db()
    assert report.status == JobStatus.FAILED
    assert report.status_payload()["error"] == "The PDF template is missing."
    app = _app(task_always_eager=True)
    ran: list[int] = []

    @app.task(name="jobs-test.retry")
    def build(pk):
        ran.append(pk)

    with django_capture_on_commit_callbacks(execute=True):
        jobs.retry(report, build)
    report.refresh_from_db()
    assert report.status == JobStatus.QUEUED
    assert report.error == ""
    assert ran == [report.pk]
