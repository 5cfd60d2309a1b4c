"""A running job is its worker's while the worker shows signs of life; once it has been silent
for the lease the job shows as interrupted, with a Retry, and the sweep starts it again. A run
that a later run has replaced stores nothing (issue 14, finding 6; the real worker killed
mid-job is in tests/test_faults.py)."""

import time
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import now

from documents import jobs
from documents.models import JobStatus, StoredFile
from reporting.models import StaffCostReport
from tests.reporting.factories import build_time_world


@pytest.fixture
def world(db):
    return build_time_world()


def report_of(world, **fields) -> StaffCostReport:
    return StaffCostReport.objects.create(
        programme=world.programme,
        city=world.city,
        first_month=date(2017, 1, 1),
        last_month=date(2017, 3, 1),
        requested_by=world.coordinator,
        **fields,
    )


def silent_for(seconds: float) -> dict:
    return {"status": JobStatus.RUNNING, "heartbeat_at": now() - timedelta(seconds=seconds)}


def test_the_sweep_marks_lost_jobs_interrupted_and_hands_them_over(
    world, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.TANDEM_JOB_LEASE_SECONDS = 60
    lost = report_of(world, progress=10, enqueued_at=now(), **silent_for(61))
    alive = report_of(world, progress=10, enqueued_at=now(), **silent_for(30))
    legacy = report_of(world, status=JobStatus.RUNNING, enqueued_at=now())  # no heartbeat yet
    sent: list[int] = []
    from reporting.tasks import build_staff_cost_report

    monkeypatch.setattr(build_staff_cost_report, "delay", sent.append)
    assert (lost.is_interrupted, alive.is_interrupted) == (True, False)
    assert lost.status_payload()["status"] == "interrupted", "the status read notices at once"

    with django_capture_on_commit_callbacks(execute=True):
        counts = jobs.sweep()
    assert counts == {"interrupted": 2, "requeued": 2, "sent": 0}
    assert sorted(sent) == sorted([lost.pk, legacy.pk])
    lost.refresh_from_db()
    alive.refresh_from_db()
    assert lost.status == JobStatus.INTERRUPTED
    assert "stopped answering" in lost.error
    assert lost.enqueued_at is not None, "handed over again"
    assert alive.status == JobStatus.RUNNING
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.sweep() == {"interrupted": 0, "requeued": 0, "sent": 0}


def test_an_interrupted_report_shows_a_retry_that_builds_it(
    client, world, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.MEDIA_ROOT = tmp_path / "media"
    report = report_of(world, progress=10, **silent_for(3600))
    client.force_login(world.coordinator)
    html = client.get(report.get_absolute_url()).content.decode()
    retry = reverse("reporting:report_retry", args=[report.pk])
    assert "job-state-interrupted" in html
    assert f'action="{retry}"' in html
    assert 'data-job-interrupted="true"' in html
    status = client.get(reverse("reporting:report_status", args=[report.pk])).json()
    assert (status["status"], status["interrupted"], status["finished"]) == (
        "interrupted",
        True,
        False,
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.attempts) == (JobStatus.DONE, 1)


def test_a_run_replaced_by_a_later_one_stores_nothing(world):
    report = report_of(world)
    first = jobs.start(StaffCostReport, report.pk)
    StaffCostReport.objects.filter(pk=report.pk).update(heartbeat_at=now() - timedelta(hours=1))
    second = jobs.start(StaffCostReport, report.pk)
    assert (first.attempts, second.attempts) == (1, 2)

    late = jobs.Produced(files={"csv": jobs.Output(b"late\n", "late.csv", "text/csv")}, note="")
    jobs.progress_reporter(first)(90, "the old run goes on")
    jobs.finish(first, late)
    jobs.fail(first, "the old run failed")
    report.refresh_from_db()
    assert (report.status, report.progress, report.csv_id) == (JobStatus.RUNNING, 0, None)
    assert StoredFile.objects.count() == 0, "its file went again: no orphan"

    jobs.finish(
        second, jobs.Produced(files={"csv": jobs.Output(b"ok\n", "ok.csv", "text/csv")}, note="")
    )
    report.refresh_from_db()
    assert report.status == JobStatus.DONE
    assert list(StoredFile.objects.values_list("pk", flat=True)) == [report.csv_id]


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_keeps_the_lease_while_the_builder_is_silent(settings):
    settings.TANDEM_JOB_HEARTBEAT_SECONDS = 0.05
    report = report_of(build_time_world())
    job = jobs.start(StaffCostReport, report.pk)
    beats = set()
    with jobs.heartbeat(job):
        for _look in range(400):
            beats.add(StaffCostReport.objects.values_list("heartbeat_at", flat=True).get())
            if len(beats) >= 3:
                break
            time.sleep(0.05)
    assert len(beats) >= 3, "the lease was refreshed while produce ran"
