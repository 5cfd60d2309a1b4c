"""Without a job queue (TANDEM_JOBS_IN_THREADS, as `make run` runs with no REDIS_URL) a job runs
in a thread beside the request that asked for it, started after the commit: the page answers at
once and follows the job; the job then completes and stores its files, or records why it failed,
as it does on a worker; the thread closes its database connections.

The builder here waits on an Event the test sets, so "before the job is done" is a fact of the
test, never a matter of timing. The tests commit for real (transaction=True): the thread has a
database connection of its own and sees only committed rows."""

import threading
from datetime import date

import pytest
from django.core.files.storage import default_storage
from django.db import connections
from django.urls import reverse

from documents import jobs
from documents.models import JobStatus
from reporting import reports
from reporting.models import StaffCostReport
from tests.reporting.factories import approved_month, build_time_world, rate, record

pytestmark = pytest.mark.django_db(transaction=True)

REPORTS = reverse("reporting:reports")
SAFETY = 120  # seconds: only so that a broken test cannot hang the run; never reached when it works


@pytest.fixture
def threaded(settings, tmp_path):
    settings.TANDEM_JOBS_IN_THREADS = True
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    world = build_time_world()
    rate(world, world.officer, 2017, "52000")
    record(world, world.officer, date(2017, 1, 2), 8)
    approved_month(world, world.officer, date(2017, 1, 1))
    return world


class Gate:
    """Holds the report's real builder until the test opens it."""

    def __init__(self, monkeypatch, *, fail: bool = False):
        self.started, self.open = threading.Event(), threading.Event()
        real = reports.produce_report

        def held(report, *, progress):
            self.started.set()
            assert self.open.wait(SAFETY), "the test never opened the gate"
            if fail:
                raise OSError("the disk is full")
            return real(report, progress=progress)

        monkeypatch.setattr("reporting.reports.produce_report", held)


@pytest.fixture
def closed(monkeypatch):
    """Which threads closed their database connections."""
    names: list[str] = []
    close_all = connections.close_all

    def spy() -> None:
        names.append(threading.current_thread().name)
        close_all()

    monkeypatch.setattr(jobs.connections, "close_all", spy)
    return names


def ask(client, world) -> tuple[StaffCostReport, threading.Thread]:
    """Ask for a report through the page, as a person does; the request answers while the job
    is held; returns the report and the thread that runs it."""
    client.force_login(world.coordinator)
    data = {
        "programme": world.programme.pk,
        "city": world.city.pk,
        "first_month": "2017-01",
        "last_month": "2017-03",
        "language": "en",
    }
    response = client.post(REPORTS, data)
    report = StaffCostReport.objects.get()
    assert response.status_code == 302
    assert response.url == report.get_absolute_url()
    [thread] = [t for t in threading.enumerate() if t.name == f"job-StaffCostReport-{report.pk}"]
    return report, thread


def test_the_request_answers_before_the_job_is_done_and_the_job_then_completes(
    client, threaded, world, monkeypatch, closed
):
    gate = Gate(monkeypatch)
    report, thread = ask(client, world)
    assert gate.started.wait(SAFETY), "the job started in its thread"
    report.refresh_from_db()
    assert report.status == JobStatus.RUNNING
    assert report.enqueued_at is not None, "handed over: the page does not say it waits"
    assert report.pdf_id is None

    # The page shows the job's live status, as it does with a worker.
    page = client.get(report.get_absolute_url())
    assert page.status_code == 200
    status = client.get(reverse("reporting:report_status", args=[report.pk])).json()
    assert (status["status"], status["finished"], status["waiting_for_queue"]) == (
        "running",
        False,
        False,
    )

    gate.open.set()
    thread.join(SAFETY)
    assert not thread.is_alive()
    report.refresh_from_db()
    assert report.status == JobStatus.DONE
    assert report.progress == 100
    for stored in (report.pdf, report.csv, report.xlsx):
        assert default_storage.exists(stored.file.name)
    download = client.get(reverse("reporting:report_download", args=[report.pk, "csv"]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\xef\xbb\xbf")
    assert thread.name in closed, "the thread closed its database connections"


def test_a_failure_in_the_thread_is_recorded_on_the_job(
    client, threaded, world, monkeypatch, closed
):
    gate = Gate(monkeypatch, fail=True)
    report, thread = ask(client, world)
    gate.open.set()
    thread.join(SAFETY)
    assert not thread.is_alive()
    report.refresh_from_db()
    assert report.status == JobStatus.FAILED
    assert "the disk is full" in report.error
    assert report.can_retry
    assert thread.name in closed
    assert "the disk is full" in client.get(report.get_absolute_url()).content.decode()
