"""Who hears of pairings, events and visit reports, once each, with a calendar file where an
event is planned, moved or cancelled; and the reminders before events and report deadlines."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core import mail
from django.db import transaction

from accounts.models import Role, User
from accounts.services import membership_grant
from mentoring import notifications
from mentoring.models import Event, EventReport, Pairing, PairingStatus, StandardEventKind
from mentoring.services import participation_add
from mentoring.services.events import (
    RecommendationInput,
    event_create,
    event_transition,
    event_update,
    report_save,
)
from mentoring.services.pairings import pairing_create, pairing_transition
from notifications.models import Delivery, Notification
from notifications.services import preference_set, run_reminders, send_digests
from tests.accounts.factories import UserFactory
from tests.cities.factories import CityFactory
from tests.mentoring.event_factories import World, build_world, fresh, kind_of

pytestmark = pytest.mark.django_db

UTC = ZoneInfo("UTC")


@pytest.fixture
def world(db) -> World:
    return build_world()


def told(kind: str) -> list[str]:
    """Who holds a notification of ``kind``, by full name, sorted."""
    rows = Notification.objects.filter(kind=f"mentoring.{kind}").select_related("recipient")
    return sorted(row.recipient.full_name for row in rows)


def mailed_to(world, *roles: str) -> list[str]:
    return sorted(world[role].email for role in roles)


def addresses() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def calendar_of(message) -> icalendar.Calendar:
    files = [item for item in message.attachments if item[2] == "text/calendar"]
    assert len(files) == 1, message.attachments
    filename, content, _mimetype = files[0]
    assert filename.endswith(".ics")
    content = content if isinstance(content, bytes) else content.encode()
    assert b"BEGIN:VEVENT" in content
    return icalendar.Calendar.from_ical(content)


def names(world, *roles: str) -> list[str]:
    return sorted(world[role].full_name for role in roles)


def then_fail(step) -> None:
    """Take the step inside a transaction that something later makes fail."""
    with transaction.atomic():
        step()
        raise RuntimeError("something later failed")


PAIRING_PEOPLE = ("other_city_officer", "unrelated_officer", "expert")
VISIT_PEOPLE = ("host_officer", "other_city_officer", "expert")


def propose(world, **options) -> Pairing:
    """A new pairing: the world's mentor city mentoring the unrelated city."""
    return pairing_create(
        scheme=world.scheme,
        mentor=world.mentor,
        implementing=world.unrelated,
        by=fresh(world["coordinator"]),
        **options,
    )


# Pairings -----------------------------------------------------------------------------------


def test_a_proposed_pairing_tells_the_officers_of_both_cities_and_the_expert(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing = propose(world)
    assert told("pairing_proposed") == names(world, *PAIRING_PEOPLE)
    assert addresses() == mailed_to(world, *PAIRING_PEOPLE)
    message = mail.outbox[0]
    assert message.subject.startswith(f"[{world.programme.name}] ")
    assert f"{world.mentor.name} ↔ {world.unrelated.name}" in message.subject
    assert pairing.get_absolute_url() in message.body


def test_activating_and_withdrawing_a_pairing_tell_the_same_people_once_each(
    world, django_capture_on_commit_callbacks
):
    pairing = propose(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing = pairing_transition(
            pairing=pairing, to=PairingStatus.ACTIVE, by=fresh(world["expert"])
        )
    # The expert took the step: the others hear of it.
    assert told("pairing_activated") == names(world, "other_city_officer", "unrelated_officer")
    assert addresses() == mailed_to(world, "other_city_officer", "unrelated_officer")
    assert "is now active" in mail.outbox[0].subject
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing_transition(
            pairing=pairing, to=PairingStatus.WITHDRAWN, reason="The mayor changed her mind."
        )
    assert told("pairing_withdrawn") == names(world, *PAIRING_PEOPLE)
    assert addresses() == mailed_to(world, *PAIRING_PEOPLE)
    assert "The mayor changed her mind." in mail.outbox[0].body
    assert told("pairing_proposed") == names(world, *PAIRING_PEOPLE)  # still once


def test_completing_a_pairing_tells_nobody(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        pairing_transition(pairing=world.pairing, to=PairingStatus.COMPLETED)
    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_nothing_is_told_when_the_proposal_rolls_back(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            then_fail(lambda: propose(world))
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    assert not Pairing.objects.filter(implementing=world.unrelated).exists()


# Events -------------------------------------------------------------------------------------


def plan_visit(world, **changes) -> Event:
    data = {
        "programme": world.programme,
        "pairing": world.pairing,
        "kind": kind_of(world.programme, StandardEventKind.MENTORING_VISIT),
        "title": "Second mentoring visit",
        "host_city": world.implementing,
        "starts_on": date(2018, 2, 6),
        "ends_on": date(2018, 2, 8),
        "venue": "City hall",
        "by": fresh(world["coordinator"]),
    }
    data.update(changes)
    return event_create(**data)


def test_a_planned_visit_tells_its_participants_with_a_calendar_file(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event = plan_visit(world)
    assert told("event_planned") == names(world, *VISIT_PEOPLE)
    assert addresses() == mailed_to(world, *VISIT_PEOPLE)
    for message in mail.outbox:
        assert "Second mentoring visit" in message.subject
        assert event.get_absolute_url() in message.body
        calendar = calendar_of(message)
        (item,) = calendar.walk("VEVENT")
        assert str(item["SUMMARY"]) == "Second mentoring visit"
        assert item["DTSTART"].params["TZID"] == event.time_zone
        assert item["DTSTART"].dt == datetime(2018, 2, 6, 9, tzinfo=ZoneInfo(event.time_zone))
        assert f"TZID:{event.time_zone}" in calendar.to_ical().decode()


def test_an_event_of_the_whole_programme_tells_every_city_and_expert_of_it(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_create(
            programme=world.programme,
            kind=kind_of(world.programme, StandardEventKind.WEBINAR),
            title="Webinar on procurement",
            starts_on=date(2018, 3, 1),
            online_url="https://meet.example.org/procurement",
            by=fresh(world["coordinator"]),
        )
    everyone = ("host_officer", "other_city_officer", "unrelated_officer", "expert")
    assert told("event_planned") == names(world, *everyone, "other_expert")
    assert "Supervisor" not in told("event_planned")


def test_moving_an_event_tells_its_participants_with_a_new_calendar_file(
    world, django_capture_on_commit_callbacks
):
    event = plan_visit(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, starts_on=date(2018, 2, 13), ends_on=date(2018, 2, 15))
    assert told("event_moved") == names(world, *VISIT_PEOPLE)
    assert addresses() == mailed_to(world, *VISIT_PEOPLE)
    message = mail.outbox[0]
    assert "has moved" in message.subject
    (item,) = calendar_of(message).walk("VEVENT")
    assert item["DTSTART"].dt.date() == date(2018, 2, 13)
    assert item["DTSTART"].params["TZID"] == event.time_zone


def test_a_second_move_is_told_again(world, django_capture_on_commit_callbacks):
    event = plan_visit(world)
    event_update(event=event, start_time=time(10))
    event_update(event=event, venue="Town hall, room 2")
    assert len(told("event_moved")) == 2 * len(VISIT_PEOPLE)


def test_other_changes_are_told_without_a_calendar_file(world, django_capture_on_commit_callbacks):
    event = plan_visit(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, agenda="Day 1: the market halls", by=fresh(world["expert"]))
    assert told("event_changed") == names(world, "host_officer", "other_city_officer")
    assert told("event_moved") == []
    assert addresses() == mailed_to(world, "host_officer", "other_city_officer")
    assert mail.outbox[0].attachments == []


def test_saving_an_event_unchanged_tells_nobody(world, django_capture_on_commit_callbacks):
    event = plan_visit(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_update(event=event, title="Second mentoring visit", venue="City hall")
    assert told("event_moved") == told("event_changed") == []
    assert mail.outbox == []


def test_a_cancelled_event_tells_its_participants_why(world, django_capture_on_commit_callbacks):
    event = plan_visit(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        event_transition(event=event, to="confirmed")
    assert mail.outbox == []  # confirming is not news
    with django_capture_on_commit_callbacks(execute=True):
        event_transition(
            event=event, to="cancelled", reason="The venue is flooded.", by=world["coordinator"]
        )
    assert told("event_cancelled") == names(world, *VISIT_PEOPLE)
    assert addresses() == mailed_to(world, *VISIT_PEOPLE)
    message = mail.outbox[0]
    assert "is cancelled" in message.subject
    assert "The venue is flooded." in message.body
    (item,) = calendar_of(message).walk("VEVENT")
    assert str(item["STATUS"]) == "CANCELLED"


def test_nothing_is_told_when_planning_rolls_back(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            then_fail(lambda: plan_visit(world))
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []


# Reports ------------------------------------------------------------------------------------


def test_a_published_report_reaches_both_cities_once(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report = report_save(
            event=world.held,
            findings="The markets buy local.",
            recommendations=[RecommendationInput(text="Publish tenders in Polish.")],
            by=fresh(world["expert"]),
        )
    assert told("report_published") == names(world, "host_officer", "other_city_officer")
    assert addresses() == mailed_to(world, "host_officer", "other_city_officer")
    assert report.get_absolute_url() in mail.outbox[0].body
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        report_save(event=world.held, findings="The markets buy local, mostly.")
    assert mail.outbox == []
    assert len(told("report_published")) == 2


def test_the_writer_of_the_report_is_not_told_of_it(world):
    report_save(event=world.held, findings="Found.", by=fresh(world["host_officer"]))
    assert told("report_published") == names(world, "other_city_officer")


# Reminders ----------------------------------------------------------------------------------

# world.planned: the study visit hosted by the mentor city (Brussels' zone), 4 to 6 April 2017.
# world.held: the mentoring visit, held 10 to 12 October 2017, without a report (due 30 days
# after: 11 November 2017).


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


def test_an_event_is_reminded_of_seven_days_and_one_day_before_once_each(
    world, django_capture_on_commit_callbacks
):
    assert notifications.events_coming(at(date(2017, 3, 27))) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        notifications.events_coming(at(date(2017, 3, 28)))
        notifications.events_coming(at(date(2017, 3, 28), 11))
    assert told("event_soon") == names(world, *VISIT_PEOPLE)
    assert addresses() == mailed_to(world, *VISIT_PEOPLE)
    assert "Study visit" in mail.outbox[0].subject
    assert notifications.events_coming(at(date(2017, 3, 30))) == 0
    notifications.events_coming(at(date(2017, 4, 3)))
    notifications.events_coming(at(date(2017, 4, 3), 20))
    assert len(told("event_soon")) == 2 * len(VISIT_PEOPLE)


def test_the_reminders_run_twice_tell_each_person_once(world, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run_reminders(at(date(2017, 3, 28)))
        run_reminders(at(date(2017, 3, 28)))
    assert addresses() == mailed_to(world, *VISIT_PEOPLE)


def test_a_moved_event_is_reminded_of_its_new_day(world):
    notifications.events_coming(at(date(2017, 3, 28)))
    event_update(event=world.planned, starts_on=date(2017, 4, 11), ends_on=date(2017, 4, 13))
    assert notifications.events_coming(at(date(2017, 3, 28), 11)) == 0
    assert notifications.events_coming(at(date(2017, 4, 4))) == 3
    assert len(told("event_soon")) == 2 * len(VISIT_PEOPLE)


def test_cancelled_and_held_events_are_not_reminded_of(world):
    event_transition(event=world.planned, to="cancelled", reason="No budget.")
    assert notifications.events_coming(at(date(2017, 3, 28))) == 0


def test_a_reminder_counts_the_days_of_the_events_own_zone(world):
    seoul = CityFactory(
        name="Seoul", slug="seoul", country="KR", latitude="37.5665", longitude="126.978"
    )
    participation_add(programme=world.programme, city=seoul)
    officer = UserFactory(full_name="Seoul Officer")
    membership_grant(user=officer, role=Role.OFFICER, city=seoul)
    event_create(
        programme=world.programme,
        kind=kind_of(world.programme, StandardEventKind.PEER_REVIEW),
        title="Peer review in Seoul",
        host_city=seoul,
        starts_on=date(2017, 11, 6),
        venue="Seoul City Hall",
    )
    # 30 October, 20:00 UTC is already 31 October in Seoul: six days before the review there
    # (UTC would count seven).
    assert notifications.events_coming(at(date(2017, 10, 30), 20)) == 0
    # 29 October, 16:00 UTC is 30 October in Seoul: seven days before (UTC would count eight).
    assert notifications.events_coming(at(date(2017, 10, 29), 16)) > 0
    assert "Seoul Officer" in told("event_soon")


@pytest.mark.parametrize("days", ["", "0"])
def test_no_reminder_days_send_no_reminders(world, days):
    world.programme.reminder_days_before = days
    world.programme.save(update_fields=["reminder_days_before"])
    for day in (date(2017, 3, 28), date(2017, 4, 3), date(2017, 11, 4), date(2017, 11, 10)):
        assert run_reminders(at(day)) == 0
    assert Notification.objects.count() == 0


def test_a_report_due_is_reminded_of_to_its_writers_once(world, django_capture_on_commit_callbacks):
    assert notifications.reports_due(at(date(2017, 11, 3))) == 0
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.reports_due(at(date(2017, 11, 4))) == 2
        notifications.reports_due(at(date(2017, 11, 4), 22))
    assert told("report_due") == names(world, "host_officer", "other_city_officer")
    assert addresses() == mailed_to(world, "host_officer", "other_city_officer")
    assert f"/events/{world.held.pk}/report/" in mail.outbox[0].body
    notifications.reports_due(at(date(2017, 11, 10)))
    notifications.reports_due(at(date(2017, 11, 10), 12))
    assert len(told("report_due")) == 4


def test_a_written_report_is_not_reminded_of(world):
    report_save(event=world.held, findings="Found.")
    assert notifications.reports_due(at(date(2017, 11, 4))) == 0


def test_no_deadline_sends_no_report_reminders(world):
    world.programme.report_due_days = 0
    world.programme.save(update_fields=["report_due_days"])
    for day in (date(2017, 10, 5), date(2017, 10, 11), date(2017, 11, 4), date(2017, 11, 10)):
        assert notifications.reports_due(at(day)) == 0
    assert told("report_due") == []


# Choices and rollbacks of every step --------------------------------------------------------

# Each step (pairing, event, report), who chose the portal only, who the morning digest, and who
# still hears of it at once.
CHOOSING = {
    "pairing_proposed": (
        lambda world: propose(world),
        "unrelated_officer",
        "other_city_officer",
        ["expert"],
    ),
    "event_planned": (
        lambda world: plan_visit(world),
        "host_officer",
        "other_city_officer",
        ["expert"],
    ),
    "report_published": (
        lambda world: report_save(
            event=world.held, findings="The markets buy local.", by=fresh(world["expert"])
        ),
        "host_officer",
        "other_city_officer",
        [],
    ),
}


@pytest.mark.parametrize("kind", list(CHOOSING))
def test_who_chose_the_portal_or_the_digest_is_not_e_mailed_at_once(
    world, kind, django_capture_on_commit_callbacks
):
    step, portal, digest, at_once = CHOOSING[kind]
    preference_set(user=world[portal], kind=f"mentoring.{kind}", delivery=Delivery.PORTAL)
    preference_set(user=world[digest], kind=f"mentoring.{kind}", delivery=Delivery.DIGEST)
    User.objects.filter(pk=world[digest].pk).update(time_zone="Europe/Brussels")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        step(world)
    assert told(kind) == names(world, portal, digest, *at_once)
    assert addresses() == mailed_to(world, *at_once)
    rows = Notification.objects.filter(kind=f"mentoring.{kind}")
    in_portal = rows.get(recipient=world[portal])
    digested = rows.get(recipient=world[digest])
    assert (in_portal.delivery, in_portal.emailed_at) == (Delivery.PORTAL, None)
    assert (digested.delivery, digested.emailed_at) == (Delivery.DIGEST, None)

    # The next morning the digest brings it, to the one who chose the digest only.
    rows.update(created_at=at(date(2026, 3, 10)))
    mail.outbox.clear()
    assert send_digests(at(date(2026, 3, 11))) == 1
    (message,) = mail.outbox
    assert message.to == [world[digest].email]
    assert "digest" in message.subject
    assert digested.link in message.body
    assert rows.get(recipient=world[digest]).emailed_at is not None
    assert rows.get(recipient=world[portal]).emailed_at is None


def _proposed(world) -> Pairing:
    pairing = propose(world)
    Notification.objects.all().delete()
    return pairing


def _planned(world) -> Event:
    event = plan_visit(world)
    Notification.objects.all().delete()
    return event


# Each step: what it starts from (made and told before the transaction), the step, and what
# shows that the step was rolled back.
ROLLED_BACK = {
    "pairing_activated": (
        _proposed,
        lambda pairing, world: pairing_transition(
            pairing=pairing, to=PairingStatus.ACTIVE, by=fresh(world["expert"])
        ),
        lambda pairing: Pairing.objects.get(pk=pairing.pk).status == PairingStatus.PROPOSED,
    ),
    "pairing_withdrawn": (
        _proposed,
        lambda pairing, world: pairing_transition(
            pairing=pairing, to=PairingStatus.WITHDRAWN, reason="The mayor changed her mind."
        ),
        lambda pairing: Pairing.objects.get(pk=pairing.pk).status == PairingStatus.PROPOSED,
    ),
    "event_moved": (
        _planned,
        lambda event, world: event_update(
            event=event, starts_on=date(2018, 2, 13), ends_on=date(2018, 2, 15)
        ),
        lambda event: Event.objects.get(pk=event.pk).starts_on == date(2018, 2, 6),
    ),
    "event_changed": (
        _planned,
        lambda event, world: event_update(event=event, agenda="Day 1: the market halls"),
        lambda event: Event.objects.get(pk=event.pk).agenda == "",
    ),
    "event_cancelled": (
        _planned,
        lambda event, world: event_transition(
            event=event, to="cancelled", reason="The venue is flooded."
        ),
        lambda event: Event.objects.get(pk=event.pk).status == "planned",
    ),
    "report_published": (
        lambda world: world.held,
        lambda event, world: report_save(
            event=event, findings="The markets buy local.", by=fresh(world["expert"])
        ),
        lambda event: not EventReport.objects.filter(event=event).exists(),
    ),
}


@pytest.mark.parametrize("kind", list(ROLLED_BACK))
def test_nothing_is_told_when_a_step_rolls_back(world, kind, django_capture_on_commit_callbacks):
    start, step, unchanged = ROLLED_BACK[kind]
    subject = start(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError):
            then_fail(lambda: step(subject, world))
    assert callbacks == []
    assert Notification.objects.count() == 0
    assert mail.outbox == []
    assert unchanged(subject)
    # The same step, committed, is told: the rollback, not the step, told nobody.
    with django_capture_on_commit_callbacks(execute=True):
        step(subject, world)
    assert told(kind)
    assert mail.outbox
