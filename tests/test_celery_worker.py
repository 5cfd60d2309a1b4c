"""A real Celery worker, in its own process, takes a task from Redis and does it.

Skipped only where no Redis is reachable and CI is not set; under CI a missing Redis fails.
"""

import time

import pytest
from celery import Celery

from accounts.models import Invitation, Role
from accounts.services import invitation_create
from tests.accounts.factories import CoordinatorFactory
from tests.worker import REDIS_URL, celery_worker


@pytest.fixture
def worker_queue():
    with celery_worker() as queue:
        yield queue


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

    client = Celery("probe", broker=REDIS_URL, backend=REDIS_URL, set_as_current=False)
    started = time.monotonic()
    client.send_task("accounts.tasks.send_invitation", args=[invitation.pk], queue=worker_queue)
    # The task keeps no result (a result backend that is down must not hold anything up): what
    # it did shows in the database.
    deadline = time.monotonic() + 90
    while invitation.sent_at is None and time.monotonic() < deadline:
        time.sleep(0.2)
        invitation.refresh_from_db()
    assert invitation.sent_at is not None, "the worker wrote to the test database"
    print(f"round trip in {time.monotonic() - started:.1f}s")
