"""Reads for cities, scoped to the programmes a person takes part in."""

from django.db.models import QuerySet

from accounts.models import Membership, Role, User
from accounts.selectors import programmes_for

from .models import City


def cities_visible_to(user: User) -> QuerySet:
    return City.objects.filter(participations__programme__in=programmes_for(user)).distinct()


def city_team(city: City) -> QuerySet:
    """The officers and supervisors who act for a city."""
    return (
        Membership.objects.filter(city=city, role__in=[Role.OFFICER, Role.SUPERVISOR])
        .select_related("user")
        .order_by("role", "user__full_name")
    )
