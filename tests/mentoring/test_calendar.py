"""iCalendar feeds: secret links per person, parsed back to check what calendar apps get."""

import hashlib
import importlib
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import CalendarToken, Event, EventStatus, StandardEventKind
from mentoring.services.events import calendar_token_regenerate, event_transition
from tests.mentoring.event_factories import EventFactory, PairingEventFactory, World, build_world
from tests.mentoring.factories import PairingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return build_world()


def person_feed(token: str) -> str:
    return reverse("mentoring:calendar_person_feed", kwargs={"token": token})


def programme_feed(token: str, programme) -> str:
    return reverse(
        "mentoring:calendar_programme_feed", kwargs={"token": token, "slug": programme.slug}
    )


def fetch(client, url: str) -> dict[str, icalendar.Event]:
    """The feed's events by title, from a client that is not signed in."""
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"]
    return {str(item["SUMMARY"]): item for item in calendar.walk("VEVENT")}


@pytest.fixture
def token(world) -> str:
    return calendar_token_regenerate(user=world["coordinator"]).secret


def test_an_event_as_calendar_apps_see_it(client, world, token, settings):
    settings.SITE_URL = "https://tandem.example.org"
    Event.objects.filter(pk=world.held.pk).update(agenda="Day 1: talks", online_url="https://m.x")
    item = fetch(client, person_feed(token))["Mentoring visit"]
    assert str(item["UID"]) == f"event-{world.held.pk}@tandem.example.org"
    assert str(item["URL"]) == f"https://tandem.example.org/events/{world.held.pk}/"
    # From 09:00 on the first day to 17:00 on the last, in the event's zone, named by TZID.
    zone = world.held.time_zone
    assert item.decoded("DTSTART") == datetime(2017, 10, 10, 9, tzinfo=ZoneInfo(zone))
    assert item.decoded("DTEND") == datetime(2017, 10, 12, 17, tzinfo=ZoneInfo(zone))
    assert (item["DTSTART"].params["TZID"], item["DTEND"].params["TZID"]) == (zone, zone)
    assert str(item["STATUS"]) == "CONFIRMED"
    assert "Day 1: talks" in str(item["DESCRIPTION"])
    assert f"https://tandem.example.org/events/{world.held.pk}/" in str(item["DESCRIPTION"])
    assert str(world.implementing) in str(item["LOCATION"])
    assert item["CATEGORIES"].cats == ["Mentoring visit"]


def test_statuses_and_cancelled_events_stay_in_the_feed(client, world, token):
    confirmed = EventFactory(programme=world.programme, title="Confirmed webinar")
    event_transition(event=confirmed, to=EventStatus.CONFIRMED)
    event_transition(event=world.planned, to=EventStatus.CANCELLED, reason="Snow")
    items = fetch(client, person_feed(token))
    assert str(items["Study visit"]["STATUS"]) == "CANCELLED"
    assert "Snow" in str(items["Study visit"]["DESCRIPTION"])
    assert str(items["Confirmed webinar"]["STATUS"]) == "CONFIRMED"
    assert str(items["Launch meeting"]["STATUS"]) == "CONFIRMED"
    planned = EventFactory(programme=world.programme, title="Planned webinar")
    assert str(fetch(client, person_feed(token))[planned.title]["STATUS"]) == "TENTATIVE"


def test_uids_are_stable_across_fetches_and_feeds(client, world, token):
    first = fetch(client, person_feed(token))
    Event.objects.filter(pk=world.held.pk).update(title="Mentoring visit")
    again = fetch(client, person_feed(token))
    of_programme = fetch(client, programme_feed(token, world.programme))
    for title in first:
        assert first[title]["UID"] == again[title]["UID"] == of_programme[title]["UID"]
    assert len({str(item["UID"]) for item in first.values()}) == len(first) == 3


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("coordinator", {"Mentoring visit", "Study visit", "Launch meeting", "Other scheme"}),
        ("expert", {"Mentoring visit", "Study visit", "Launch meeting"}),
        ("other_expert", {"Launch meeting", "Other scheme"}),
        ("host_officer", {"Mentoring visit", "Study visit", "Launch meeting"}),
        ("unrelated_officer", {"Launch meeting", "Other scheme"}),
        ("supervisor", {"Mentoring visit", "Study visit", "Launch meeting"}),
        ("partner", set()),
        ("outsider", {"Elsewhere"}),
    ],
)
def test_a_persons_feed_holds_the_events_that_concern_them(client, world, role, expected):
    other = PairingFactory(scheme=world.other_scheme, mentor=world.unrelated)
    PairingEventFactory(
        programme=world.programme, pairing=other, host_city=world.unrelated, title="Other scheme"
    )
    outsiders_programme = world["outsider"].memberships.get().programme
    EventFactory(programme=outsiders_programme, title="Elsewhere")
    token = calendar_token_regenerate(user=world[role]).secret
    assert set(fetch(client, person_feed(token))) == expected


def test_a_programme_feed_holds_all_its_events(client, world):
    token = calendar_token_regenerate(user=world["unrelated_officer"]).secret
    EventFactory(title="Another programme's event")
    titles = set(fetch(client, programme_feed(token, world.programme)))
    assert titles == {"Mentoring visit", "Study visit", "Launch meeting"}


def test_a_programme_feed_only_for_ones_programmes(client, world):
    token = calendar_token_regenerate(user=world["outsider"]).secret
    assert client.get(programme_feed(token, world.programme)).status_code == 404


def test_unknown_or_old_tokens_are_not_found(client, world, token):
    assert client.get(person_feed("not-a-token")).status_code == 404
    assert client.get(programme_feed("not-a-token", world.programme)).status_code == 404
    new = calendar_token_regenerate(user=world["coordinator"]).secret
    assert client.get(person_feed(token)).status_code == 404
    assert new != token
    assert client.get(person_feed(new)).status_code == 200


def test_a_deactivated_person_has_no_feed(client, world, token):
    world["coordinator"].is_active = False
    world["coordinator"].save()
    assert client.get(person_feed(token)).status_code == 404


def test_tokens_are_long_and_unique(world):
    tokens = {calendar_token_regenerate(user=world[role]).secret for role in ("expert", "partner")}
    assert len(tokens) == 2
    assert all(len(token) >= 40 for token in tokens)


def test_the_calendar_page_creates_shows_and_renews_the_links(client, world, settings):
    settings.SITE_URL = "https://tandem.example.org"
    client.force_login(world["host_officer"])
    page = client.get(reverse("mentoring:calendar")).content.decode()
    assert "Create my calendar links" in page
    response = client.post(reverse("mentoring:calendar_regenerate"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "Your calendar links are ready." in page
    assert "Tandem shows them only this once" in page
    token = re.search(r"https://tandem\.example\.org/calendar/([^/]+)/events\.ics", page)[1]
    assert (
        f"https://tandem.example.org/calendar/{token}/programme-{world.programme.slug}.ics" in page
    )
    assert client.get(person_feed(token)).status_code == 200

    # Shown once: later visits say when they were made and offer new ones, without the secret.
    page = client.get(reverse("mentoring:calendar")).content.decode()
    assert token not in page
    assert "You made your calendar links on" in page
    assert "Make new links" in page
    response = client.post(reverse("mentoring:calendar_regenerate"))
    assert "the old ones no longer work" in response.content.decode()
    assert client.get(person_feed(token)).status_code == 404


def test_only_the_hash_is_stored(world):
    secret = calendar_token_regenerate(user=world["coordinator"]).secret
    stored = CalendarToken.objects.get(user=world["coordinator"]).token_hash
    assert stored == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(list(CalendarToken.objects.values()))


def test_the_migration_hashes_existing_tokens_in_place(client, world):
    """A link subscribed to before tokens were hashed keeps working after the migration."""
    old = "a-token-from-before-hashing-0123456789abcdefghij"
    CalendarToken.objects.create(user=world["coordinator"], token_hash=old)  # as stored then
    migration = importlib.import_module("mentoring.migrations.0007_hash_calendar_tokens")
    migration.hash_tokens(django_apps, None)
    assert CalendarToken.objects.get(user=world["coordinator"]).token_hash != old
    assert client.get(person_feed(old)).status_code == 200


def test_feed_query_count_does_not_grow_with_events(client, world, token):
    def count(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    urls = [person_feed(token), programme_feed(token, world.programme)]
    small = [count(url) for url in urls]
    for _ in range(5):
        pairing = PairingFactory(scheme=world.scheme)
        PairingEventFactory(programme=world.programme, pairing=pairing)
        EventFactory(
            programme=world.programme, kind=StandardEventKind.CONFERENCE, host_city=pairing.mentor
        )
    assert [count(url) for url in urls] == small
    assert len(fetch(client, urls[0])) == 3 + 10
