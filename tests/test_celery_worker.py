"""A real Celery worker, in its own process, takes a task from Redis and answers through Redis.

Skipped only where no Redis is reachable and CI is not set; under CI a missing Redis fails.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from celery import Celery
from django.db import connection

from accounts.models import Invitation, Role
from accounts.services import invitation_create
from tests.accounts.factories import CoordinatorFactory

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


@pytest.fixture
def worker_queue():
    """Start `celery worker` on a queue of its own; stop it after the test."""
    redis_or_skip()
    queue = f"tandem-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        "EMAIL_URL": "consolemail://",
    }
    worker = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=INFO",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    worker.terminate()
    try:
        output, _ = worker.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        output, _ = worker.communicate()
    print(output)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_sends_an_invitation_through_redis(worker_queue):
    coordinator = CoordinatorFactory()
    invitation = invitation_create(  # eager here: the test process sends the first e-mail itself
        email="round.trip@example.org",
        role=Role.PARTNER,
        programme=coordinator.programme,
        by=coordinator.user,
    )
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=None)

    client = Celery("probe", broker=REDIS_URL, backend=REDIS_URL)
    started = time.monotonic()
    result = client.send_task(
        "accounts.tasks.send_invitation", args=[invitation.pk], queue=worker_queue
    )
    assert result.get(timeout=90) == "round.trip@example.org"
    invitation.refresh_from_db()
    assert invitation.sent_at is not None, "the worker wrote to the test database"
    print(f"round trip in {time.monotonic() - started:.1f}s")
