"""Events: database constraints, the service's rules, the status machine, who may do what on
every events URL, forms that answer bad input with 400, and query counts that do not grow."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.services import membership_grant
from cities.models import City
from mentoring import permissions
from mentoring.demo.events import seed_demo_events
from mentoring.models import (
    Attendance,
    CalendarToken,
    Event,
    EventReport,
    EventStatus,
    Recommendation,
    StandardEventKind,
)
from mentoring.selectors.events import events_concerning, events_for
from mentoring.services.events import (
    RecommendationInput,
    attendance_record,
    event_create,
    event_transition,
    event_update,
    report_save,
)
from tests.accounts.factories import UserFactory
from tests.browser import page, sign_in  # noqa: F401
from tests.cities.factories import CityFactory
from tests.mentoring.event_factories import (
    ROLES,
    EventFactory,
    PairingEventFactory,
    World,
    build_world,
    fresh,
    kind_of,
)
from tests.mentoring.factories import PairingFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return build_world()


def visit_data(world, **changes) -> dict:
    """Keyword arguments of a valid mentoring visit of the world's pairing."""
    data = {
        "programme": world.programme,
        "pairing": world.pairing,
        "kind": StandardEventKind.MENTORING_VISIT,
        "title": "Second mentoring visit",
        "host_city": world.implementing,
        "starts_on": date(2018, 2, 6),
        "ends_on": date(2018, 2, 8),
        "venue": "City hall",
    }
    data.update(changes)
    if isinstance(data["kind"], str):
        data["kind"] = kind_of(world.programme, data["kind"])
    return data


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        call()
    return error.value.message_dict


class TestEventConstraints:
    @pytest.mark.parametrize(
        ("changes", "constraint"),
        [
            ({"ends_on": date(2017, 2, 28)}, "event_end"),
            ({"venue": "", "online_url": ""}, "event_has_venue_or_link"),
            ({"status": EventStatus.CANCELLED}, "event_cancellation_has_reason"),
        ],
    )
    def test_the_database_refuses(self, changes, constraint):
        with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
            EventFactory(**changes)

    def test_the_end_moment_is_not_before_the_start(self):
        event = EventFactory(starts_on=date(2017, 3, 1), ends_on=date(2017, 3, 1))
        event.ends_at = event.starts_at - timedelta(hours=1)
        with (
            pytest.raises(IntegrityError, match="event_end_moment_not_before_start"),
            transaction.atomic(),
        ):
            event.save()

    def test_a_one_day_event_is_allowed(self):
        event = EventFactory(starts_on=date(2017, 3, 1), ends_on=date(2017, 3, 1))
        assert event.length_in_days == 1


class TestEventCreate:
    def test_plans_an_event(self, world):
        event = event_create(by=world["coordinator"], **visit_data(world, title=" Visit "))
        assert (event.status, event.title, event.created_by) == (
            EventStatus.PLANNED,
            "Visit",
            world["coordinator"],
        )
        assert event.length_in_days == 3

    def test_a_webinar_needs_no_host_city(self, world):
        event = event_create(
            programme=world.programme,
            kind=kind_of(world.programme, StandardEventKind.WEBINAR),
            title="Webinar",
            starts_on=date(2017, 5, 1),
            ends_on=date(2017, 5, 1),
            online_url="https://meet.example.org/webinar",
        )
        assert event.host_city is None

    def test_a_launch_meeting_may_be_held_outside_the_cities(self, world):
        event = event_create(
            programme=world.programme,
            kind=kind_of(world.programme, StandardEventKind.LAUNCH_MEETING),
            title="Launch",
            starts_on=date(2016, 11, 17),
            ends_on=date(2016, 11, 18),
            venue="Brussels",
        )
        assert event.pairing is None

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            ({"ends_on": date(2018, 2, 5)}, "ends_on", "The event cannot end before it starts."),
            ({"starts_on": date(2016, 9, 30)}, "starts_on", "while"),
            ({"ends_on": date(2018, 10, 1)}, "ends_on", "by the programme's last day"),
            ({"venue": "", "online_url": ""}, "venue", "Give a venue, an online link, or both."),
            ({"online_url": "not a link"}, "online_url", "Enter a valid URL."),
            ({"title": ""}, "title", "This field cannot be blank."),
            ({"host_city": None}, "host_city", "A mentoring visit needs a host city."),
            (
                {"kind": StandardEventKind.STUDY_VISIT},
                "host_city",
                "A study visit is hosted by the mentor city.",
            ),
            ({"pairing": None}, "kind", "A mentoring visit is held by a pairing."),
            (
                {"kind": StandardEventKind.CONFERENCE},
                "kind",
                "A conference is for the whole programme, not for one pairing.",
            ),
        ],
    )
    def test_refuses(self, world, changes, field, message):
        errors = errors_of(lambda: event_create(**visit_data(world, **changes)))
        assert any(message in text for text in errors[field]), errors
        assert not Event.objects.filter(title="Second mentoring visit").exists()

    def test_a_mentoring_visit_is_hosted_by_the_implementing_city(self, world):
        errors = errors_of(lambda: event_create(**visit_data(world, host_city=world.mentor)))
        assert errors["host_city"] == ["A mentoring visit is hosted by the implementing city."]

    def test_a_pairing_event_is_hosted_by_one_of_its_cities(self, world):
        data = visit_data(world, kind=StandardEventKind.PEER_REVIEW, host_city=world.unrelated)
        errors = errors_of(lambda: event_create(**data))
        assert errors["host_city"] == ["Choose one of the pairing's two cities as host."]

    def test_the_host_city_takes_part_in_the_programme(self, world):
        outsider = CityFactory(name="Oslo")
        data = visit_data(
            world, pairing=None, kind=StandardEventKind.CONFERENCE, host_city=outsider
        )
        errors = errors_of(lambda: event_create(**data))
        assert errors["host_city"] == [f"Oslo does not take part in {world.programme}."]

    def test_the_pairing_belongs_to_the_programme(self, world):
        other = PairingFactory()
        data = visit_data(world, pairing=other, host_city=other.implementing)
        errors = errors_of(lambda: event_create(**data))
        assert errors["pairing"] == ["This pairing belongs to another programme."]


class TestEventUpdate:
    def test_changes_a_planned_event(self, world):
        event_update(event=world.planned, title="Study visit, moved", ends_on=date(2017, 4, 7))
        world.planned.refresh_from_db()
        assert (world.planned.title, world.planned.length_in_days) == ("Study visit, moved", 4)

    def test_holds_the_same_rules(self, world):
        errors = errors_of(lambda: event_update(event=world.planned, ends_on=date(2017, 4, 1)))
        assert errors["ends_on"] == ["The event cannot end before it starts."]
        world.planned.refresh_from_db()
        assert world.planned.ends_on == date(2017, 4, 6)

    @pytest.mark.parametrize("status", [EventStatus.HELD, EventStatus.CANCELLED])
    def test_a_held_or_cancelled_event_is_a_record(self, world, status):
        Event.objects.filter(pk=world.planned.pk).update(status=status, cancellation_reason="x")
        errors = errors_of(lambda: event_update(event=world.planned, title="Changed"))
        assert "can no longer be changed" in errors["__all__"][0]

    def test_only_what_describes_the_event_changes(self, world):
        with pytest.raises(TypeError, match="status"):
            event_update(event=world.planned, status=EventStatus.HELD)


class TestEventTransition:
    def test_planned_confirmed_held(self, world):
        event = world.planned
        event_transition(event=event, to=EventStatus.CONFIRMED)
        event_transition(event=event, to=EventStatus.HELD)
        event.refresh_from_db()
        assert event.status == EventStatus.HELD

    @pytest.mark.parametrize(
        ("start", "to"),
        [
            (EventStatus.PLANNED, EventStatus.HELD),
            (EventStatus.PLANNED, EventStatus.PLANNED),
            (EventStatus.CONFIRMED, EventStatus.PLANNED),
            (EventStatus.HELD, EventStatus.CONFIRMED),
            (EventStatus.HELD, EventStatus.CANCELLED),
            (EventStatus.CANCELLED, EventStatus.PLANNED),
            (EventStatus.CANCELLED, EventStatus.CONFIRMED),
            (EventStatus.PLANNED, "postponed"),
        ],
    )
    def test_only_along_the_arrows(self, world, start, to):
        Event.objects.filter(pk=world.planned.pk).update(status=start, cancellation_reason="x")
        world.planned.refresh_from_db()
        errors = errors_of(lambda: event_transition(event=world.planned, to=to, reason="why"))
        assert "cannot become" in errors["status"][0]
        world.planned.refresh_from_db()
        assert world.planned.status == start

    @pytest.mark.parametrize("start", [EventStatus.PLANNED, EventStatus.CONFIRMED])
    def test_cancel_with_a_reason(self, world, start):
        Event.objects.filter(pk=world.planned.pk).update(status=start)
        event_transition(event=world.planned, to=EventStatus.CANCELLED, reason=" Strike ")
        world.planned.refresh_from_db()
        assert (world.planned.status, world.planned.cancellation_reason) == ("cancelled", "Strike")

    def test_cancelling_needs_a_reason(self, world):
        errors = errors_of(
            lambda: event_transition(event=world.planned, to=EventStatus.CANCELLED, reason="  ")
        )
        assert errors["cancellation_reason"] == ["Say why the event is cancelled."]

    def test_an_event_is_held_once_it_has_begun(self):
        today = timezone.localdate()
        programme = ProgrammeFactory(
            starts_on=today - timedelta(days=30), ends_on=today + timedelta(days=300)
        )
        event = EventFactory(
            programme=programme,
            status=EventStatus.CONFIRMED,
            starts_on=today + timedelta(days=1),
            ends_on=today + timedelta(days=1),
        )
        errors = errors_of(lambda: event_transition(event=event, to=EventStatus.HELD))
        assert errors["status"] == ["An event can be marked as held once it has begun."]
        Event.objects.filter(pk=event.pk).update(starts_at=timezone.now() - timedelta(minutes=1))
        event.refresh_from_db()
        event_transition(event=event, to=EventStatus.HELD)


# Pure permission functions, role by role --------------------------------------------------

Y, N = True, False
# coordinator, expert, other_expert, host_officer, other_city_officer, unrelated_officer,
# supervisor, partner, outsider, anonymous
PERMISSIONS = {
    ("can_view_event", "held"): [Y, Y, N, Y, Y, N, Y, N, N, N],
    ("can_view_event", "meeting"): [Y, Y, Y, Y, Y, Y, Y, N, N, N],
    ("can_manage_event", "held"): [Y, Y, N, N, N, N, N, N, N, N],
    ("can_manage_event", "meeting"): [Y, N, N, N, N, N, N, N, N, N],
    ("can_record_attendance", "held"): [Y, Y, N, Y, Y, N, N, N, N, N],
    ("can_record_attendance", "meeting"): [Y, N, N, Y, Y, Y, N, N, N, N],
    ("can_write_report", "held"): [Y, Y, N, Y, Y, N, N, N, N, N],
    ("can_write_report", "meeting"): [Y, N, N, N, N, N, N, N, N, N],
}


@pytest.mark.parametrize(("function", "event"), PERMISSIONS)
def test_event_permissions_role_by_role(world, function, event):
    check = getattr(permissions, function)
    answers = [check(fresh(world[role]), getattr(world, event)) for role in ROLES]
    assert dict(zip(ROLES, answers, strict=True)) == dict(
        zip(ROLES, PERMISSIONS[(function, event)], strict=True)
    )


def test_who_may_plan_events(world):
    expected = {
        # role: (programme-wide event, event of the pairing, may open the planning page)
        "coordinator": (Y, Y, Y),
        "expert": (N, Y, Y),
        "other_expert": (N, N, Y),
        "host_officer": (N, N, N),
        "other_city_officer": (N, N, N),
        "unrelated_officer": (N, N, N),
        "supervisor": (N, N, N),
        "partner": (N, N, N),
        "outsider": (N, N, Y),
        "anonymous": (N, N, N),
    }
    for role, answers in expected.items():
        user = fresh(world[role])
        assert (
            permissions.can_create_event(user, world.programme),
            permissions.can_create_event(user, world.programme, world.pairing),
            permissions.can_create_events(user),
        ) == answers, role


def test_a_pairing_of_another_programme_cannot_be_planned_for(world):
    other = PairingFactory()
    assert not permissions.can_create_event(fresh(world["coordinator"]), world.programme, other)


def test_officers_record_and_remove_their_own_citys_people_only(world):
    at_host = Attendance(event=world.held, city=world.implementing)
    at_mentor = Attendance(event=world.held, city=world.mentor)
    expected = {
        "coordinator": (None, Y, Y),
        "expert": (None, Y, Y),
        "host_officer": ({world.implementing.pk}, Y, N),
        "other_city_officer": ({world.mentor.pk}, N, Y),
        "unrelated_officer": (set(), N, N),
        "supervisor": (set(), N, N),
        "partner": (set(), N, N),
    }
    for role, (cities, host_row, mentor_row) in expected.items():
        user = fresh(world[role])
        assert permissions.attendance_city_ids(user, world.held) == cities, role
        assert permissions.can_delete_attendance(user, at_host) is host_row, role
        assert permissions.can_delete_attendance(user, at_mentor) is mentor_row, role


@pytest.mark.parametrize("role", ROLES)
def test_events_concerning_matches_can_view_event(world, role):
    other_pairing = PairingFactory(scheme=world.other_scheme)
    PairingEventFactory(programme=world.programme, pairing=other_pairing)
    EventFactory(
        programme=world.programme, kind=StandardEventKind.CONFERENCE, host_city=world.unrelated
    )
    EventFactory()  # another programme
    user = fresh(world[role])
    expected = {e.pk for e in Event.objects.all() if permissions.can_view_event(user, e)}
    concerning = set(events_concerning(user).values_list("pk", flat=True))
    assert concerning == expected


def test_the_list_shows_every_event_of_ones_programmes_only(world):
    EventFactory()  # in a programme nobody here takes part in
    for role in ROLES[:8]:
        listed = set(events_for(fresh(world[role])).values_list("pk", flat=True))
        assert listed == {world.held.pk, world.planned.pk, world.meeting.pk}, role
    for role in ("outsider", "anonymous"):
        assert not events_for(fresh(world[role])).exists()


# Every URL, every role -------------------------------------------------------------------


def snapshot() -> tuple:
    """Everything the events pages can change."""
    return (
        list(Event.objects.order_by("pk").values_list("pk", "title", "status", "ends_on")),
        list(Attendance.objects.order_by("pk").values_list("pk", "days")),
        list(EventReport.objects.values_list("pk", "findings")),
        list(Recommendation.objects.values_list("pk", "text")),
        list(CalendarToken.objects.values_list("user", "token_hash")),
    )


def visit_form(**changes) -> dict:
    data = {
        "kind": StandardEventKind.STUDY_VISIT,
        "title": "Study visit, second round",
        "host_city": "",
        "starts_on": "2017-04-04",
        "ends_on": "2017-04-06",
        "venue": "City hall",
        "online_url": "",
        "agenda": "",
    }
    data.update(changes)
    return data


def launch_form() -> dict:
    return visit_form(kind=StandardEventKind.CONFERENCE, title="Conference", host_city="")


def report_form(findings: str = "What we found") -> dict:
    return {
        "findings": findings,
        "recommendations-TOTAL_FORMS": "1",
        "recommendations-INITIAL_FORMS": "0",
        "recommendations-0-id": "",
        "recommendations-0-text": "Do one thing",
    }


L, OK, GO = "login", 200, 302  # GO: done, redirected to the result
# coordinator, expert, other_expert, host_officer, other_city_officer, unrelated_officer,
# supervisor, partner, outsider, anonymous
ENDPOINTS = {
    "list": ("get", lambda w: reverse("mentoring:events"), None, [OK] * 9 + [L]),
    "detail of a pairing's event": (
        "get",
        lambda w: w.held.get_absolute_url(),
        None,
        [OK, OK, 403, OK, OK, 403, OK, 403, 404, L],
    ),
    "detail of a programme-wide event": (
        "get",
        lambda w: w.meeting.get_absolute_url(),
        None,
        [OK, OK, OK, OK, OK, OK, OK, 403, 404, L],
    ),
    "plan: choose": (
        "get",
        lambda w: reverse("mentoring:event_create"),
        None,
        [OK, OK, OK, 403, 403, 403, 403, 403, OK, L],
    ),
    "plan a pairing's event: form": (
        "get",
        lambda w: reverse("mentoring:event_create") + f"?pairing={w.pairing.pk}",
        None,
        [OK, OK, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "plan a pairing's event": (
        "post",
        lambda w: reverse("mentoring:event_create") + f"?pairing={w.pairing.pk}",
        lambda w: visit_form(host_city=w.mentor.pk),
        [GO, GO, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "plan a programme event: form": (
        "get",
        lambda w: reverse("mentoring:event_create") + f"?programme={w.programme.slug}",
        None,
        [OK, 403, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "plan a programme event": (
        "post",
        lambda w: reverse("mentoring:event_create") + f"?programme={w.programme.slug}",
        lambda w: launch_form(),
        [GO, 403, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "edit: form": (
        "get",
        lambda w: reverse("mentoring:event_update", args=[w.planned.pk]),
        None,
        [OK, OK, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "edit": (
        "post",
        lambda w: reverse("mentoring:event_update", args=[w.planned.pk]),
        lambda w: visit_form(host_city=w.mentor.pk, ends_on="2017-04-07"),
        [GO, GO, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "status: form": (
        "get",
        lambda w: reverse("mentoring:event_status", args=[w.planned.pk]),
        None,
        [OK, OK, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "status": (
        "post",
        lambda w: reverse("mentoring:event_status", args=[w.planned.pk]),
        lambda w: {"status": EventStatus.CONFIRMED, "cancellation_reason": ""},
        [GO, GO, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "status of a programme event": (
        "post",
        lambda w: reverse("mentoring:event_status", args=[w.meeting.pk]),
        lambda w: {"status": EventStatus.CANCELLED, "cancellation_reason": "x"},
        # The meeting is held already: the coordinator's attempt is refused as bad input.
        [400, 403, 403, 403, 403, 403, 403, 403, 404, L],
    ),
    "attendance: list": (
        "get",
        lambda w: reverse("mentoring:event_attendance", args=[w.held.pk]),
        None,
        [OK, OK, 403, OK, OK, 403, OK, 403, 404, L],
    ),
    "attendance: record a guest of the host city": (
        "post",
        lambda w: reverse("mentoring:event_attendance", args=[w.held.pk]),
        lambda w: {"guest_name": "A guest", "city": w.implementing.pk, "days": "1.5"},
        # The mentor city's officer records at this visit, but only for the mentor city.
        [GO, GO, 403, GO, 400, 403, 403, 403, 404, L],
    ),
    "attendance: remove a row of the host city": (
        "post",
        lambda w: reverse("mentoring:attendance_delete", args=[w.held.pk, host_guest(w).pk]),
        lambda w: {},
        [GO, GO, 403, GO, 403, 403, 403, 403, 404, L],
    ),
    "report: form": (
        "get",
        lambda w: reverse("mentoring:event_report", args=[w.held.pk]),
        None,
        [OK, OK, 403, OK, OK, 403, 403, 403, 404, L],
    ),
    "report": (
        "post",
        lambda w: reverse("mentoring:event_report", args=[w.held.pk]),
        lambda w: report_form(),
        [GO, GO, 403, GO, GO, 403, 403, 403, 404, L],
    ),
    "calendar page": ("get", lambda w: reverse("mentoring:calendar"), None, [OK] * 9 + [L]),
    "calendar: new links": (
        "post",
        lambda w: reverse("mentoring:calendar_regenerate"),
        lambda w: {},
        [OK] * 9 + [L],  # the new links are shown on the page that makes them, once
    ),
    "calendar: new links by GET": (
        "get",
        lambda w: reverse("mentoring:calendar_regenerate"),
        None,
        [405] * 9 + [L],
    ),
}


def host_guest(world) -> Attendance:
    """A guest of the host city at the held visit (created once per world)."""
    found = Attendance.objects.filter(event=world.held, guest_name="Host guest").first()
    return found or attendance_record(
        event=world.held, guest_name="Host guest", city=world.implementing, days=Decimal(1)
    )


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_url_answers_each_role(client, world, endpoint, role):
    method, url, data, expected = ENDPOINTS[endpoint]
    expected = dict(zip(ROLES, expected, strict=True))[role]
    url = url(world)  # may create the row the URL points at
    if role != "anonymous":
        client.force_login(world[role])
    before = snapshot()
    response = getattr(client, method)(url, data(world) if data else None)
    if expected == L:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == expected, response.content.decode()[:2000]
    if method == "post":
        changed = snapshot() != before
        # A change answers with a redirect, or (new calendar links) the page showing them once.
        assert changed is (expected == GO or endpoint == "calendar: new links" and expected == OK)


def test_the_outsider_cannot_tell_whether_an_event_exists(client, world):
    client.force_login(world["outsider"])
    missing = Event.objects.order_by("pk").last().pk + 100
    for pk in (world.held.pk, missing):
        assert client.get(reverse("mentoring:event", args=[pk])).status_code == 404


def test_plan_with_a_malformed_pairing_is_not_found(client, world):
    client.force_login(world["coordinator"])
    url = reverse("mentoring:event_create")
    assert client.get(url + "?pairing=abc").status_code == 404
    assert client.get(url + "?pairing=999999").status_code == 404
    assert client.get(url + "?programme=nope").status_code == 404


# Forms answer bad input with 400 and a message by the field ------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ends_on": "2017-04-03"}, "The event cannot end before it starts."),
        ({"starts_on": "2016-09-01"}, "must take place while"),
        ({"ends_on": "2018-10-02"}, "must end by the programme&#x27;s last day"),
        ({"venue": ""}, "Give a venue, an online link, or both."),
        ({"online_url": "meet me"}, "Enter a valid URL."),
        ({"host_city": ""}, "A study visit needs a host city."),
        ({"host_city": "implementing"}, "A study visit is hosted by the mentor city."),
        ({"kind": StandardEventKind.CONFERENCE}, "Select a valid choice."),
        ({"kind": "party"}, "Select a valid choice."),
        ({"starts_on": "the fourth"}, "Enter a valid date."),
        ({"title": ""}, "This field is required."),
        ({"host_city": "999999"}, "Neither city of this pairing has the number 999999."),
    ],
)
def test_planning_form_shows_each_rule(client, world, changes, message):
    client.force_login(world["expert"])
    if changes.get("host_city") == "implementing":
        changes["host_city"] = world.implementing.pk
    data = visit_form(host_city=world.mentor.pk) | changes
    before = snapshot()
    response = client.post(reverse("mentoring:event_create") + f"?pairing={world.pairing.pk}", data)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert 'class="errorlist' in html
    assert snapshot() == before


def test_planning_a_programme_event_as_coordinator(client, world):
    client.force_login(world["coordinator"])
    data = launch_form() | {"host_city": world.unrelated.pk, "venue": "Town hall"}
    response = client.post(
        reverse("mentoring:event_create") + f"?programme={world.programme.slug}", data
    )
    event = Event.objects.get(title="Conference")
    assert response["Location"] == event.get_absolute_url()
    assert (event.pairing, event.host_city, event.created_by) == (
        None,
        world.unrelated,
        world["coordinator"],
    )


def test_a_programme_event_form_offers_no_visits(client, world):
    client.force_login(world["coordinator"])
    url = reverse("mentoring:event_create") + f"?programme={world.programme.slug}"
    response = client.post(url, visit_form())
    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()


def test_editing_a_held_event_is_refused_with_a_message(client, world):
    client.force_login(world["coordinator"])
    url = reverse("mentoring:event_update", args=[world.held.pk])
    assert "it is a record now" in client.get(url).content.decode()
    data = visit_form(kind=StandardEventKind.MENTORING_VISIT, host_city=world.implementing.pk)
    response = client.post(url, data)
    assert response.status_code == 400
    assert "A held event can no longer be changed." in response.content.decode()


def test_the_edit_form_starts_from_the_event(client, world):
    client.force_login(world["coordinator"])
    html = client.get(reverse("mentoring:event_update", args=[world.planned.pk])).content.decode()
    assert 'value="Study visit"' in html
    assert 'value="2017-04-04"' in html


@pytest.mark.parametrize(
    ("event", "data", "message"),
    [
        ("planned", {"status": "cancelled", "cancellation_reason": ""}, "Say why the event"),
        ("planned", {"status": "held"}, "Select a valid choice."),
        ("planned", {}, "This field is required."),
        ("held", {"status": "cancelled", "cancellation_reason": "late"}, "Select a valid choice."),
    ],
)
def test_status_form_shows_each_rule(client, world, event, data, message):
    client.force_login(world["coordinator"])
    event = getattr(world, event)
    response = client.post(reverse("mentoring:event_status", args=[event.pk]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    status = event.status
    event.refresh_from_db()
    assert event.status == status


def test_cancelling_through_the_form(client, world):
    client.force_login(world["expert"])
    url = reverse("mentoring:event_status", args=[world.planned.pk])
    client.post(url, {"status": "cancelled", "cancellation_reason": "The host's budget froze"})
    world.planned.refresh_from_db()
    assert world.planned.status == EventStatus.CANCELLED
    html = client.get(world.planned.get_absolute_url()).content.decode()
    assert "The host&#x27;s budget froze" in html


# The list -------------------------------------------------------------------------------


def test_list_links_only_the_events_one_may_open(client, world):
    client.force_login(world["unrelated_officer"])
    html = client.get(reverse("mentoring:events")).content.decode()
    assert "Mentoring visit" in html  # read-only row
    assert f'href="{world.held.get_absolute_url()}"' not in html
    assert f'href="{world.meeting.get_absolute_url()}"' in html
    assert reverse("mentoring:event_create") not in html


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ({"kind": StandardEventKind.LAUNCH_MEETING}, {"Launch meeting"}),
        ({"status": EventStatus.PLANNED}, {"Study visit"}),
        ({"concerning": "on"}, {"Launch meeting"}),
    ],
)
def test_list_filters(client, world, query, titles):
    client.force_login(world["unrelated_officer"])
    response = client.get(reverse("mentoring:events"), query)
    shown = {e.title for e, _viewable in response.context["rows"]}
    assert shown == titles


def test_list_filter_by_programme_pairing_and_bad_filters(client, world):
    client.force_login(world["coordinator"])
    ok = client.get(reverse("mentoring:events"), {"programme": world.programme.slug})
    assert len(ok.context["rows"]) == 3
    of_pairing = client.get(reverse("mentoring:events"), {"pairing": world.pairing.pk})
    assert {e.title for e, _v in of_pairing.context["rows"]} == {"Mentoring visit", "Study visit"}
    bad = client.get(reverse("mentoring:events"), {"programme": "another", "status": "late"})
    assert bad.status_code == 400
    assert "Select a valid choice." in bad.content.decode()
    # A pairing of another programme is not named: the page says no pairing one can see has
    # that number, beside a way to drop the filter.
    foreign = PairingFactory()
    response = client.get(reverse("mentoring:events"), {"pairing": foreign.pk})
    assert response.status_code == 400
    html = response.content.decode()
    assert "None of the pairings you can see has this number." in html
    assert str(foreign) not in html
    assert "Show the events of every pairing" in html


def test_list_pages(client, world, monkeypatch):
    monkeypatch.setattr("mentoring.views.events.EVENTS_PER_PAGE", 2)
    client.force_login(world["coordinator"])
    first = client.get(reverse("mentoring:events"), {"programme": world.programme.slug})
    assert len(first.context["rows"]) == 2
    assert f"programme={world.programme.slug}&amp;page=2" in first.content.decode()
    second = client.get(
        reverse("mentoring:events"), {"programme": world.programme.slug, "page": "2"}
    )
    assert len(second.context["rows"]) == 1


# Query counts do not grow with the rows --------------------------------------------------


def grow(world, n: int) -> None:
    for _ in range(n):
        pairing = PairingFactory(scheme=world.scheme)
        event = PairingEventFactory(
            programme=world.programme, pairing=pairing, status=EventStatus.HELD
        )
        EventFactory(programme=world.programme, host_city=pairing.mentor)
        officer = UserFactory()
        membership_grant(user=officer, role=Role.OFFICER, city=world.implementing)
        attendance_record(
            event=world.held, user=officer, city=world.implementing, days=Decimal("0.5")
        )
        attendance_record(
            event=world.held,
            guest_name=f"Guest {officer.pk}",
            organisation_name="NGO",
            days=Decimal(3),
        )
        attendance_record(event=event, guest_name="Guest", city=pairing.mentor, days=Decimal(1))
    report_save(
        event=world.held,
        findings="Findings",
        recommendations=[RecommendationInput(text=f"Recommendation {i}") for i in range(n)],
    )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.mark.parametrize("role", ["coordinator", "expert", "host_officer", "unrelated_officer"])
@pytest.mark.parametrize(
    "url",
    [
        lambda w: reverse("mentoring:events"),
        lambda w: reverse("mentoring:events") + "?concerning=on",
        lambda w: w.meeting.get_absolute_url(),
        lambda w: reverse("mentoring:event_attendance", args=[w.meeting.pk]),
    ],
)
def test_query_count_does_not_grow_with_rows(client, world, role, url):
    client.force_login(world[role])
    grow(world, 1)
    small = count_queries(client, url(world))
    grow(world, 6)
    large = count_queries(client, url(world))
    assert large == small


@pytest.mark.parametrize("role", ["coordinator", "expert", "host_officer"])
def test_detail_query_count_does_not_grow_with_attendance_and_recommendations(client, world, role):
    client.force_login(world[role])
    grow(world, 1)
    pages = [
        world.held.get_absolute_url(),
        reverse("mentoring:event_attendance", args=[world.held.pk]),
        reverse("mentoring:event_report", args=[world.held.pk]),
    ]
    small = [count_queries(client, url) for url in pages]
    grow(world, 6)
    large = [count_queries(client, url) for url in pages]
    assert large == small
    assert Attendance.objects.filter(event=world.held).count() == 14


# The demo --------------------------------------------------------------------------------


def test_demo_events(demo):
    """seed_demo loads the demo events; loading them again adds nothing."""
    events = Event.objects.filter(programme=demo)
    assert events.count() == 2 + 2 * 8 + 2
    assert seed_demo_events(demo) == 0
    assert events.count() == 2 + 2 * 8 + 2
    assert all(demo.starts_on <= e.starts_on <= e.ends_on <= demo.ends_on for e in events)
    # The programme ended in 2018: every event was held but one, cancelled.
    statuses = set(events.values_list("status", flat=True))
    assert statuses == {"held", "cancelled"}
    cancelled = events.get(status=EventStatus.CANCELLED)
    assert cancelled.cancellation_reason
    launch = events.get(kind__code=StandardEventKind.LAUNCH_MEETING)
    assert (launch.host_city, launch.venue.endswith("Brussels")) == (None, True)
    for pairing in demo.schemes.get(code="A").pairings.all():
        kinds = set(pairing.events.values_list("kind__code", flat=True))
        assert kinds == {StandardEventKind.STUDY_VISIT, StandardEventKind.MENTORING_VISIT}
    assert EventReport.objects.filter(event__programme=demo).count() == 4
    assert Recommendation.objects.filter(report__event__programme=demo).count() >= 8
    assert not EventReport.objects.exclude(event__status=EventStatus.HELD).exists()
    assert Attendance.objects.filter(event=launch).count() == 16 + 2
    assert Attendance.objects.filter(guest_name__gt="").count() == 2


def test_demo_events_twice_change_nothing(demo):
    seed_demo_events(demo)
    before = snapshot()
    assert seed_demo_events(demo) == 0
    assert snapshot() == before


def test_demo_people_find_their_events(client, demo, demo_user):
    seed_demo_events(demo)
    client.force_login(demo_user("officer.gdansk@example.org"))
    response = client.get(reverse("mentoring:events"), {"concerning": "on"})
    titles = {event.title for event, _viewable in response.context["rows"]}
    assert "Mentoring visit: Rotterdam in Gdańsk" in titles
    assert "Mentoring visit: Barcelona in Athens" not in titles
    visit = Event.objects.get(title="Mentoring visit: Rotterdam in Gdańsk")
    html = client.get(visit.get_absolute_url()).content.decode()
    assert "Pomeranian association of migrant entrepreneurs" in html
    assert 'id="recommendation-' in html


def test_admin_pages_of_event_models(admin_client, demo):
    seed_demo_events(demo)
    for model in (Event, Attendance, EventReport, Recommendation):
        info = (model._meta.app_label, model._meta.model_name)
        assert admin_client.get(reverse("admin:{}_{}_changelist".format(*info))).status_code == 200
        assert admin_client.get(reverse("admin:{}_{}_add".format(*info))).status_code == 200
        obj = model.objects.first()
        change = admin_client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
        assert change.status_code == 200, info
    token = CalendarToken.objects.create(user=UserFactory(), token_hash="a-secret-feed-token")
    listing = admin_client.get(reverse("admin:mentoring_calendartoken_changelist"))
    change = admin_client.get(reverse("admin:mentoring_calendartoken_change", args=[token.pk]))
    for response in (listing, change):
        assert response.status_code == 200
        assert "a-secret-feed-token" not in response.content.decode()


# In a real browser, without any JavaScript of ours ---------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_expert_plans_and_confirms_a_visit_in_the_browser(page, demo, settings):  # noqa: F811
    sign_in(page, "expert@example.org", settings.DEMO_PASSWORD)
    page.goto(reverse("mentoring:event_create"))
    page.get_by_role("link", name="Rotterdam → Gdańsk (A)").click()
    page.get_by_label("Kind").select_option(label="Mentoring visit")
    page.get_by_label("Title").fill("Second mentoring visit")
    page.get_by_label("Host city").select_option(label="Rotterdam")
    page.get_by_label("Starts on").fill("2018-02-06")
    page.get_by_label("Ends on").fill("2018-02-08")
    page.get_by_label("Venue").fill("City hall")
    page.get_by_role("button", name="Plan the event").click()
    # The mentor city hosts study visits, not mentoring visits: the form says so by the field.
    page.get_by_text("A mentoring visit is hosted by the implementing city.").wait_for()
    page.get_by_label("Host city").select_option(label="Gdańsk")
    page.get_by_role("button", name="Plan the event").click()
    page.get_by_role("heading", name="Second mentoring visit").wait_for()
    page.get_by_role("link", name="Change the status").click()
    page.get_by_label("Confirmed").check()
    page.get_by_role("button", name="Change the status").click()
    page.get_by_text("The event is now confirmed.").wait_for()
    assert Event.objects.get(title="Second mentoring visit").status == EventStatus.CONFIRMED


def test_the_events_list_filters_by_city_scheme_and_dates_and_exports(client, demo, demo_user):
    from io import BytesIO

    from openpyxl import load_workbook

    from mentoring.models import Event

    client.force_login(demo_user("coordinator@example.org"))
    url = reverse("mentoring:events")
    gdansk = City.objects.get(slug="gdansk")
    scheme_a = demo.schemes.get(code="A")
    first = Event.objects.order_by("starts_on").first()
    params = {"city": gdansk.pk, "format": "xlsx"}
    rows = list(
        load_workbook(BytesIO(client.get(url, params).content)).active.iter_rows(values_only=True)
    )
    expected = Event.objects.filter(
        Q(host_city=gdansk) | Q(pairing__mentor=gdansk) | Q(pairing__implementing=gdansk)
    )
    assert len(rows) - 1 == expected.count() > 0
    in_a = client.get(url, {"scheme": scheme_a.pk, "format": "csv"})
    lines = b"".join(in_a.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert len(lines) - 1 == Event.objects.filter(pairing__scheme=scheme_a).count()
    same_day = client.get(
        url, {"starts_from": first.starts_on, "starts_until": first.starts_on, "format": "csv"}
    )
    text = b"".join(same_day.streaming_content).decode("utf-8-sig")
    assert first.title in text
    backwards = client.get(url, {"starts_from": "2018-01-01", "starts_until": "2017-01-01"})
    assert backwards.status_code == 400
    assert "The end of the range is before its start." in backwards.content.decode()
