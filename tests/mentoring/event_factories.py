"""Factories for events and attendance, and a small programme with one person per role."""

from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import factory
from django.contrib.auth.models import AnonymousUser

from accounts.models import Role, User
from accounts.services import membership_grant
from cities.models import City
from mentoring.models import (
    Attendance,
    Event,
    EventKind,
    EventStatus,
    Pairing,
    Programme,
    Scheme,
    StandardEventKind,
)
from mentoring.services import participation_add
from tests.accounts.factories import UserFactory
from tests.cities.factories import CityFactory
from tests.mentoring.factories import PairingFactory, ProgrammeFactory, SchemeFactory


def kind_of(programme: Programme, code: str) -> EventKind:
    """The programme's own kind of a standard code."""
    return EventKind.objects.get(programme=programme, code=code)


def local_moment(day: date, at: time, zone: str) -> datetime:
    return datetime.combine(day, at, tzinfo=ZoneInfo(zone))


class EventFactory(factory.django.DjangoModelFactory):
    """A planned programme-wide webinar inside ProgrammeFactory's dates, 09:00 on its first day
    to 17:00 on its last in its host city's zone (Brussels' without one). ``kind`` may be given
    as a standard code: it is the programme's kind of that code."""

    class Meta:
        model = Event

    programme = factory.SubFactory(ProgrammeFactory)
    kind = StandardEventKind.WEBINAR
    title = factory.Sequence(lambda n: f"Event {n}")
    starts_on = date(2017, 3, 1)
    ends_on = date(2017, 3, 3)
    venue = "City hall"
    status = EventStatus.PLANNED

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        if isinstance(kwargs["kind"], str):
            kwargs["kind"] = kind_of(kwargs["programme"], kwargs["kind"])
        host = kwargs.get("host_city")
        zone = kwargs.setdefault("time_zone", (host.time_zone if host else "") or "Europe/Brussels")
        kwargs.setdefault("starts_at", local_moment(kwargs["starts_on"], time(9), zone))
        kwargs.setdefault("ends_at", local_moment(kwargs["ends_on"], time(17), zone))
        return kwargs


class PairingEventFactory(EventFactory):
    """A mentoring visit: the mentor city's officers visit the implementing city."""

    pairing = factory.SubFactory(
        PairingFactory,
        scheme=factory.SubFactory(SchemeFactory, programme=factory.SelfAttribute("...programme")),
    )
    kind = StandardEventKind.MENTORING_VISIT
    host_city = factory.SelfAttribute("pairing.implementing")


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    event = factory.SubFactory(EventFactory, status=EventStatus.HELD)
    guest_name = factory.Sequence(lambda n: f"Guest {n}")
    organisation_name = "Chamber of commerce"
    days = Decimal("1.0")


ROLES = [
    "coordinator",
    "expert",
    "other_expert",
    "host_officer",
    "other_city_officer",
    "unrelated_officer",
    "supervisor",
    "partner",
    "outsider",
    "anonymous",
]


@dataclass
class World:
    """One programme with a pairing (mentor → implementing) in a scheme, another scheme, a city
    outside the pairing, three events and one person per role.

    - ``held``: the pairing's mentoring visit, hosted by the implementing city, held;
    - ``planned``: the pairing's study visit, hosted by the mentor city, planned;
    - ``meeting``: the programme's launch meeting, held, no host city.
    The host officer and the supervisor act for the implementing city (the held visit's host);
    the outsider coordinates another programme.
    """

    programme: Programme
    scheme: Scheme
    other_scheme: Scheme
    pairing: Pairing
    mentor: City
    implementing: City
    unrelated: City
    held: Event
    planned: Event
    meeting: Event
    people: dict[str, User | AnonymousUser] = field(default_factory=dict)

    def __getitem__(self, role: str):
        return self.people[role]


def build_world() -> World:
    programme = ProgrammeFactory()
    scheme = SchemeFactory(programme=programme)
    other_scheme = SchemeFactory(programme=programme)
    pairing = PairingFactory(scheme=scheme)
    unrelated = CityFactory()
    participation_add(programme=programme, city=unrelated)
    held = PairingEventFactory(
        programme=programme,
        pairing=pairing,
        title="Mentoring visit",
        starts_on=date(2017, 10, 10),
        ends_on=date(2017, 10, 12),
        status=EventStatus.HELD,
    )
    planned = PairingEventFactory(
        programme=programme,
        pairing=pairing,
        kind=StandardEventKind.STUDY_VISIT,
        host_city=pairing.mentor,
        title="Study visit",
        starts_on=date(2017, 4, 4),
        ends_on=date(2017, 4, 6),
    )
    meeting = EventFactory(
        programme=programme,
        kind=StandardEventKind.LAUNCH_MEETING,
        title="Launch meeting",
        venue="Brussels",
        starts_on=date(2016, 11, 17),
        ends_on=date(2016, 11, 18),
        status=EventStatus.HELD,
    )
    world = World(
        programme=programme,
        scheme=scheme,
        other_scheme=other_scheme,
        pairing=pairing,
        mentor=pairing.mentor,
        implementing=pairing.implementing,
        unrelated=unrelated,
        held=held,
        planned=planned,
        meeting=meeting,
    )
    grants = {
        "coordinator": {"role": Role.COORDINATOR, "programme": programme},
        "expert": {"role": Role.EXPERT, "scheme": scheme},
        "other_expert": {"role": Role.EXPERT, "scheme": other_scheme},
        "host_officer": {"role": Role.OFFICER, "city": pairing.implementing},
        "other_city_officer": {"role": Role.OFFICER, "city": pairing.mentor},
        "unrelated_officer": {"role": Role.OFFICER, "city": unrelated},
        "supervisor": {"role": Role.SUPERVISOR, "city": pairing.implementing},
        "partner": {"role": Role.PARTNER, "programme": programme},
        "outsider": {"role": Role.COORDINATOR, "programme": ProgrammeFactory()},
    }
    for name, grant in grants.items():
        user = UserFactory(full_name=name.replace("_", " ").title())
        membership_grant(user=user, **grant)
        world.people[name] = user
    world.people["anonymous"] = AnonymousUser()
    return world


def fresh(user):
    """The person without the memberships cached on the object (as in a new request)."""
    if isinstance(user, AnonymousUser):
        return AnonymousUser()
    return User.objects.get(pk=user.pk)
