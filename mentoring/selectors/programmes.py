"""Which programmes, schemes and cities a person sees, from their scopes."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.selectors import programmes_named_by_memberships, scopes_of
from cities.models import City

from ..models import EventKind, Participation, Programme, Scheme


def schemes_facilitated_by(user: User) -> QuerySet:
    return Scheme.objects.filter(pk__in=scopes_of(user).facilitated)


def coordinated_programmes(user: User) -> QuerySet:
    return Programme.objects.filter(pk__in=scopes_of(user).coordinated)


def programmes_for(user: User) -> QuerySet:
    """Every programme the person may look at: through any role they hold in it."""
    if not user.is_authenticated:
        return Programme.objects.none()
    scopes = scopes_of(user)
    return Programme.objects.filter(
        Q(pk__in=scopes.programme_ids() | scopes.expert_programmes)
        | Q(participations__city__in=scopes.city_ids())
    ).distinct()


def cities_visible_to(user: User) -> QuerySet:
    """The cities taking part in a programme the person may look at."""
    return City.objects.filter(participations__programme__in=programmes_for(user)).distinct()


@dataclass(frozen=True)
class ProgrammeContext:
    """The programmes a person takes part in and the one they work in now.

    ``current`` is the programme the person chose (``User.current_programme``) while they still
    take part in it, else their most recent programme; ``None`` for a person in no programme.
    ``city_ids`` are the cities the person acts for (as officer or supervisor) that take part
    in the current programme."""

    programmes: tuple[Programme, ...]
    current: Programme | None
    city_ids: frozenset[int]

    @property
    def several(self) -> bool:
        return len(self.programmes) > 1


def programme_context(user: User) -> ProgrammeContext:
    """The person's programmes and the current one, computed once per user object (so once
    per request). The programmes of coordinators, partners and experts come with their
    memberships (no query); a person who acts for cities costs one query, for the programmes
    their cities take part in."""
    cached = getattr(user, "_programme_context_cache", None)
    if cached is not None:
        return cached
    if not user.is_authenticated:
        return ProgrammeContext(programmes=(), current=None, city_ids=frozenset())
    found: dict[int, Programme] = {p.pk: p for p in programmes_named_by_memberships(user)}
    city_ids = scopes_of(user).city_ids()
    cities_by_programme: dict[int, set[int]] = {}
    if city_ids:
        for participation in Participation.objects.filter(city__in=city_ids).select_related(
            "programme"
        ):
            found.setdefault(participation.programme_id, participation.programme)
            cities_by_programme.setdefault(participation.programme_id, set()).add(
                participation.city_id
            )
    # Programme's own order: the most recent first, then by name.
    by_name = sorted(found.values(), key=lambda p: p.name)
    programmes = tuple(sorted(by_name, key=lambda p: p.starts_on, reverse=True))
    current = next((p for p in programmes if p.pk == user.current_programme_id), None)
    if current is None and programmes:
        current = programmes[0]
    context = ProgrammeContext(
        programmes=programmes,
        current=current,
        city_ids=frozenset(cities_by_programme.get(current.pk, ())) if current else frozenset(),
    )
    user._programme_context_cache = context  # type: ignore[attr-defined]  # a per-request cache
    return context


def current_programme(user: User) -> Programme | None:
    """The programme the person works in now (see ``programme_context``)."""
    return programme_context(user).current


def event_kinds_of(programme: Programme) -> QuerySet:
    """A programme's own kinds of event, each with how many events it has (``event_count``)."""
    return EventKind.objects.filter(programme=programme).annotate(event_count=Count("events"))
