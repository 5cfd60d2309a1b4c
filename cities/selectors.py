"""Reads for cities."""

from django.db.models import Case, Exists, Q, QuerySet, Value, When

from accounts.models import Membership, Role, User
from accounts.selectors import memberships_of, scopes_of
from config.slugs import slug_from

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


def _name_conditions(text: str) -> tuple[Q, Q]:
    """(names it in full, names part of it), for text already stripped."""
    slug = slug_from(text)
    exact = Q(name__iexact=text)
    contains = Q(name__icontains=text)
    if slug:
        exact |= Q(slug=slug)
        contains |= Q(slug__contains=slug)
    return exact, contains


def cities_matching(cities: QuerySet, text: str) -> QuerySet:
    """The cities among ``cities`` whose name contains ``text``, whatever the case, or whose slug
    contains its transliteration, so that accents and scripts do not matter (gdansk finds
    Gdańsk, seoul finds 서울: ``config.slugs`` makes slugs so). Those whose name starts with it
    come first, then by name: the suggestions a search box offers."""
    text = " ".join(text.split())
    if not text:
        return cities.none()
    starts = Case(When(name__istartswith=text, then=Value(0)), default=Value(1))
    return cities.filter(_name_conditions(text)[1]).order_by(starts, "name", "pk")


def cities_named(cities: QuerySet, text: str) -> QuerySet:
    """The cities among ``cities`` that a person typing ``text`` means: those ``cities_matching``
    finds, except that a name typed in full (a suggestion chosen) finds that city only: Gent,
    not Gentilly too. Lazy, and one subquery of the query that uses it however many cities
    there are."""
    text = " ".join(text.split())
    if not text:
        return cities.none()
    exact, contains = _name_conditions(text)
    return cities.filter(exact | (contains & ~Exists(cities.filter(exact))))
