"""Reads for events, scoped to what a person may see, with a fixed number of queries."""

from collections import Counter
from collections.abc import Collection

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet

from accounts.models import Role, User
from accounts.selectors import scopes_of
from cities.models import City
from config.tokens import secret_hash

from ..models import (
    Attendance,
    CalendarToken,
    Event,
    EventStatus,
    Pairing,
    Participation,
    Programme,
    Recommendation,
)
from .programmes import programmes_for

EVENT_RELATED = (
    "programme",
    "kind",
    "pairing__scheme",
    "pairing__mentor",
    "pairing__implementing",
    "host_city",
)


def _with_related(events: QuerySet) -> QuerySet:
    return events.select_related(*EVENT_RELATED)


def events_for(
    user: User,
    *,
    programme: Programme | None = None,
    pairing: Pairing | None = None,
    kind: str | None = None,  # the code of a kind, in whichever programme
    status: str | None = None,
    concerning: bool = False,
) -> QuerySet:
    """Events of the programmes the person takes part in: the read-only list everyone sees.

    With ``concerning`` only those the person may open in full (see ``events_concerning``).
    """
    events = (
        events_concerning(user)
        if concerning
        else Event.objects.filter(programme__in=programmes_for(user))
    )
    if programme is not None:
        events = events.filter(programme=programme)
    if pairing is not None:
        events = events.filter(pairing=pairing)
    if kind:
        events = events.filter(kind__code=kind)
    if status:
        events = events.filter(status=status)
    return _with_related(events)


def _concerning_condition(user: User) -> Q:
    """The events that concern a person; mirrors mentoring.permissions.can_view_event."""
    condition = Q(pk__in=[])
    scopes = scopes_of(user)
    coordinated, schemes, cities = scopes.coordinated, scopes.facilitated, scopes.city_ids()
    if coordinated:
        condition |= Q(programme__in=coordinated)
    if schemes:
        condition |= Q(pairing__scheme__in=schemes)
        condition |= Q(pairing__isnull=True, programme__in=scopes.expert_programmes)
    if cities:
        condition |= (
            Q(host_city__in=cities)
            | Q(pairing__mentor__in=cities)
            | Q(pairing__implementing__in=cities)
            | Q(
                pairing__isnull=True,
                programme__in=Participation.objects.filter(city__in=cities).values("programme"),
            )
        )
    return condition


def events_concerning(user: User, *, programme: Programme | None = None) -> QuerySet:
    """The events a person sees in full: their programme's (coordinators), their scheme's and
    the programme-wide ones (experts), their city's and the programme-wide ones (city staff)."""
    events = Event.objects.filter(_concerning_condition(user))
    if programme is not None:
        events = events.filter(programme=programme)
    return _with_related(events)


def with_details(events: QuerySet) -> QuerySet:
    """Events with what their page shows: attendance, the report and its recommendations."""
    return (
        _with_related(events)
        .select_related("report")
        .prefetch_related(
            Prefetch(
                "attendances",
                queryset=Attendance.objects.select_related("user", "city", "organisation"),
            ),
            Prefetch(
                "report__recommendations", queryset=Recommendation.objects.order_by("position")
            ),
        )
    )


def attendance_candidates(event: Event, *, city_ids: Collection[int] | None = None) -> QuerySet:
    """People who may be recorded at the event: anyone with a role in its programme, or, for an
    officer, the people who act for the cities given."""
    if city_ids is not None:
        people = User.objects.filter(
            memberships__role__in=(Role.OFFICER, Role.SUPERVISOR), memberships__city__in=city_ids
        )
    else:
        programme = event.programme_id
        people = User.objects.filter(
            Q(memberships__programme=programme)
            | Q(memberships__scheme__programme=programme)
            | Q(memberships__city__participations__programme=programme)
        )
    return people.filter(is_active=True).distinct().order_by("full_name", "email")


def programme_feed_events(programme: Programme) -> QuerySet:
    """Every event of a programme, cancelled ones included, for its calendar feed."""
    return _with_related(Event.objects.filter(programme=programme))


def calendar_token_of(user: User) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user).first()


def user_by_calendar_token(token: str) -> User | None:
    """The active person whose feed links carry the token, or None."""
    found = (
        CalendarToken.objects.filter(token_hash=secret_hash(token), user__is_active=True)
        .select_related("user")
        .first()
    )
    return found.user if found else None


def plannable_for(user: User) -> tuple[QuerySet, QuerySet]:
    """Where the person may plan events: programmes they coordinate and the pairings they
    coordinate or facilitate."""
    scopes = scopes_of(user)
    coordinated, schemes = scopes.coordinated, scopes.facilitated
    programmes = Programme.objects.filter(pk__in=coordinated)
    pairings = Pairing.objects.filter(
        Q(scheme__programme__in=coordinated) | Q(scheme__in=schemes)
    ).select_related("scheme__programme", "mentor", "implementing")
    return programmes, pairings


def upcoming_events(programme: Programme, *, limit: int = 6) -> list[Event]:
    """The programme's events still to happen (planned or confirmed), soonest first."""
    events = Event.objects.filter(
        programme=programme, status__in=[EventStatus.PLANNED, EventStatus.CONFIRMED]
    ).order_by("starts_on", "pk")
    return list(_with_related(events)[:limit])


def usual_time_zone(programme: Programme) -> str:
    """The zone of an event no city hosts, unless the coordinator chooses another: the zone most
    of the programme's cities are in (the first by name on a tie), as most of the people who
    attend are there; the server's zone for a programme without cities yet."""
    zones = Counter(
        City.objects.filter(participations__programme=programme)
        .exclude(time_zone="")
        .order_by("time_zone")
        .values_list("time_zone", flat=True)
    )
    return zones.most_common(1)[0][0] if zones else settings.TIME_ZONE
