"""A Celery worker killed in the middle of a job: the job runs again, finishes once, and no
half-written file is ever offered for download.

Run it against a PostgreSQL database of its own (its name must contain "kill" or "bench": the
script creates it if needed and empties it before seeding) and a Redis database::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tandem_h6_kill \\
    REDIS_URL=redis://127.0.0.1:6379/6 \\
        .venv/bin/python bench/kill_worker.py --practices 100 --lease 5

It seeds a toolkit of N practices (bench/toolkits.py's seed), starts a real worker (prefork, one
child, its own process group, on a queue of its own, with the portal's base settings), asks for
the edition's PDF through the service, waits until the job is running and laying out pages, then
kills the worker in one of two ways:

- ``child``: SIGKILL to the pool process only (what the kernel's OOM killer does). The worker's
  main process sees its child die and, as the tasks are ``reject_on_worker_lost``, puts the
  message back on the queue at once; a fresh child takes it, finds the job running under a live
  lease and does nothing (a job never has two runs at once).
- ``group``: SIGKILL to the whole process group (the machine or container dies). Nobody is left
  to put the message back: Redis keeps it among the unacknowledged messages until the broker's
  ``visibility_timeout``.

In both, the job's lease (``--lease``, TANDEM_JOB_LEASE_SECONDS; 90 s in production) then
expires: the job shows as interrupted, and the script runs the sweep that beat runs every
minute, which hands it over again (for ``group`` to a new worker it starts).

After the kill it checks that the job is not done, has no file, and that its download address
sends to the job's page rather than serving anything; after the restart, that the job ran again
(attempts 2), finished once (one stored file, still one a few seconds later), and that the file
is whole: pypdf opens it, its SHA-256 is the row's, and the download serves the same bytes.
Figures are printed and written to --out (default var/bench/kill-worker.md).
"""

import argparse
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# The portal's own settings: Redis broker and cache from REDIS_URL, the database from
# DATABASE_URL. (bench/settings.py keeps Celery in memory; here a real worker is the point.)
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
MEDIA = ROOT / "var" / "bench" / "kill-media"
LOGS = ROOT / "var" / "bench"


def ensure_database(url: str) -> None:
    import psycopg2

    name = urlparse(url).path.lstrip("/")
    if "kill" not in name and "bench" not in name:
        raise SystemExit(f"Refusing to empty {name!r}: its name must contain 'kill' or 'bench'.")
    admin = psycopg2.connect(url.rsplit("/", 1)[0] + "/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


class Worker:
    """``celery worker`` in a process group of its own, logging to a file."""

    def __init__(self, queue: str, label: str) -> None:
        self.log_path = LOGS / f"kill-worker-{label}.log"
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=prefork",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env={**os.environ, "DJANGO_MEDIA_ROOT": str(MEDIA)},
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def children(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()] if path.exists() else []

    def kill_child(self) -> int:
        (child,) = self.children()
        os.kill(child, signal.SIGKILL)
        return child

    def kill_group(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()


def check(condition: bool, what: str) -> None:
    if not condition:
        raise SystemExit(f"FAILED: {what}")


def wait_for(ready, timeout: float, what: str, every: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = ready()
        if value:
            return value
        time.sleep(every)
    raise SystemExit(f"Timed out after {timeout:.0f}s waiting for {what}.")


def run(scenario: str, edition, queue: str, visibility_timeout: int, lease: float) -> dict:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from documents import jobs
    from documents.models import JobStatus, StoredFile
    from toolkits import services
    from toolkits.models import Rendering

    Rendering.objects.filter(edition=edition).delete()
    StoredFile.objects.all().delete()
    shutil.rmtree(MEDIA, ignore_errors=True)  # so that the files left afterwards are this run's
    client = Client(HTTP_HOST="localhost")
    download = reverse("toolkits:edition_pdf", args=[edition.toolkit.slug, edition.number, "en"])
    figures: dict = {"scenario": scenario}
    first = Worker(queue, f"{scenario}-1")
    second = None
    try:
        time.sleep(3)  # the worker connects to Redis
        by = User.objects.get(email="bench.expert@example.org")
        asked = time.monotonic()
        rendering = services.edition_rendering(edition, language="en", by=by)

        def laying_out():
            rendering.refresh_from_db()
            return rendering.status == JobStatus.RUNNING and rendering.progress >= 15

        wait_for(laying_out, 300, "the job to be laying out pages")
        time.sleep(1.0)  # well inside the layout step
        rendering.refresh_from_db()
        figures["killed_at"] = f"{time.monotonic() - asked:.1f} s after asking"
        figures["progress_at_kill"] = f"{rendering.progress}% ({rendering.progress_note})"
        killed = time.monotonic()
        if scenario == "child":
            figures["killed"] = f"pool process {first.kill_child()} (SIGKILL)"
        else:
            first.kill_group()
            figures["killed"] = f"process group {first.process.pid} (SIGKILL)"
        time.sleep(0.5)

        rendering.refresh_from_db()
        answer = client.get(download)
        after_kill = {
            "status": rendering.status,
            "attempts": rendering.attempts,
            "file": rendering.pdf_id,
            "stored_files": StoredFile.objects.count(),
            "download": f"{answer.status_code} → {answer.get('Location', '')}",
        }
        figures["after_kill"] = after_kill
        check(rendering.status != JobStatus.DONE, "the killed job is not done")
        check(rendering.pdf_id is None, "the killed job has no file")
        check(StoredFile.objects.count() == 0, "the killed run stored nothing")
        check(answer.status_code == 302, "the download sends to the job's page, no file")
        check(
            answer["Location"] == reverse("toolkits:rendering", args=[rendering.pk]),
            "the download sends to the job's page",
        )

        # Nobody runs the job while its lease lasts (a message given back at once, as in the
        # child scenario, finds it running under that lease and does nothing). Once the lease
        # has expired the job shows as interrupted, and the sweep (beat's, every minute) hands
        # it over again.
        def interrupted():
            rendering.refresh_from_db()
            return rendering.is_interrupted

        wait_for(interrupted, lease + 60, "the job to show as interrupted")
        figures["interrupted"] = f"{time.monotonic() - killed:.1f} s after the kill"
        figures["swept"] = jobs.sweep()
        if scenario == "group":
            # Like a machine that comes back: a new worker.
            second = Worker(queue, f"{scenario}-2")
            figures["new_worker_started"] = f"{time.monotonic() - killed:.1f} s after the kill"

        def started_again():
            rendering.refresh_from_db()
            return rendering.attempts >= 2

        wait_for(started_again, visibility_timeout + 300, "the job to run again", every=0.2)
        figures["restarted"] = f"{time.monotonic() - killed:.1f} s after the kill"

        def finished():
            rendering.refresh_from_db()
            return rendering.is_finished

        wait_for(finished, 600, "the job to finish")
        figures["finished"] = f"{time.monotonic() - killed:.1f} s after the kill"
        time.sleep(5)  # a second redelivery would show as a third attempt or a second file
        rendering = Rendering.objects.select_related("pdf").get(pk=rendering.pk)
        check(rendering.status == JobStatus.DONE, rendering.error)
        check(rendering.attempts == 2, f"ran {rendering.attempts} times")
        check(StoredFile.objects.count() == 1, "one file stored, by the run that finished")
        figures.update(check_file(rendering, client, download))
        figures["attempts"] = rendering.attempts
        figures["files_in_storage"] = sum(1 for path in MEDIA.rglob("*") if path.is_file())
    finally:
        first.stop()
        if second is not None:
            second.stop()
    return figures


def check_file(rendering, client, download: str) -> dict:
    from pypdf import PdfReader

    path = Path(rendering.pdf.file.path)
    content = path.read_bytes()
    check(hashlib.sha256(content).hexdigest() == rendering.pdf.sha256, "the file is whole")
    pages = len(PdfReader(path).pages)
    answer = client.get(download)
    check(answer.status_code == 200, "the download serves the file")
    served = b"".join(answer.streaming_content)
    check(hashlib.sha256(served).hexdigest() == rendering.pdf.sha256, "the download is the file")
    return {"pdf_pages": pages, "pdf_bytes": len(content), "sha256": rendering.pdf.sha256[:16]}


def markdown(results: list[dict], practices: int, lease: float) -> str:
    lines = [
        "## A worker killed mid-job (`bench/kill_worker.py`)",
        "",
        f"A toolkit edition of {practices} practices rendered by a real worker (prefork, one "
        f"child) on Redis; job lease {lease:g} s for the run (production: 90 s, and beat's "
        "sweep every 60 s). Every check passed.",
        "",
        "| | killed | progress at kill | after the kill | interrupted | job ran again | done "
        "| attempts | PDF |",
        "|---|---|---|---|---|---|---|---:|---|",
    ]
    for r in results:
        after = r["after_kill"]
        state = (
            f"status {after['status']}, no file ({after['stored_files']} stored), "
            f"download {after['download']}"
        )
        lines.append(
            f"| {r['scenario']} | {r['killed']}, {r['killed_at']} | {r['progress_at_kill']} | "
            f"{state} | {r['interrupted']} | {r['restarted']} | {r['finished']} | "
            f"{r['attempts']} | "
            f"{r['pdf_pages']} pages, {r['pdf_bytes']:,} bytes, SHA-256 matches the row and "
            f"the download; {r['files_in_storage']} file in storage |"
        )
    lines += [
        "",
        "- child: the worker's main process saw its pool child die and put the message back "
        "(`reject_on_worker_lost`); a fresh child took it, found the job running under a live "
        "lease and did nothing.",
        "- group: nothing was left to put the message back"
        + (
            f"; a new worker was started {results[-1].get('new_worker_started', '?')}."
            if results and results[-1]["scenario"] == "group"
            else "."
        ),
        "- In both, the job showed as interrupted (with a Retry) once its lease expired, and the "
        "sweep beat runs every minute handed it over again; in production a job killed this way "
        "starts again within about 2.5 minutes (lease 90 s + sweep 60 s), not 20.",
        "- In both, the killed run left no file and no stored row: the download address sent "
        "to the job's page (status running) until the second run stored the whole file.",
    ]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=100)
    parser.add_argument("--visibility-timeout", type=int, default=20)
    parser.add_argument("--scenarios", default="child,group")
    parser.add_argument("--lease", type=float, default=5.0, help="TANDEM_JOB_LEASE_SECONDS")
    parser.add_argument("--skip-seed", action="store_true")
    parser.add_argument("--out", default=str(LOGS / "kill-worker.md"))
    args = parser.parse_args()
    if not os.environ.get("REDIS_URL") or not os.environ.get("DATABASE_URL"):
        raise SystemExit("Set DATABASE_URL (a database of its own) and REDIS_URL.")
    ensure_database(os.environ["DATABASE_URL"])
    os.environ["CELERY_VISIBILITY_TIMEOUT"] = str(args.visibility_timeout)
    os.environ["TANDEM_JOB_LEASE_SECONDS"] = str(args.lease)
    os.environ["TANDEM_JOB_HEARTBEAT_SECONDS"] = str(args.lease / 5)
    os.environ["DJANGO_MEDIA_ROOT"] = str(MEDIA)
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    LOGS.mkdir(parents=True, exist_ok=True)

    import django

    django.setup()
    from django.core.management import call_command

    from bench.toolkits import seed
    from config.celery_app import app
    from toolkits.models import ToolkitEdition

    call_command("migrate", verbosity=0)
    if not args.skip_seed:
        seeded = seed(args.practices)
        print(f"Seeded {args.practices} practices in {seeded['seconds']} s")
    edition = ToolkitEdition.objects.select_related("toolkit").get()
    queue = f"tandem-kill-{uuid.uuid4().hex[:8]}"
    app.conf.task_default_queue = queue  # the jobs this process queues go to our worker
    results = []
    for scenario in args.scenarios.split(","):
        print(f"Scenario {scenario} …", flush=True)
        figures = run(scenario, edition, queue, args.visibility_timeout, args.lease)
        print(figures, flush=True)
        results.append(figures)
    report = markdown(results, args.practices, args.lease)
    Path(args.out).write_text(report)
    print(report)


if __name__ == "__main__":
    main()
