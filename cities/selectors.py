"""Reads for cities."""

from django.db.models import QuerySet

from accounts.models import Membership, Role, User
from accounts.selectors import memberships_of, scopes_of

from .models import City


def cities_for(user: User, *, roles: tuple[str, ...] = (Role.OFFICER, Role.SUPERVISOR)) -> QuerySet:
    """The cities a person acts for, as officer or supervisor (or the roles named)."""
    return City.objects.filter(pk__in=scopes_of(user).city_ids(*roles))


def cities_of(user: User, *roles: str) -> list[City]:
    """The cities themselves that the person acts for in the roles named (officer or supervisor if
    none), by name: taken from the memberships already read, so no further query."""
    ids = scopes_of(user).city_ids(*roles)
    cities = {m.city.pk: m.city for m in memberships_of(user) if m.city and m.city.pk in ids}
    return sorted(cities.values(), key=lambda city: (city.name, city.pk))


def city_team(city: City) -> QuerySet:
    """The officers and supervisors who act for a city."""
    return (
        Membership.objects.filter(city=city, role__in=[Role.OFFICER, Role.SUPERVISOR])
        .select_related("user")
        .order_by("role", "user__full_name")
    )
