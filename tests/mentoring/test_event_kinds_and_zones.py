"""Issue 15, events: a programme's own kinds of event (a six-day study visit), events at local
times in their host city's zone, and calendar feeds that carry the zone."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentoring.models import Event, EventKind, EventScope, HostSide, StandardEventKind
from mentoring.selectors.events import usual_time_zone
from mentoring.services import participation_add
from mentoring.services.event_kinds import event_kind_save
from mentoring.services.events import calendar_token_regenerate, event_create, event_update
from tests.cities.factories import CityFactory
from tests.mentoring.event_factories import World, build_world, kind_of
from tests.mentoring.factories import PairingFactory, ProgrammeFactory, SchemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return build_world()


def six_day_visit(world: World) -> EventKind:
    return event_kind_save(
        kind=EventKind(
            programme=world.programme,
            name="Six-day study visit",
            scope=EventScope.PAIRING,
            hosted=True,
            host_side=HostSide.MENTOR,
            usual_days=6,
        )
    )


def options(html: str, field: str) -> list[str]:
    select = re.search(rf'<select name="{field}".*?</select>', html, re.S)
    assert select, html
    return re.findall(r"<option[^>]*>([^<]*)</option>", select.group(0))


# A programme's own kinds ----------------------------------------------------------------------


def test_a_coordinator_adds_a_six_day_study_visit_in_the_browser(client, world):
    client.force_login(world["coordinator"])
    programme_page = client.get(world.programme.get_absolute_url()).content.decode()
    kinds_url = reverse("mentoring:event_kinds", args=[world.programme.slug])
    assert kinds_url in programme_page
    response = client.post(
        reverse("mentoring:event_kind_create", args=[world.programme.slug]),
        {
            "name": "Six-day study visit",
            "code": "",
            "scope": EventScope.PAIRING,
            "hosted": "on",
            "host_side": HostSide.MENTOR,
            "usual_days": "6",
        },
    )
    assert response.status_code == 302
    kind = EventKind.objects.get(programme=world.programme, name="Six-day study visit")
    assert (kind.code, kind.usual_days, kind.hosted) == ("six-day-study-visit", 6, True)
    listing = client.get(kinds_url).content.decode()
    assert "Six-day study visit" in listing
    assert "6 days" in listing


def test_bad_input_on_the_kind_form_is_kept_with_a_message(client, world):
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("mentoring:event_kind_create", args=[world.programme.slug]),
        {"name": "Webinar", "scope": EventScope.EITHER, "usual_days": "0"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 1." in page
    assert 'value="Webinar"' in page


def test_only_the_programmes_coordinators_edit_its_kinds(client, world):
    url = reverse("mentoring:event_kinds", args=[world.programme.slug])
    for role in ("expert", "host_officer", "outsider"):
        client.force_login(world[role])
        assert client.get(url).status_code in (403, 404), role


def test_the_event_form_offers_the_programmes_kinds_only(client, world):
    six_day_visit(world)
    other = ProgrammeFactory()
    event_kind_save(kind=EventKind(programme=other, name="Hackathon", usual_days=2))
    client.force_login(world["coordinator"])
    url = reverse("mentoring:event_create") + f"?pairing={world.pairing.pk}"
    offered = options(client.get(url).content.decode(), "kind")
    assert "Six-day study visit" in offered
    assert "Hackathon" not in offered
    # Kinds for the whole programme are not offered for a pairing.
    assert "Conference" not in offered
    mine = set(
        EventKind.objects.filter(programme=world.programme)
        .exclude(scope=EventScope.PROGRAMME)
        .values_list("name", flat=True)
    )
    assert set(offered) - {"---------"} == mine


def test_a_new_event_ends_after_its_kinds_usual_days(client, world):
    six_day_visit(world)
    client.force_login(world["coordinator"])
    url = reverse("mentoring:event_create") + f"?pairing={world.pairing.pk}"
    response = client.post(
        url,
        {
            "kind": "six-day-study-visit",
            "title": "Long study visit",
            "host_city": world.mentor.pk,
            "starts_on": "2017-05-08",
            "ends_on": "",
            "venue": "City hall",
        },
    )
    assert response.status_code == 302, response.content.decode()
    event = Event.objects.get(title="Long study visit")
    assert (event.starts_on, event.ends_on) == (date(2017, 5, 8), date(2017, 5, 13))
    assert event.length_in_days == 6
    # The script that fills the last day in as the kind is chosen has the lengths it needs.
    page = client.get(url).content.decode()
    assert "six-day-study-visit&quot;: 6" in page
    assert "/static/js/event-form.js" in page


def test_a_kind_of_another_programme_is_refused(client, world):
    other = ProgrammeFactory()
    foreign = event_kind_save(kind=EventKind(programme=other, name="Hackathon", usual_days=2))
    with pytest.raises(ValidationError) as refused:
        event_create(
            programme=world.programme,
            kind=foreign,
            title="Hack",
            starts_on=date(2017, 5, 8),
            online_url="https://meet.example.org/hack",
        )
    assert refused.value.message_dict["kind"] == [f"Choose one of the kinds of {world.programme}."]
    with pytest.raises(ValidationError) as refused:
        event_update(event=world.planned, kind=foreign)
    assert "kind" in refused.value.message_dict
    # Through the form, the other programme's kind is not a choice at all.
    client.force_login(world["coordinator"])
    url = reverse("mentoring:event_create") + f"?programme={world.programme.slug}"
    response = client.post(
        url, {"kind": foreign.code, "title": "Hack", "starts_on": "2017-05-08", "venue": "Hall"}
    )
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert 'value="Hack"' in response.content.decode()


def test_the_rules_come_from_the_kinds_flags(world):
    hosted = event_kind_save(
        kind=EventKind(programme=world.programme, name="Site visit", hosted=True)
    )
    with pytest.raises(ValidationError) as refused:
        event_create(
            programme=world.programme,
            kind=hosted,
            title="Site visit",
            starts_on=date(2017, 5, 8),
            venue="Port",
        )
    assert refused.value.message_dict["host_city"] == ["A site visit needs a host city."]


def test_a_kind_in_use_keeps_its_rules_but_may_be_renamed(world):
    kind = kind_of(world.programme, StandardEventKind.STUDY_VISIT)
    kind.scope = EventScope.EITHER
    with pytest.raises(ValidationError) as refused:
        event_kind_save(kind=kind)
    assert "scope" in refused.value.message_dict
    kind.refresh_from_db()
    kind.name, kind.usual_days = "Study visit (six days)", 6
    event_kind_save(kind=kind)
    world.planned.refresh_from_db()
    assert world.planned.kind.name == "Study visit (six days)"


def test_a_new_programme_starts_with_the_standard_kinds(client, world):
    codes = set(world.programme.event_kinds.values_list("code", flat=True))
    assert codes == set(StandardEventKind.values)


# Times in the host city's zone ----------------------------------------------------------------


@pytest.fixture
def seoul_review(world) -> Event:
    seoul = CityFactory(
        name="서울", slug="seoul", country="KR", latitude="37.5665", longitude="126.9780"
    )
    assert seoul.time_zone == "Asia/Seoul"
    participation_add(programme=world.programme, city=seoul)
    return event_create(
        programme=world.programme,
        kind=kind_of(world.programme, StandardEventKind.PEER_REVIEW),
        title="Peer review in Seoul",
        host_city=seoul,
        starts_on=date(2017, 11, 6),
        ends_on=date(2017, 11, 7),
        start_time=time(9),
        end_time=time(17),
        time_zone="Europe/Brussels",  # ignored: a hosted event is in its host city's zone
        venue="Seoul City Hall",
    )


def test_an_event_hosted_in_seoul_is_at_seoul_time(client, world, seoul_review):
    event = seoul_review
    assert event.time_zone == "Asia/Seoul"
    assert event.starts_at == datetime(2017, 11, 6, 9, tzinfo=ZoneInfo("Asia/Seoul"))
    assert event.starts_at == datetime(2017, 11, 6, 0, tzinfo=ZoneInfo("UTC"))
    client.force_login(world["coordinator"])
    page = client.get(event.get_absolute_url()).content.decode()
    assert "09:00</time>–<time" in page
    assert "17:00</time> Asia/Seoul" in page
    # A reader on Brussels time (the server's zone here) also sees the times in theirs.
    assert "6 Nov 2017, 01:00 to 7 Nov 2017, 09:00 in Europe/Brussels" in page
    listing = client.get(reverse("mentoring:events")).content.decode()
    assert "17:00</time> Asia/Seoul" in listing
    export = client.get(reverse("mentoring:events"), {"format": "csv"})
    rows = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "2017-11-06 09:00,2017-11-07 17:00,Asia/Seoul" in rows


def test_the_calendar_feed_carries_the_zone(client, world, seoul_review):
    token = calendar_token_regenerate(user=world["coordinator"]).secret
    response = client.get(reverse("mentoring:calendar_person_feed", args=[token]))
    body = response.content.decode()
    assert "DTSTART;TZID=Asia/Seoul:20171106T090000" in body
    assert "DTEND;TZID=Asia/Seoul:20171107T170000" in body
    calendar = icalendar.Calendar.from_ical(response.content)
    zones = {str(zone["TZID"]) for zone in calendar.walk("VTIMEZONE")}
    assert "Asia/Seoul" in zones
    item = next(e for e in calendar.walk("VEVENT") if str(e["SUMMARY"]) == "Peer review in Seoul")
    assert item.decoded("DTSTART") == datetime(2017, 11, 6, 9, tzinfo=ZoneInfo("Asia/Seoul"))


def test_a_webinar_is_in_the_zone_chosen_or_the_programmes_usual_one(world):
    webinar = kind_of(world.programme, StandardEventKind.WEBINAR)
    chosen = event_create(
        programme=world.programme,
        kind=webinar,
        title="Webinar for Toronto",
        starts_on=date(2017, 5, 8),
        start_time=time(10),
        end_time=time(11),
        time_zone="America/Toronto",
        online_url="https://meet.example.org/w",
    )
    assert chosen.local_starts_at.hour == 10
    assert chosen.time_zone == "America/Toronto"
    assert (chosen.starts_on, chosen.ends_on) == (date(2017, 5, 8), date(2017, 5, 8))
    usual = event_create(
        programme=world.programme,
        kind=webinar,
        title="Webinar",
        starts_on=date(2017, 5, 8),
        online_url="https://meet.example.org/w",
    )
    assert usual.time_zone == usual_time_zone(world.programme) == "Europe/Brussels"


def test_a_one_day_event_may_not_end_before_it_starts(world):
    with pytest.raises(ValidationError) as refused:
        event_create(
            programme=world.programme,
            kind=kind_of(world.programme, StandardEventKind.WEBINAR),
            title="Backwards",
            starts_on=date(2017, 5, 8),
            start_time=time(11),
            end_time=time(10),
            online_url="https://meet.example.org/w",
        )
    assert "end_time" in refused.value.message_dict


def test_a_late_evening_in_seoul_is_still_that_day_there(world):
    """The local days are the host's: 23:00 in Seoul is 15:00 UTC the same day."""
    seoul = CityFactory(country="KR", latitude="37.5665", longitude="126.9780")
    participation_add(programme=world.programme, city=seoul)
    scheme = SchemeFactory(programme=world.programme)
    pairing = PairingFactory(scheme=scheme, mentor=seoul)
    event = event_create(
        programme=world.programme,
        pairing=pairing,
        kind=kind_of(world.programme, StandardEventKind.STUDY_VISIT),
        title="Evening arrival",
        host_city=seoul,
        starts_on=date(2017, 5, 8),
        ends_on=date(2017, 5, 8),
        start_time=time(23),
        end_time=time(23, 30),
        venue="Hotel",
    )
    assert event.starts_on == date(2017, 5, 8)
    assert event.starts_at.astimezone(ZoneInfo("UTC")).hour == 14


# The migration of existing events ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_existing_events_keep_their_kind_and_get_local_times():
    executor = MigrationExecutor(connection)
    before = [("mentoring", "0008_programme_old_slugs")]
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(before)
    try:
        old = executor.loader.project_state([*before, ("cities", "0004_fill_city_time_zones")]).apps
        Programme, City = old.get_model("mentoring", "Programme"), old.get_model("cities", "City")
        programme = Programme.objects.create(
            name="Old",
            slug="old",
            starts_on=date(2016, 10, 1),
            ends_on=date(2018, 9, 30),
            budget=1,
            co_financing_rate=0,
            staff_days_allowance=30,
        )
        seoul = City.objects.create(
            name="Seoul",
            slug="seoul",
            country="KR",
            latitude=37.5,
            longitude=127,
            time_zone="Asia/Seoul",
            languages=["ko"],
        )
        ghent = City.objects.create(
            name="Ghent",
            slug="ghent",
            country="BE",
            latitude=51,
            longitude=3.7,
            time_zone="Europe/Brussels",
            languages=["nl"],
        )
        old.get_model("mentoring", "Participation").objects.create(programme=programme, city=ghent)
        OldEvent = old.get_model("mentoring", "Event")
        common = {"programme": programme, "starts_on": date(2017, 3, 1), "venue": "Hall"}
        OldEvent.objects.create(
            kind="peer_review", title="Review", host_city=seoul, ends_on=date(2017, 3, 2), **common
        )
        OldEvent.objects.create(
            kind="conference", title="Conference", ends_on=date(2017, 3, 1), **common
        )
        executor = MigrationExecutor(connection)
        executor.migrate(latest)
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    review = Event.objects.select_related("kind").get(title="Review")
    assert (review.kind.code, review.kind.hosted, review.kind.programme.slug) == (
        "peer_review",
        True,
        "old",
    )
    assert review.time_zone == "Asia/Seoul"
    seoul_time = ZoneInfo("Asia/Seoul")
    assert review.starts_at == datetime(2017, 3, 1, 9, tzinfo=seoul_time)
    assert review.ends_at == datetime(2017, 3, 2, 17, tzinfo=seoul_time)
    assert (review.starts_on, review.ends_on) == (date(2017, 3, 1), date(2017, 3, 2))
    conference = Event.objects.get(title="Conference")
    # No host: the programme's usual zone, the one most of its cities are in.
    assert conference.time_zone == "Europe/Brussels"
    assert conference.kind.code == "conference"
    assert EventKind.objects.filter(programme__slug="old").count() == 7


def test_the_kinds_page_and_event_list_queries_do_not_grow(client, world):
    client.force_login(world["coordinator"])
    urls = [
        reverse("mentoring:event_kinds", args=[world.programme.slug]),
        reverse("mentoring:events"),
    ]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as captured:
                assert client.get(url).status_code == 200
            found.append(len(captured))
        return found

    small = counts()
    for n in range(5):
        kind = event_kind_save(
            kind=EventKind(programme=world.programme, name=f"Workshop {n}", usual_days=2)
        )
        event_create(
            programme=world.programme,
            kind=kind,
            title=f"Workshop {n}",
            starts_on=date(2017, 6, 1 + n),
            venue="Hall",
        )
    assert counts() == small
