"""Reads for cities."""

from django.db.models import QuerySet

from accounts.models import Membership, Role, User
from accounts.selectors import scopes_of

from .models import City


def cities_for(user: User, *, roles: tuple[str, ...] = (Role.OFFICER, Role.SUPERVISOR)) -> QuerySet:
    """The cities a person acts for, as officer or supervisor (or the roles named)."""
    return City.objects.filter(pk__in=scopes_of(user).city_ids(*roles))


def city_team(city: City) -> QuerySet:
    """The officers and supervisors who act for a city."""
    return (
        Membership.objects.filter(city=city, role__in=[Role.OFFICER, Role.SUPERVISOR])
        .select_related("user")
        .order_by("role", "user__full_name")
    )
