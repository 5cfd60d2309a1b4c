"""Telling people: one row per person told, once per event, e-mails after the commit in the
reader's language, the morning digest where each person is, and the housekeeping."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.db import transaction

from config import clock
from documents.models import OutboxMessage
from notifications import registry, services
from notifications.emails import read_preference_token
from notifications.models import Delivery, Notification, Preference
from tests.accounts.factories import UserFactory

from .conftest import DIGEST_KIND, KIND

pytestmark = pytest.mark.django_db

PARAMS = {"person": "Ada Actor", "period_month": "2026-03"}


def tell(recipients, *, key=None, actor=None, kind=KIND, **extra) -> int:
    return services.notify(
        kind,
        recipients=recipients,
        link="/things/7/",
        params=extra.pop("params", PARAMS),
        programme=extra.pop("programme", "CITIES-GROW"),
        key=key,
        actor=actor,
        **extra,
    )


# Who is told ---------------------------------------------------------------------------------


def test_one_row_per_recipient_not_the_actor_nor_inactive_nor_erased_people(kind):
    actor, one, two, gone, erased = UserFactory.create_batch(5)
    gone.is_active = False
    gone.save(update_fields=["is_active"])
    erased.erased_at = clock.now()
    erased.save(update_fields=["erased_at"])
    told = tell([actor, one, two, one, gone, erased, None], actor=actor)
    assert told == 2
    rows = Notification.objects.order_by("recipient_id")
    assert [row.recipient_id for row in rows] == sorted([one.pk, two.pk])
    assert {row.kind for row in rows} == {KIND}
    assert rows[0].params == PARAMS
    assert rows[0].link == "/things/7/"
    assert rows[0].programme == "CITIES-GROW"
    assert rows[0].read_at is None


def test_the_same_event_twice_tells_each_person_once(kind, django_capture_on_commit_callbacks):
    one, two = UserFactory.create_batch(2)
    with django_capture_on_commit_callbacks(execute=True):
        assert tell([one], key="tests.thing:1") == 1
    with django_capture_on_commit_callbacks(execute=True):
        # one was told already; two is new to it
        assert tell([one, two], key="tests.thing:1") == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert tell([one, two], key="tests.thing:1") == 0
    assert Notification.objects.filter(recipient=one).count() == 1
    assert sorted(address for message in mail.outbox for address in message.to) == sorted(
        [one.email, two.email]
    )


def test_a_notification_is_made_at_the_clocks_moment(kind):
    moment = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
    with clock.fixed_at(moment):
        tell([UserFactory()])
    assert Notification.objects.get().created_at == moment


def test_without_a_key_each_call_is_an_event_of_its_own(kind):
    one = UserFactory()
    tell([one])
    tell([one])
    assert Notification.objects.filter(recipient=one).count() == 2


def test_a_link_must_be_a_path_of_the_portal(kind):
    for link in ("https://evil.example.org/", "//evil.example.org/", "javascript:alert(1)"):
        with pytest.raises(ValueError, match="path of the portal"):
            services.notify(KIND, recipients=[UserFactory()], link=link)
    assert not Notification.objects.exists()


def test_a_rollback_leaves_nothing_and_sends_nothing(kind, django_capture_on_commit_callbacks):
    one = UserFactory()

    def failing_step() -> None:
        with transaction.atomic():
            tell([one])
            raise RuntimeError("the step failed")

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            failing_step()
    assert callbacks == []
    assert not Notification.objects.exists()
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []


# The e-mail --------------------------------------------------------------------------------


def test_the_email_goes_after_the_commit_only_to_those_who_want_it_at_once(
    kind, django_capture_on_commit_callbacks
):
    at_once, digest, portal = UserFactory.create_batch(3)
    Preference.objects.create(user=digest, kind=KIND, delivery=Delivery.DIGEST)
    Preference.objects.create(user=portal, kind=KIND, delivery=Delivery.PORTAL)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tell([at_once, digest, portal])
        assert mail.outbox == []  # not before the commit
    assert len(callbacks) == 1
    assert [message.to for message in mail.outbox] == [[at_once.email]]
    delivery = dict(Notification.objects.values_list("recipient_id", "delivery"))
    assert delivery == {
        at_once.pk: Delivery.EMAIL,
        digest.pk: Delivery.DIGEST,
        portal.pk: Delivery.PORTAL,
    }
    assert Notification.objects.get(recipient=at_once).emailed_at is not None
    assert Notification.objects.get(recipient=digest).emailed_at is None


def test_nobody_wanting_an_email_queues_nothing(kind, django_capture_on_commit_callbacks):
    portal = UserFactory()
    Preference.objects.create(user=portal, kind=KIND, delivery=Delivery.PORTAL)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        tell([portal])
    assert callbacks == []
    assert mail.outbox == []


def test_the_email_has_text_html_headers_subject_and_an_absolute_link(
    kind, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://tandem.example.eu/"
    reader = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([reader], params={**PARAMS, "comment": "Look at <b>this</b>."})
    (message,) = mail.outbox
    assert message.to == [reader.email]
    assert message.subject == "[CITIES-GROW] Ada Actor did the thing for March 2026"
    assert "Ada Actor did the thing for March 2026" in message.body
    assert "Open the thing: https://tandem.example.eu/things/7/" in message.body
    assert "Look at <b>this</b>." in message.body  # plain text is not escaped
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    assert 'href="https://tandem.example.eu/things/7/"' in html
    assert "Look at &lt;b&gt;this&lt;/b&gt;." in html  # the HTML part is
    one_click = message.extra_headers["List-Unsubscribe"]
    assert one_click.startswith("<https://tandem.example.eu/notifications/choose/")
    assert one_click.endswith("/>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    token = one_click.removeprefix("<https://tandem.example.eu/notifications/choose/")[:-2]
    assert read_preference_token(token) == (reader.pk, KIND)
    assert one_click[1:-1] in message.body
    assert one_click[1:-1] in html


def test_the_email_is_in_the_readers_language(kind, django_capture_on_commit_callbacks):
    german, english = UserFactory(language="de"), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([german, english])
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "März 2026" in by_address[german.email].subject
    assert "März 2026" in by_address[german.email].body
    assert 'lang="de"' in by_address[german.email].alternatives[0][0]
    assert "March 2026" in by_address[english.email].subject
    assert 'lang="en"' in by_address[english.email].alternatives[0][0]


def test_without_a_programme_the_subject_has_no_brackets(kind, django_capture_on_commit_callbacks):
    reader = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([reader], programme="")
    assert mail.outbox[0].subject == "Ada Actor did the thing for March 2026"


def test_deliver_twice_sends_once(kind, django_capture_on_commit_callbacks):
    reader = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        tell([reader], key="tests.thing:twice")
    assert len(mail.outbox) == 1
    assert services.deliver("tests.thing:twice") == 0
    assert len(mail.outbox) == 1


def test_deliver_does_not_write_to_someone_who_left_meanwhile(kind):
    reader = UserFactory()
    tell([reader], key="tests.thing:left")  # the commit (and the task) never come in this test
    reader.is_active = False
    reader.save(update_fields=["is_active"])
    assert services.deliver("tests.thing:left") == 0
    assert mail.outbox == []
    assert Notification.objects.get(recipient=reader).emailed_at is not None  # not tried again


# Preferences -------------------------------------------------------------------------------


def test_the_kinds_default_removes_the_choice(kind):
    person = UserFactory()
    services.preference_set(user=person, kind=KIND, delivery=Delivery.PORTAL)
    assert services.delivery_of(person, KIND) == Delivery.PORTAL
    assert services.preference_set(user=person, kind=KIND, delivery=Delivery.EMAIL) is None
    assert not Preference.objects.filter(user=person).exists()
    assert services.delivery_of(person, KIND) == Delivery.EMAIL


def test_no_such_kind_or_way_is_refused(kind):
    from django.core.exceptions import ValidationError

    person = UserFactory()
    with pytest.raises(ValidationError):
        services.preference_set(user=person, kind="tests.no_such_kind", delivery=Delivery.EMAIL)
    with pytest.raises(ValidationError):
        services.preference_set(user=person, kind=KIND, delivery="pigeon")
    assert not Preference.objects.exists()


# The digest --------------------------------------------------------------------------------


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_the_digest_goes_in_each_persons_morning(kind, settings):
    """7:00 in Seoul (UTC+9) is 22:00 UTC the day before; 7:00 in Los Angeles (UTC-7 in
    March, after the clocks changed) is 14:00 UTC."""
    settings.TANDEM_DIGEST_HOUR = 7
    seoul = UserFactory(time_zone="Asia/Seoul")
    los_angeles = UserFactory(time_zone="America/Los_Angeles")
    portal = UserFactory(time_zone="Asia/Seoul")
    Preference.objects.create(user=portal, kind=DIGEST_KIND, delivery=Delivery.PORTAL)
    for what in ("the minutes", "the budget"):
        services.notify(
            DIGEST_KIND,
            recipients=[seoul, los_angeles, portal],
            link="/things/7/",
            params={"person": "Ada Actor", "what": what},
            programme="CITIES-GROW",
        )
    Notification.objects.update(created_at=_moment("2026-03-10T12:00:00"))
    assert mail.outbox == []

    # 22:00 in Seoul, 5:00 in Los Angeles: Seoul's morning (7:00) came before the items did.
    assert services.send_digests(_moment("2026-03-10T13:00:00")) == 0
    # 6:30 in Seoul on the 11th (not yet), 14:30 in Los Angeles (its morning was at 14:00 UTC).
    assert services.send_digests(_moment("2026-03-10T21:30:00")) == 1
    assert [message.to for message in mail.outbox] == [[los_angeles.email]]
    # 7:30 in Seoul.
    assert services.send_digests(_moment("2026-03-10T22:30:00")) == 1
    assert [message.to for message in mail.outbox][1:] == [[seoul.email]]
    # Run again: nothing more.
    assert services.send_digests(_moment("2026-03-10T23:00:00")) == 0
    assert len(mail.outbox) == 2

    message = mail.outbox[1]
    assert message.subject == "[CITIES-GROW] Your Tandem digest: 2 notifications"
    assert "Ada Actor digested the minutes" in message.body
    assert "Ada Actor digested the budget" in message.body
    assert message.body.index("the minutes") < message.body.index("the budget")
    html = message.alternatives[0][0]
    assert "Ada Actor digested the budget" in html
    assert 'href="http' in html
    # Times are shown where the reader is: 12:00 UTC is 21:00 in Seoul.
    assert "March 10, 2026, 9 p.m." in message.body
    assert not Notification.objects.filter(recipient=portal, emailed_at__isnull=False).exists()


def test_what_comes_after_the_morning_waits_for_the_next(kind, settings):
    settings.TANDEM_DIGEST_HOUR = 7
    person = UserFactory(time_zone="Europe/Brussels")
    services.notify(DIGEST_KIND, recipients=[person], params={"person": "A", "what": "x"})
    Notification.objects.update(created_at=_moment("2026-03-10T09:00:00"))  # 10:00 in Brussels
    assert services.send_digests(_moment("2026-03-10T15:00:00")) == 0
    assert services.send_digests(_moment("2026-03-11T05:59:00")) == 0  # 6:59 in Brussels
    assert services.send_digests(_moment("2026-03-11T06:00:00")) == 1


# Housekeeping ------------------------------------------------------------------------------


def test_forget_old_removes_only_old_read_ones(kind, settings):
    settings.TANDEM_NOTIFICATIONS_KEEP_DAYS = 30
    person = UserFactory()
    now = _moment("2026-06-01T12:00:00")
    for _ in range(4):
        tell([person])
    old_read, old_unread, new_read, new_unread = Notification.objects.order_by("pk")
    Notification.objects.filter(pk__in=[old_read.pk, old_unread.pk]).update(
        created_at=now - timedelta(days=31)
    )
    Notification.objects.filter(pk__in=[new_read.pk, new_unread.pk]).update(
        created_at=now - timedelta(days=29)
    )
    Notification.objects.filter(pk__in=[old_read.pk, new_read.pk]).update(read_at=now)
    assert services.forget_old(now) == 1
    assert set(Notification.objects.values_list("pk", flat=True)) == {
        old_unread.pk,
        new_read.pk,
        new_unread.pk,
    }


def test_run_reminders_calls_the_registered_reminders_and_tells_once(kind):
    person = UserFactory()
    seen = []

    def remind_of_the_thing(now) -> int:
        seen.append(now)
        return services.notify(
            KIND,
            recipients=[person],
            params=PARAMS,
            key=f"tests.thing_due:7:{now.date().isoformat()}",
        )

    registry.reminder(remind_of_the_thing)
    try:
        moment = _moment("2026-03-02T08:00:00")
        assert remind_of_the_thing in registry.reminders()
        assert services.run_reminders(moment) == 1
        assert services.run_reminders(moment) == 0
        assert seen == [moment, moment]
        with clock.fixed_at(moment):
            assert services.run_reminders() == 0  # the clock's moment: the same deadline
        assert Notification.objects.filter(recipient=person).count() == 1
    finally:
        registry.forget_reminder(remind_of_the_thing)
    assert remind_of_the_thing not in registry.reminders()


# History ------------------------------------------------------------------------------------


def test_history_shows_in_the_portal_and_sends_nothing(
    kind, settings, django_capture_on_commit_callbacks
):
    settings.TANDEM_DIGEST_HOUR = 7
    by_email, by_digest = UserFactory(), UserFactory()
    services.preference_set(user=by_digest, kind=KIND, delivery=Delivery.DIGEST)
    with django_capture_on_commit_callbacks(execute=True), services.as_history():
        assert tell([by_email, by_digest]) == 2
    assert OutboxMessage.objects.count() == 0
    assert mail.outbox == []
    assert services.send_digests(clock.now() + timedelta(days=1)) == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 2
    # After the block, the same call e-mails again.
    with django_capture_on_commit_callbacks(execute=True):
        tell([by_email])
    assert [message.to for message in mail.outbox] == [[by_email.email]]


def test_the_demo_tells_its_story_as_history(demo):
    told = Notification.objects.all()
    assert told.count() > 100
    assert not told.filter(emailed_at__isnull=True).exists()
    assert not OutboxMessage.objects.filter(task__startswith="notifications.").exists()
    # Each person keeps (at most about) their three newest unread.
    officer = told.filter(recipient__email="officer.gdansk@example.org")
    assert 0 < officer.filter(read_at__isnull=True).count() <= 3 < officer.count()
