"""Which programmes, schemes and cities a person sees, from their scopes."""

from django.db.models import Count, Q, QuerySet

from accounts.models import User
from accounts.selectors import scopes_of
from cities.models import City

from ..models import EventKind, Programme, Scheme


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


def event_kinds_of(programme: Programme) -> QuerySet:
    """A programme's own kinds of event, each with how many events it has (``event_count``)."""
    return EventKind.objects.filter(programme=programme).annotate(event_count=Count("events"))
