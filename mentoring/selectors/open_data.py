"""Public reads: what a programme with an open data licence publishes to everyone, without
signing in and without personal data (portal's open data pages).

Only the programme's frame: its schemes and facilitators, the cities taking part, the pairings
agreed (active or completed: not proposals, not withdrawn ones), and the events that are over
(not cancelled ones), each with no people: no attendees, authors, creators or contact details,
no agendas, online links or reasons. Each read is one query however many rows there are.
"""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Subquery, Sum

from cities.models import City

from ..models import (
    Commitment,
    Event,
    EventStatus,
    Pairing,
    PairingStatus,
    Participation,
    Programme,
    Scheme,
)

PUBLISHED_PAIRING_STATUSES = (PairingStatus.ACTIVE, PairingStatus.COMPLETED)


def open_data_programmes() -> QuerySet[Programme]:
    """Programmes that publish open data (they chose a licence), newest first."""
    return (
        Programme.objects.exclude(open_data_licence="")
        .select_related("framework")
        .order_by("-starts_on", "name", "pk")
    )


def open_data_programme(slug: str) -> Programme | None:
    return open_data_programmes().filter(slug=slug).first()


def open_schemes(programme: Programme) -> QuerySet[Scheme]:
    return (
        Scheme.objects.filter(programme=programme)
        .select_related("facilitator")
        .prefetch_related("commitments")
        .order_by("code", "pk")
    )


def open_cities(programme: Programme, *, also: Iterable[int] = ()) -> QuerySet[City]:
    """The cities taking part (``joined_on`` the day they joined, ``takes_part``), and those
    of ``also`` (whose published practices or past events the open data names)."""
    joined = Participation.objects.filter(programme=programme, city=OuterRef("pk"))
    return (
        City.objects.filter(Q(Exists(joined)) | Q(pk__in=list(also)))
        .annotate(takes_part=Exists(joined), joined_on=Subquery(joined.values("joined_on")[:1]))
        .order_by("name", "pk")
    )


def open_pairings(programme: Programme) -> QuerySet[Pairing]:
    return (
        Pairing.objects.filter(scheme__programme=programme, status__in=PUBLISHED_PAIRING_STATUSES)
        .select_related("scheme", "mentor", "implementing")
        .order_by("scheme__code", "mentor__name", "implementing__name", "pk")
    )


def past_events(programme: Programme, *, before: date) -> QuerySet[Event]:
    """Events whose last day is before ``before`` and that were not cancelled; those of a
    pairing only while the pairing itself is published."""
    return (
        Event.objects.filter(programme=programme, ends_on__lt=before)
        .exclude(status=EventStatus.CANCELLED)
        .exclude(pairing__isnull=False, pairing__status__in=_unpublished_pairing_statuses())
        .select_related("kind", "host_city", "pairing__scheme")
        .only(
            "pk",
            "title",
            "starts_on",
            "ends_on",
            "time_zone",
            "venue",
            "status",
            "pairing_id",
            "pairing__scheme__code",
            "pairing__scheme_id",
            "pairing__status",
            "kind__code",
            "kind__name",
            "host_city__name",
            "host_city__country",
            "host_city_id",
        )
        .order_by("starts_on", "title", "pk")
    )


def _unpublished_pairing_statuses() -> list[str]:
    return [s for s in PairingStatus.values if s not in PUBLISHED_PAIRING_STATUSES]


def framework_commitments(programme: Programme) -> QuerySet[Commitment]:
    return Commitment.objects.filter(framework_id=programme.framework_id).order_by("number")


def open_frame_state(programme: Programme, *, before: date) -> list:
    """What the frame's published rows are now, cheaply (for telling whether the dataset
    changed): the small tables whole, the events as counts and their last change. Four
    queries."""
    schemes = list(
        Scheme.objects.filter(programme=programme)
        .order_by("pk")
        .values_list("pk", "code", "theme", "description", "facilitator__name")
    )
    cities = list(
        City.objects.filter(participations__programme=programme)
        .order_by("pk")
        .values_list("pk", "name", "slug", "country", "latitude", "longitude", "time_zone")
    )
    pairings = list(
        Pairing.objects.filter(scheme__programme=programme)
        .order_by("pk")
        .values_list("pk", "status", "mentor_id", "implementing_id")
    )
    events = (
        past_events(programme, before=before)
        .order_by()
        .aggregate(count=Count("pk"), ids=Sum("pk"), last=Max("updated_at"))
    )
    return [schemes, cities, pairings, events]
