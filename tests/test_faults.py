"""Faults: Redis down, a disk that fills up half-way through a file, a failed job and its retry,
a worker's whole process group killed mid-job.

With Redis down people still sign in and use the pages; what they ask for (a report, a PDF, an
invitation's e-mail) is saved, says so at once, and goes out exactly once when Redis is back. A
job that fails after writing part of a file offers no file: the person sees why and a Retry that
works. A job whose worker dies shows as interrupted with a Retry, and the sweep finishes it,
never running it twice at once. (The same kill at scale: bench/kill_worker.py.)
"""

import errno
import hashlib
import http.client
import importlib
import io
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import closing, contextmanager
from datetime import date
from pathlib import Path

import psycopg2
import pytest
import redis
from django.conf import settings as django_settings
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.urls import reverse
from django.utils.timezone import now
from pypdf import PdfReader

from accounts.models import Invitation
from actionplans import services as plan_services
from actionplans.models import PlanPdf, PlanVersion
from config.celery_app import app as celery_app
from config.settings import base
from documents import jobs as jobs_module
from documents.models import JobStatus, OutboxMessage, StoredFile
from reporting.models import StaffCostReport, TimesheetPdf
from tests.accounts.factories import CoordinatorFactory
from tests.actionplans.factories import build_plan_world, drafted_plan, fresh
from tests.reporting.factories import approved_month, build_time_world, rate, record
from tests.test_endpoint_matrix import url_patterns
from tests.toolkits.factories import build_toolkit_world
from tests.toolkits.test_pdf import four_city_edition
from tests.worker import (
    REDIS_URL,
    celery_worker,
    database_url,
    new_queue,
    redis_or_skip,
    worker_group,
)
from toolkits.models import Rendering, ToolkitEdition

WAITING = "The job queue cannot be reached at the moment"


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def pdf_pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


@pytest.fixture
def media_root(settings, tmp_path):
    """One media folder for this process and any worker: the worker writes, the test reads."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


# Redis down, then back -------------------------------------------------------------------------


def free_port() -> int:
    """A port nobody listens on, that stays free until a test starts redis-server on it.

    Not one the system hands out (bind to port 0): that range is also where the machine's
    outgoing connections get their local ports, and another test process asks for ports at the
    same time. Below it, each pytest-xdist worker draws from a slice of its own."""
    worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    first = PORTS_FROM + (worker * PORTS_PER_WORKER) % (PORTS_UNTIL - PORTS_FROM)
    ports = list(range(first, first + PORTS_PER_WORKER))
    random.shuffle(ports)
    for port in ports:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.fail(f"no free port in {first}-{first + PORTS_PER_WORKER - 1}")


# Below Linux's default range of ports for outgoing connections (32768-60999).
PORTS_FROM, PORTS_UNTIL, PORTS_PER_WORKER = 20000, 32000, 200


@pytest.fixture
def redis_down(settings):
    """The production cache and the Celery broker both at a Redis port nobody listens on (yet);
    sign-in rate limits on, as in production. Yields the Redis URL."""
    redis_or_skip()
    if shutil.which("redis-server") is None:
        pytest.skip("no redis-server to start once the queue is 'back'")
    url = f"redis://127.0.0.1:{free_port()}/0"
    # The cache base.py configures whenever REDIS_URL is set, at the dead port.
    settings.CACHES = {
        "default": {"BACKEND": "config.cache.FaultTolerantRedisCache", "LOCATION": url}
    }
    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}
    conf.update(task_always_eager=False, broker_url=url)
    _drop_broker_connections()
    try:
        yield url
    finally:
        conf.update(saved)
        _drop_broker_connections()


def _drop_broker_connections() -> None:
    """The Celery app keeps its connection pool; a changed broker URL needs a new one."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@contextmanager
def redis_server(url: str):
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    server = subprocess.Popen(
        [
            shutil.which("redis-server"),
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
                break
            except redis.exceptions.ConnectionError:
                if time.monotonic() > deadline:
                    pytest.fail(f"redis-server did not start on port {port}")
                time.sleep(0.1)
        yield
    finally:
        server.terminate()
        server.wait(timeout=10)


def sign_in(client, email: str) -> None:
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": email, "password": django_settings.DEMO_PASSWORD}
    )
    assert response.status_code == 302, f"{email} could not sign in"


def wait_until_finished(jobs: list, timeout: float = 240) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for job in jobs:
            job.refresh_from_db()
        if all(job.is_finished for job in jobs):
            return
        time.sleep(0.3)
    pytest.fail(f"not finished in {timeout}s: {[(job, job.status, job.progress) for job in jobs]}")


MAIN_PAGES = {
    "coordinator@example.org": [
        reverse("home"),
        reverse("mentoring:pairings"),
        reverse("portal:city_list"),
        reverse("portal:invitations"),
        reverse("reporting:reports"),
        reverse("actionplans:plans"),
        reverse("toolkits:toolkits"),
        reverse("claims:list"),
    ],
    "officer.gdansk@example.org": [reverse("home"), "/cities/gdansk/", reverse("mentoring:events")],
    "supervisor.gdansk@example.org": [
        reverse("home"),
        reverse("reporting:reports"),
        reverse("claims:list"),
    ],
    "expert@example.org": [reverse("home"), reverse("actionplans:plans")],
    "partner@example.org": [reverse("home"), reverse("toolkits:catalogue")],
}


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_pages_work_and_jobs_wait_until_it_is_back(
    demo_with_plans, client, redis_down, media_root
):
    programme = demo_with_plans
    # A wrong password goes through allauth's rate limit, which lives in the (dead) cache.
    wrong = client.post(
        reverse("account_login"), {"login": "coordinator@example.org", "password": "nope"}
    )
    assert wrong.status_code == 200
    assert wrong.context["form"].errors
    for email, urls in MAIN_PAGES.items():
        sign_in(client, email)
        for url in urls:
            assert client.get(url).status_code == 200, (email, url)

    sign_in(client, "coordinator@example.org")
    started = time.monotonic()
    gdansk = programme.participations.get(city__slug="gdansk").city
    asked = client.post(
        reverse("reporting:reports"),
        {
            "programme": programme.pk,
            "city": gdansk.pk,
            "first_month": "2017-09",
            "last_month": "2017-11",
            "language": "en",
        },
        follow=True,
    )
    report = StaffCostReport.objects.get()
    edition = ToolkitEdition.objects.select_related("toolkit").order_by("pk").first()
    edition_url = reverse("toolkits:edition_pdf", args=[edition.toolkit.slug, edition.number, "en"])
    rendering_page = client.get(edition_url, follow=True)
    version = PlanVersion.objects.order_by("pk").first()
    plan_url = reverse("actionplans:version_pdf", args=[version.plan_id, version.number, "en"])
    plan_page = client.get(plan_url, follow=True)
    asking = time.monotonic() - started
    assert asking < 10, f"asking for three jobs with Redis down took {asking:.1f}s"

    jobs = [report, Rendering.objects.get(), PlanPdf.objects.get()]
    for job, page in zip(jobs, [asked, rendering_page, plan_page], strict=True):
        assert page.status_code == 200
        html = page.content.decode()
        assert f'data-job-field="waiting">{WAITING}' in html, type(job).__name__
        job.refresh_from_db()
        assert (job.status, job.enqueued_at) == (JobStatus.QUEUED, None)
        assert job.status_payload()["waiting_for_queue"] is True
    assert client.get(edition_url).status_code == 302, "no file yet: the rendering's page"

    with (
        redis_server(redis_down),
        celery_worker(DJANGO_MEDIA_ROOT=str(media_root), REDIS_URL=redis_down) as queue,
    ):
        celery_app.conf.task_default_queue = queue
        # Beat's sweep and the worker's own sweep when it started may both hand them over:
        # each job is still sent once (row locks) and run once (start() claims it).
        jobs_module.sweep()
        wait_until_finished(jobs)

    for job in jobs:
        assert job.status == JobStatus.DONE, job.error
        assert job.attempts == 1
    for fmt in ("pdf", "csv", "xlsx"):
        download = client.get(reverse("reporting:report_download", args=[report.pk, fmt]))
        assert download.status_code == 200
        assert hashlib.sha256(body(download)).hexdigest() == getattr(report, fmt).sha256
    for url, job in [(edition_url, jobs[1]), (plan_url, jobs[2])]:
        download = client.get(url)
        assert download.status_code == 200
        content = body(download)
        assert hashlib.sha256(content).hexdigest() == job.pdf.sha256
        assert pdf_pages(content) >= 1


# A disk that fills up half-way through a file ----------------------------------------------------


@pytest.fixture
def disk_fills_up(monkeypatch):
    """``fill(after=n)``: the next n files are stored whole, then one is cut half-way through
    with "No space left on device". Returns the storage names of the half-written files.
    ``monkeypatch.undo()`` frees the disk."""
    real_save = FileSystemStorage._save

    def fill(after: int = 0) -> list[str]:
        whole, cut = [after], []

        def save(storage, name, content):
            if whole[0] > 0:
                whole[0] -= 1
                return real_save(storage, name, content)
            data = b"".join(content.chunks())
            path = Path(storage.path(name))
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data[: len(data) // 2])
            cut.append(name)
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(FileSystemStorage, "_save", save)
        return cut

    return fill


def assert_no_file_offered(cut: list[str], html: str, retry_url: str) -> None:
    assert len(cut) == 1, "a file was cut half-way"
    assert not StoredFile.objects.filter(file=cut[0]).exists(), "no row points at the half file"
    assert "No space left on device" in html, "the person who asked sees why"
    assert f'action="{retry_url}"' in html
    assert "job-files" not in html, "no table of files to download"


@pytest.mark.django_db
def test_a_report_cut_off_by_a_full_disk_offers_no_file_and_retry_builds_it(
    client, media_root, disk_fills_up, monkeypatch, django_capture_on_commit_callbacks
):
    world = build_time_world()
    rate(world, world.officer, 2017, "52000")
    record(world, world.officer, date(2017, 1, 2), 8, description="Needs analysis")
    approved_month(world, world.officer, date(2017, 1, 1))
    client.force_login(world.coordinator)
    cut = disk_fills_up(after=1)  # the PDF is stored whole, the CSV is cut half-way
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("reporting:reports"),
            {
                "programme": world.programme.pk,
                "city": world.city.pk,
                "first_month": "2017-01",
                "last_month": "2017-03",
                "language": "en",
            },
        )
    report = StaffCostReport.objects.get()
    assert report.status == JobStatus.FAILED
    assert (report.pdf_id, report.csv_id, report.xlsx_id) == (None, None, None)
    retry = reverse("reporting:report_retry", args=[report.pk])
    html = client.get(report.get_absolute_url()).content.decode()
    assert_no_file_offered(cut, html, retry)
    for fmt in ("pdf", "csv", "xlsx"):
        url = reverse("reporting:report_download", args=[report.pk, fmt])
        assert url not in html
        assert client.get(url).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.attempts) == (JobStatus.DONE, 2)
    assert "job-files" in client.get(report.get_absolute_url()).content.decode()
    for fmt in ("pdf", "csv", "xlsx"):
        download = client.get(reverse("reporting:report_download", args=[report.pk, fmt]))
        assert hashlib.sha256(body(download)).hexdigest() == getattr(report, fmt).sha256
    assert pdf_pages(report.pdf.file.read()) >= 1


@pytest.mark.django_db
def test_a_toolkit_pdf_cut_off_by_a_full_disk_offers_no_file_and_retry_makes_it(
    client, media_root, disk_fills_up, monkeypatch, django_capture_on_commit_callbacks
):
    world = build_toolkit_world()
    edition = four_city_edition(world)
    url = reverse("toolkits:edition_pdf", args=[edition.toolkit.slug, edition.number, "en"])
    client.force_login(world.partner)
    cut = disk_fills_up()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
    rendering = Rendering.objects.get()
    assert rendering.requested_by == world.partner
    assert (rendering.status, rendering.pdf_id) == (JobStatus.FAILED, None)
    page = reverse("toolkits:rendering", args=[rendering.pk])
    assert first.url == page
    retry = reverse("toolkits:rendering_retry", args=[rendering.pk])
    assert_no_file_offered(cut, client.get(page).content.decode(), retry)
    again = client.get(url)
    assert (again.status_code, again.url) == (302, page), "the download sends to the page"

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    rendering.refresh_from_db()
    assert (rendering.status, rendering.attempts) == (JobStatus.DONE, 2)
    assert "job-files" in client.get(page).content.decode()
    content = body(client.get(url))
    assert hashlib.sha256(content).hexdigest() == rendering.pdf.sha256
    assert pdf_pages(content) >= 1


@pytest.mark.django_db
def test_a_plan_pdf_cut_off_by_a_full_disk_offers_no_file_and_retry_makes_it(
    client, media_root, disk_fills_up, monkeypatch, django_capture_on_commit_callbacks
):
    world = build_plan_world()
    version = plan_services.plan_submit(drafted_plan(world), by=fresh(world.author))
    url = reverse("actionplans:version_pdf", args=[version.plan_id, version.number, "en"])
    client.force_login(world.author)
    cut = disk_fills_up()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
    job = PlanPdf.objects.get()
    assert (job.status, job.pdf_id) == (JobStatus.FAILED, None)
    page = reverse("actionplans:pdf", args=[job.pk])
    assert first.url == page
    retry = reverse("actionplans:pdf_retry", args=[job.pk])
    assert_no_file_offered(cut, client.get(page).content.decode(), retry)
    again = client.get(url)
    assert (again.status_code, again.url) == (302, page), "the download sends to the page"
    status = client.get(reverse("actionplans:pdf_status", args=[job.pk])).json()
    assert status["status"] == "failed"
    assert "No space left on device" in status["error"]

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(retry).status_code == 302
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 2)
    assert "job-files" in client.get(page).content.decode()
    content = body(client.get(url))
    assert hashlib.sha256(content).hexdigest() == job.pdf.sha256
    assert pdf_pages(content) >= 1


# The cache itself ---------------------------------------------------------------------------------


def test_the_cache_carries_on_without_redis_and_works_with_it(caplog):
    from config.cache import FaultTolerantRedisCache

    down = FaultTolerantRedisCache(f"redis://127.0.0.1:{free_port()}/0", {})
    started = time.monotonic()
    assert down.add("lock", 1) is True, "a lock is taken: allauth carries on"
    assert down.get("key", "missing") == "missing"
    down.set("key", "value")
    assert down.get_many(["key"]) == {}
    assert down.set_many({"key": "value"}) == []
    with pytest.raises(ValueError, match="not found"):
        down.incr("counter")
    assert down.delete("key") is False
    assert time.monotonic() - started < 2
    assert "Cache unreachable" in caplog.text

    redis_or_skip()
    up = FaultTolerantRedisCache(REDIS_URL, {"KEY_PREFIX": f"faults-{free_port()}"})
    up.set("key", "value", 30)
    assert up.get("key") == "value"
    assert up.add("key", "other") is False
    up.delete("key")


def test_with_redis_down_notifications_wait_in_the_outbox_and_go_out_once_when_it_is_back(
    db, redis_down, django_capture_on_commit_callbacks, mailoutbox
):
    """An invitation and a plan's submission save their data and their e-mails with it; the
    request never runs the task itself (with the result backend down that hung for 20 s and
    answered 500). Once the queue is back the sweep sends each e-mail once."""
    from accounts import services as account_services
    from accounts.selectors import invitation_waits_for_queue

    world = build_plan_world()
    plan = drafted_plan(world)
    with django_capture_on_commit_callbacks(execute=True):
        plan_services.plan_submit(plan, by=fresh(world.author))
    with django_capture_on_commit_callbacks(execute=True):
        invitation = account_services.invitation_create(
            email="new.officer@example.org",
            role="officer",
            by=fresh(world.coordinator),
            city=world.pairing.implementing,
        )
    plan.refresh_from_db()
    assert plan.stage == "submitted"
    assert invitation.pk is not None
    assert mailoutbox == [], "nothing is sent from the web process"
    assert OutboxMessage.objects.count() == 2
    assert invitation_waits_for_queue(invitation)
    assert jobs_module.sweep()["sent"] == 0, "still down: the messages stay"
    assert OutboxMessage.objects.get(task="accounts.tasks.send_invitation").attempts == 1

    celery_app.conf.task_always_eager = True  # the queue is back (eager: runs them here)
    assert jobs_module.sweep()["sent"] == 2
    assert jobs_module.sweep()["sent"] == 0
    recipients = [address for message in mailoutbox for address in message.to]
    assert recipients.count("new.officer@example.org") == 1
    assert len(mailoutbox) >= 2  # the reviewers' notice and the invitation
    assert not invitation_waits_for_queue(invitation)


def test_every_task_of_the_portal_keeps_no_result():
    """A task whose result nobody reads must not write one: with Redis down the result backend
    held a request for 20 seconds before it failed."""
    apps = ["accounts", "actionplans", "documents", "notifications", "reporting", "toolkits"]
    for app in apps:
        importlib.import_module(f"{app}.tasks")
    ours = {name: task for name, task in celery_app.tasks.items() if name.split(".")[0] in apps}
    assert len(ours) >= 6
    assert [name for name, task in ours.items() if not task.ignore_result] == []


# Redis down while inviting and while asking for a report: saved, said, sent once when back ----


def mails_to(folder: Path, address: str) -> int:
    """How many e-mails the worker's file backend wrote to this address."""
    return sum(
        line == f"To: {address}"
        for path in folder.glob("*.log")
        for line in path.read_text().splitlines()
    )


def wait_for(ready, what: str, timeout: float = 120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = ready()
        if value:
            return value
        time.sleep(0.2)
    pytest.fail(f"not within {timeout}s: {what}")


def queue_drained(url: str, queue: str, unacked: int = 0) -> bool:
    """Nothing waits in the worker's queue, and no more of its messages than ``unacked`` (those
    of killed workers) are taken and unacknowledged."""
    broker = redis.Redis.from_url(url)
    taken = [json.loads(entry)[2] for entry in broker.hvals("unacked")]  # [message, exchange, key]
    return broker.llen(queue) == 0 and taken.count(queue) <= unacked


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_with_redis_down_an_invitation_and_a_report_answer_at_once_and_go_out_once_it_is_back(
    client, redis_down, media_root, tmp_path
):
    world = build_time_world()
    rate(world, world.officer, 2017, "52000")
    record(world, world.officer, date(2017, 1, 2), 8, description="Needs analysis")
    approved_month(world, world.officer, date(2017, 1, 1))
    client.force_login(world.coordinator)
    answers = []

    invited = client.post(
        reverse("portal:invitations"),
        {
            "email": "new.officer@example.org",
            "full_name": "Nowa Urzędniczka",
            "role": "officer",
            "where": f"city:{world.city.pk}",
        },
        follow=True,
    )
    answers += [invited.status_code, *(code for _url, code in invited.redirect_chain)]
    assert "The mail queue cannot be reached at the moment" in invited.content.decode()
    invitation = Invitation.objects.get(email="new.officer@example.org")
    assert invitation.sent_at is None

    report_form = {
        "programme": world.programme.pk,
        "city": world.city.pk,
        "first_month": "2017-01",
        "last_month": "2017-03",
        "language": "en",
    }
    for _ask in range(2):  # asked twice: the second joins the first
        asked = client.post(reverse("reporting:reports"), report_form, follow=True)
        answers += [asked.status_code, *(code for _url, code in asked.redirect_chain)]
        assert f'data-job-field="waiting">{WAITING}' in asked.content.decode()
    report = StaffCostReport.objects.get()
    answers.append(client.get(reverse("reporting:report_status", args=[report.pk])).status_code)
    assert [code for code in answers if code >= 500] == []
    # The invitation waits in the outbox, beside the notifications of the month's signature and
    # approval (the supervisor's and the officer's e-mails) and the layout of the approved
    # month's timesheet, which go out once Redis is back too.
    waiting = sorted(OutboxMessage.objects.values_list("task", flat=True))
    assert waiting == [
        "accounts.tasks.send_invitation",
        "notifications.tasks.deliver_notifications",
        "notifications.tasks.deliver_notifications",
        "reporting.tasks.make_timesheet_pdfs",
    ]

    mail = tmp_path / "mail"
    with redis_server(redis_down):
        queue = new_queue()
        celery_app.conf.task_default_queue = queue
        with celery_worker(
            queue,
            DJANGO_MEDIA_ROOT=str(media_root),
            REDIS_URL=redis_down,
            EMAIL_URL=f"filemail:///{mail}",  # an absolute path: four slashes
        ):
            # Beat's sweep, while the worker's own sweep at its start hands over the same.
            jobs_module.sweep()
            wait_until_finished([report])
            wait_for(lambda: mails_to(mail, "new.officer@example.org"), "the invitation")
            wait_for(lambda: queue_drained(redis_down, queue), "the queue to drain")
            assert jobs_module.sweep() == {"interrupted": 0, "requeued": 0, "sent": 0}

    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert mails_to(mail, "new.officer@example.org") == 1, "sent exactly once"
    assert OutboxMessage.objects.count() == 0
    assert (report.status, report.attempts) == (JobStatus.DONE, 1), report.error
    assert StaffCostReport.objects.count() == 1


# A worker's whole process group killed mid-job ----------------------------------------------------

# The lease is shortened for the test (production: a heartbeat every 15 s, a lease of 90 s) so
# that a job whose worker died counts as interrupted after 3 s rather than 90: the test waits
# for that once, and for two workers to start, in all about half a minute.
LEASE, HEARTBEAT = 3, 0.5


@pytest.fixture
def live_queue(settings):
    """This process sends tasks to the test Redis (not eagerly), on a queue of its own."""
    redis_or_skip()
    settings.TANDEM_JOB_LEASE_SECONDS = LEASE
    settings.TANDEM_JOB_HEARTBEAT_SECONDS = HEARTBEAT
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}
    queue = new_queue()
    conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    _drop_broker_connections()
    try:
        yield queue
    finally:
        conf.update(saved)
        _drop_broker_connections()


def finished_tasks(log: Path, name: str) -> int:
    return sum(name in line and "succeeded" in line for line in log.read_text().splitlines())


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_job_whose_worker_group_is_killed_shows_interrupted_then_the_sweep_finishes_it(
    client, live_queue, media_root, tmp_path
):
    from tests.documents.held_job import build_held

    world = build_time_world()
    rate(world, world.officer, 2017, "52000")
    record(world, world.officer, date(2017, 1, 2), 8, description="Needs analysis")
    approved_month(world, world.officer, date(2017, 1, 1))
    # Handed to the queue by the test itself (enqueued_at set: no sweep sends it as well).
    report = StaffCostReport.objects.create(
        programme=world.programme,
        city=world.city,
        first_month=date(2017, 1, 1),
        last_month=date(2017, 3, 1),
        requested_by=world.coordinator,
        enqueued_at=now(),
    )
    gate, runs, log = tmp_path / "gate", tmp_path / "runs.log", tmp_path / "worker-1.log"
    env = {
        "DJANGO_MEDIA_ROOT": str(media_root),
        "TANDEM_TEST_GATE": str(gate),
        "TANDEM_JOB_LEASE_SECONDS": str(LEASE),
        "TANDEM_JOB_HEARTBEAT_SECONDS": str(HEARTBEAT),
    }
    page = reverse("reporting:report", args=[report.pk])
    status = reverse("reporting:report_status", args=[report.pk])
    retry = reverse("reporting:report_retry", args=[report.pk])
    client.force_login(world.coordinator)

    with worker_group(live_queue, log, include="tests.documents.held_job", **env) as worker:
        build_held.delay(report.pk)
        wait_for(lambda: "start 1" in (runs.read_text() if runs.exists() else ""), "a run")
        # The same job's message again (a redelivery) while it runs under a live lease, taken
        # by the worker's other child: it does nothing.
        build_held.delay(report.pk)
        wait_for(lambda: finished_tasks(log, "build_held") == 1, "the second message")
        report.refresh_from_db()
        assert (report.status, report.attempts, report.progress) == (JobStatus.RUNNING, 1, 10)
        os.killpg(worker.pid, signal.SIGKILL)  # the machine dies: no process is left
        worker.wait(timeout=10)

    def interrupted() -> bool:
        report.refresh_from_db()
        return report.is_interrupted

    wait_for(interrupted, "the job to show interrupted", timeout=LEASE * 10)
    assert client.get(status).json()["status"] == "interrupted", "the status read notices"
    counts = jobs_module.sweep()
    assert (counts["interrupted"], counts["requeued"]) == (1, 1)
    report.refresh_from_db()
    assert (report.status, report.attempts, report.pdf_id) == (JobStatus.INTERRUPTED, 1, None)
    html = client.get(page).content.decode()
    assert "job-state-interrupted" in html
    assert "stopped answering" in html, "the reason"
    assert f'action="{retry}"' in html, "a Retry"
    assert client.get(status).json()["status"] == "interrupted"

    gate.touch()  # whichever run comes now goes through
    with celery_worker(live_queue, include="tests.documents.held_job", **env):
        wait_until_finished([report])
        wait_for(lambda: queue_drained(REDIS_URL, live_queue, unacked=1), "the queue to drain")
    report.refresh_from_db()
    assert (report.status, report.attempts) == (JobStatus.DONE, 2), report.error
    assert runs.read_text().splitlines() == ["start 1"], "the killed run never went on"
    files = {report.pdf_id, report.csv_id, report.xlsx_id} - {None}
    # The approved month's pages, laid out once at its approval for every report to reuse.
    files |= set(TimesheetPdf.objects.values_list("file_id", flat=True))
    assert set(StoredFile.objects.values_list("pk", flat=True)) == files, "no orphan file"
    on_disk = [path for path in Path(media_root).rglob("*") if path.is_file()]
    assert len(on_disk) == len(files), "no half file left in storage"
    assert "job-files" in client.get(page).content.decode()


# Database connections dropped under a running server -------------------------------------------

# The server's connections carry this name, so that the test drops only theirs.
SERVER_APPLICATION = "tandem-fault-web"
CRAWL_ROUNDS = 8


@contextmanager
def gunicorn_server(**extra_env: str):
    """gunicorn serving the portal from the test database, with kept connections (as production
    keeps them), until the block ends; prints what it logged."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"{database_url()}?application_name={SERVER_APPLICATION}",
        "DJANGO_CONN_MAX_AGE": "60",
        **extra_env,
    }
    log = tempfile.TemporaryFile("w+")  # a pipe nobody reads would fill up and stop the server
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2"]
        + ["--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=Path(__file__).resolve().parent.parent,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        for _ in range(600):
            assert server.poll() is None, "gunicorn did not start"
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.1)
        web = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        yield web
        web.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.seek(0)
        print(log.read()[-20000:])
        log.close()


def keep_dropping_server_connections(stop: threading.Event, dropped: list[int]) -> None:
    """Terminate every connection of the server once a second (as the crawl that found the
    fault did), idle or in the middle of a request, until told to stop."""
    with closing(psycopg2.connect(database_url())) as admin:
        admin.autocommit = True
        with admin.cursor() as cursor:
            while not stop.is_set():
                cursor.execute(
                    "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) "
                    "FROM pg_stat_activity WHERE application_name = %s",
                    [SERVER_APPLICATION],
                )
                dropped.append(cursor.fetchone()[0])
                stop.wait(1)


def crawl_pages(user) -> list[str]:
    """The pages a person opens without arguments, and the programme's own."""
    pages = [f"/{route}" for name, route in url_patterns() if "<" not in route and "(" not in route]
    pages = [page for page in pages if not page.startswith("/admin/") and "logout" not in page]
    return pages + [
        reverse("portal:programme", kwargs={"slug": user.memberships.first().programme.slug})
    ]


@pytest.mark.skipif(not connection.vendor == "postgresql", reason="drops PostgreSQL connections")
@pytest.mark.django_db(transaction=True)
def test_connections_dropped_during_a_crawl_cost_no_request(client):
    coordinator = CoordinatorFactory().user
    client.force_login(coordinator)
    session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    cookie = f"{django_settings.SESSION_COOKIE_NAME}={session}"
    pages = crawl_pages(coordinator)
    statuses: list[tuple[str, int]] = []
    dropped: list[int] = []
    with gunicorn_server() as server:
        stop = threading.Event()
        dropper = threading.Thread(target=keep_dropping_server_connections, args=(stop, dropped))
        dropper.start()
        try:
            for _ in range(CRAWL_ROUNDS):
                for page in pages:
                    server.request("GET", page, headers={"Cookie": cookie})
                    response = server.getresponse()
                    response.read()
                    statuses.append((page, response.status))
        finally:
            stop.set()
            dropper.join()
    print(f"{len(statuses)} requests, {sum(dropped)} of the server's connections dropped")
    assert sum(dropped) > 0, "no connection of the server was dropped"
    assert len(statuses) == CRAWL_ROUNDS * len(pages)
    assert [status for _page, status in statuses if status == 200], "the crawl saw no page"
    errors = [f"{page}: {status}" for page, status in statuses if status >= 500]
    assert not errors, f"{len(errors)} 5xx while {sum(dropped)} connections were dropped"
