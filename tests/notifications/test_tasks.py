"""The Celery tasks of notifications, as beat runs them: the schedule names each task by the name
it is registered under, and the tasks themselves (not only the services behind them) send each
reminder and digest once however often they run."""

from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest
from django.conf import settings
from django.core import mail

from config import clock
from config.celery_app import app as celery_app
from mentoring.models import StandardEventKind
from notifications import services, tasks
from notifications.models import Delivery, Notification
from reporting import services as time_services
from reporting.models import TimesheetMonth
from tests.accounts.factories import UserFactory
from tests.mentoring.event_factories import PairingEventFactory, build_world
from tests.reporting.factories import build_time_world, rate, record
from tests.reporting.factories import fresh as fresh_person

from .conftest import DIGEST_KIND

pytestmark = pytest.mark.django_db

BEAT_TASKS = {
    "notifications.tasks.send_digests": tasks.send_digests,
    "notifications.tasks.send_reminders": tasks.send_reminders,
    "notifications.tasks.forget_old_notifications": tasks.forget_old_notifications,
}


@pytest.mark.parametrize("name", sorted(BEAT_TASKS))
def test_beat_runs_each_notification_task_by_its_registered_name(name):
    scheduled = {entry["task"]: entry for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert name in scheduled, f"{name} is not in CELERY_BEAT_SCHEDULE"
    assert scheduled[name]["schedule"] > 0
    # The app reads the schedule from the settings (beat reads it there) ...
    assert name in {entry["task"] for entry in celery_app.conf.beat_schedule.values()}
    # ... and the name beat sends is the task of tasks.py, registered in the app.
    assert BEAT_TASKS[name].name == name
    assert name in celery_app.tasks
    assert celery_app.tasks[name] is BEAT_TASKS[name]._get_current_object()


# 10:00 in Brussels and Ghent on Monday 3 April 2017.
MONDAY = datetime(2017, 4, 3, 8, tzinfo=UTC)


@pytest.fixture
def one_of_every_reminder():
    """One object due for each reminder on MONDAY, and who each tells.

    - Olga's February, recorded and not signed (due from 5 March): Olga;
    - Ola's January, signed a week ago (five days' wait, not yet ten): her supervisor Sven;
    - the mentoring world's study visit begins tomorrow (4 April) and a second visit in seven
      days: the pairing's officers and expert, of each;
    - a visit whose report is due in seven days: the officers of its two cities."""
    time_world = build_time_world()
    rate(time_world, time_world.officer, 2017, "52000")
    rate(time_world, time_world.other_officer, 2017, "48000", city=time_world.other_city)
    record(time_world, time_world.officer, date(2017, 2, 6), 8)
    record(time_world, time_world.other_officer, date(2017, 1, 9), 6)
    january = TimesheetMonth.objects.get(person=time_world.other_officer, month=date(2017, 1, 1))
    with clock.fixed_at(MONDAY - timedelta(days=7)):
        time_services.month_submit(january, by=fresh_person(time_world.other_officer))

    world = build_world()
    PairingEventFactory(
        programme=world.programme,
        pairing=world.pairing,
        title="Third mentoring visit",
        starts_on=date(2017, 4, 10),
        ends_on=date(2017, 4, 11),
    )
    due_days = world.programme.report_due_days
    report_day = date(2017, 4, 10)  # seven days after MONDAY
    PairingEventFactory(
        programme=world.programme,
        pairing=world.pairing,
        title="Peer visit",
        kind=StandardEventKind.MENTORING_VISIT,
        starts_on=report_day - timedelta(days=due_days + 1),
        ends_on=report_day - timedelta(days=due_days),
        status="held",
    )
    visit_people = [world[role] for role in ("host_officer", "other_city_officer", "expert")]
    writers = [world[role] for role in ("host_officer", "other_city_officer")]
    Notification.objects.all().delete()
    mail.outbox.clear()
    return {
        "reporting.remind_unsigned": [time_world.officer],
        "reporting.remind_approval": [time_world.other_supervisor],
        # Two events: each participant is told of each once.
        "mentoring.event_soon": visit_people * 2,
        "mentoring.report_due": writers,
    }


def test_the_reminder_task_run_twice_a_day_sends_every_reminder_once(
    one_of_every_reminder, django_capture_on_commit_callbacks
):
    for moment in (MONDAY, MONDAY + timedelta(hours=1)):
        with clock.fixed_at(moment), django_capture_on_commit_callbacks(execute=True):
            tasks.send_reminders.apply().get()

    expected = {
        kind: sorted(person.email for person in people)
        for kind, people in one_of_every_reminder.items()
    }
    rows = Notification.objects.select_related("recipient")
    told = {
        kind: sorted(row.recipient.email for row in rows if row.kind == kind) for kind in expected
    }
    assert told == expected
    assert rows.count() == sum(len(people) for people in expected.values())
    assert not Notification.objects.filter(kind="reporting.approval_overdue").exists()
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # One e-mail per notification: none twice, none missing.
    sent = Counter((address, message.subject) for message in mail.outbox for address in message.to)
    assert set(sent.values()) == {1}
    assert len(mail.outbox) == rows.count()
    assert sorted(address for address, _subject in sent) == sorted(
        email for emails in expected.values() for email in emails
    )
    assert any("Reminder" in subject for _address, subject in sent)


def test_the_digest_task_sends_the_mornings_digest_once(kind, settings):
    settings.TANDEM_DIGEST_HOUR = 7
    person = UserFactory(time_zone="Europe/Brussels")
    services.notify(DIGEST_KIND, recipients=[person], params={"person": "A", "what": "the minutes"})
    Notification.objects.update(created_at=datetime(2026, 3, 10, 9, tzinfo=UTC))
    with clock.fixed_at(datetime(2026, 3, 11, 5, 30, tzinfo=UTC)):  # 6:30 in Brussels
        tasks.send_digests.apply().get()
    assert mail.outbox == []
    for _ in range(2):
        with clock.fixed_at(datetime(2026, 3, 11, 6, 15, tzinfo=UTC)):
            tasks.send_digests.apply().get()
    assert [message.to for message in mail.outbox] == [[person.email]]
    assert "A digested the minutes" in mail.outbox[0].body
    row = Notification.objects.get()
    assert (row.delivery, row.emailed_at) == (
        Delivery.DIGEST,
        datetime(2026, 3, 11, 6, 15, tzinfo=UTC),
    )


def test_the_forgetting_task_removes_old_read_notifications(kind, settings):
    settings.TANDEM_NOTIFICATIONS_KEEP_DAYS = 30
    person = UserFactory()
    for _ in range(3):
        services.notify("tests.thing_done", recipients=[person], params={"person": "A"})
    old, old_unread, recent = Notification.objects.order_by("pk")
    Notification.objects.filter(pk__in=[old.pk, old_unread.pk]).update(
        created_at=datetime(2026, 1, 1, tzinfo=UTC)
    )
    Notification.objects.filter(pk__in=[old.pk, recent.pk]).update(
        read_at=datetime(2026, 1, 2, tzinfo=UTC)
    )
    with clock.fixed_at(datetime(2026, 3, 1, tzinfo=UTC)):
        tasks.forget_old_notifications.apply().get()
    assert sorted(Notification.objects.values_list("pk", flat=True)) == [old_unread.pk, recent.pk]
