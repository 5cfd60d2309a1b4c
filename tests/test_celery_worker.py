"""A real Celery worker, in its own process, takes a task from Redis and does it.

Skipped only where no Redis is reachable and CI is not set; under CI a missing Redis fails.
"""

import email
import email.policy
import time
from pathlib import Path

import pytest
from celery import Celery
from django.db import transaction

from accounts.models import Invitation, Role
from accounts.services import invitation_create
from config.celery_app import app as celery_app
from documents.models import OutboxMessage
from notifications.models import Notification
from notifications.services import notify
from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.worker import REDIS_URL, celery_worker, new_queue


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


@pytest.fixture
def queue_to_redis():
    """This process hands its tasks to Redis (not eagerly), on a queue of its own."""
    conf = celery_app.conf
    saved = {key: conf[key] for key in ("task_always_eager", "broker_url", "task_default_queue")}
    queue = new_queue()
    conf.update(task_always_eager=False, broker_url=REDIS_URL, task_default_queue=queue)
    celery_app._pool = None  # a changed broker URL needs a new connection pool
    celery_app.amqp._producer_pool = None
    try:
        yield queue
    finally:
        conf.update(saved)
        celery_app._pool = None
        celery_app.amqp._producer_pool = None


def _mails(folder: Path) -> list[str]:
    return [path.read_text() for path in sorted(folder.glob("*.log"))]


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_worker_emails_a_notification_after_the_commit(queue_to_redis, tmp_path):
    """notify() in a transaction; at the commit the outbox hands the task to Redis; the worker
    (another process, its own settings) writes the e-mail, once."""
    mail = tmp_path / "mail"
    reader, actor = UserFactory(), UserFactory()
    with celery_worker(
        queue_to_redis,
        EMAIL_URL=f"filemail:///{mail}",  # an absolute path: four slashes
        TANDEM_SITE_URL="https://tandem.example.eu",
    ):
        with transaction.atomic():
            told = notify(
                "actionplans.approved",
                recipients=[reader, actor],
                link="/plans/7/",
                params={"person": "Sam Supervisor", "title": "Buy local", "city": "Riga"},
                programme="CITIES-GROW",
                key="worker.approved:7",
                actor=actor,
            )
            assert told == 1
        notification = Notification.objects.get(recipient=reader)
        deadline = time.monotonic() + 90
        while notification.emailed_at is None and time.monotonic() < deadline:
            time.sleep(0.2)
            notification.refresh_from_db()
        assert notification.emailed_at is not None, "the worker sent the e-mail"
    assert OutboxMessage.objects.count() == 0
    (written,) = _mails(mail)
    message = email.message_from_string(written, policy=email.policy.default)
    assert message["To"] == reader.email
    assert message["Subject"].strip() == (
        "[CITIES-GROW] Sam Supervisor has approved your local action plan “Buy local”."
    )
    assert (
        message["List-Unsubscribe"]
        .strip()
        .startswith("<https://tandem.example.eu/notifications/choose/")
    )
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "https://tandem.example.eu/plans/7/" in text
    assert 'href="https://tandem.example.eu/plans/7/"' in html
