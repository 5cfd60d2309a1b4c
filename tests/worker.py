"""A real Celery worker in its own process, for the tests marked ``worker``.

Skipped only where no Redis is reachable and CI is not set; under CI a missing Redis fails.
"""

import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def redis_or_skip() -> None:
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.exceptions.ConnectionError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Redis at {REDIS_URL} is not reachable: {error}")
        pytest.skip(f"no Redis at {REDIS_URL}")


def database_url() -> str:
    """The URL of the test database this test process is using, for the worker to use too."""
    settings = connection.settings_dict
    if settings["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{settings['NAME']}"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{settings['USER']}{password}@{host}:{port}/{settings['NAME']}"


def worker_env(queue: str, **extra_env: str) -> dict[str, str]:
    """The worker's environment: base settings, the test database, Redis; what it queues
    itself (the sweep when it starts) goes to its own queue."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": "consolemail://",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **extra_env,
    }


def worker_command(queue: str, pool: str = "solo", include: str = "") -> list[str]:
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        f"--pool={pool}",
        *(["--concurrency=2"] if pool == "prefork" else []),
        *([f"--include={include}"] if include else []),
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        queue,
        "--loglevel=INFO",
    ]


def new_queue() -> str:
    return f"tandem-test-{uuid.uuid4().hex[:8]}"


@contextmanager
def celery_worker(queue: str | None = None, include: str = "", **extra_env: str) -> Iterator[str]:
    """Start `celery worker` on a queue of its own against Redis and the test database, also
    loading the modules ``include`` names; yield the queue's name; stop the worker afterwards
    and print what it logged."""
    redis_or_skip()
    queue = queue or new_queue()
    worker = subprocess.Popen(
        worker_command(queue, include=include),
        cwd=ROOT,
        env=worker_env(queue, **extra_env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        yield queue
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
        print(output)


@contextmanager
def worker_group(
    queue: str, log: Path, include: str = "", **extra_env: str
) -> Iterator[subprocess.Popen]:
    """`celery worker` (prefork, two children) in a process group of its own, as a machine or a
    container runs it, logging to ``log``, also loading the modules ``include`` names; yields
    the process, whose group a test may kill (os.killpg) as when the machine dies. Stopped
    afterwards if still alive."""
    redis_or_skip()
    with log.open("w") as output:
        worker = subprocess.Popen(
            worker_command(queue, pool="prefork", include=include),
            cwd=ROOT,
            env=worker_env(queue, **extra_env),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield worker
        finally:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(worker.pid, signal.SIGKILL)
                    worker.wait()
    print(log.read_text())
