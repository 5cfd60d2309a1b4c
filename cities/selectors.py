"""Reads for cities."""

import re
from collections import Counter
from collections.abc import Iterable

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


# How a suggestion names a city whose name another city of the list shares, "Valencia (ES)", or
# shares in the same country too, "Frankfurt (DE, 12)" (its id): ``city_labels`` writes them,
# and every search by name reads them back.
LABEL = re.compile(r"^(?P<name>.+?) \((?P<country>[A-Za-z]{2})(?:, (?P<pk>\d{1,9}))?\)$")


def city_labels(rows: Iterable[tuple[int, str, str]]) -> dict[int, str]:
    """The label of each city of ``rows`` (id, name, country code): its name, with its country
    where another city of the rows has the same name (whatever the case), and its id too where
    that one is in the same country. ``rows`` must hold every city that shares a name with one
    of them, as a search by that name finds them all."""
    rows = list(dict.fromkeys(rows))
    names = Counter(name.casefold() for _pk, name, _country in rows)
    countries = Counter((name.casefold(), country) for _pk, name, country in rows)
    labels = {}
    for pk, name, country in rows:
        if names[name.casefold()] == 1:
            labels[pk] = name
        elif countries[(name.casefold(), country)] == 1:
            labels[pk] = f"{name} ({country})"
        else:
            labels[pk] = f"{name} ({country}, {pk})"
    return labels


def _plain_conditions(text: str) -> tuple[Q, Q]:
    slug = slug_from(text)
    exact = Q(name__iexact=text)
    contains = Q(name__icontains=text)
    if slug:
        exact |= Q(slug=slug)
        contains |= Q(slug__contains=slug)
    return exact, contains


def _name_conditions(text: str) -> tuple[Q, Q]:
    """(names it in full, names part of it), for text already stripped; a label
    (``city_labels``) names its city in full."""
    exact, contains = _plain_conditions(text)
    if labelled := LABEL.match(text):
        city = _plain_conditions(labelled["name"])[0] & Q(country=labelled["country"].upper())
        if labelled["pk"]:
            city &= Q(pk=int(labelled["pk"]))
        exact |= city
        contains |= city
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


def cities_called(cities: QuerySet, text: str) -> QuerySet:
    """The cities among ``cities`` that ``text`` names in full: by name whatever the case, by
    its transliteration whatever the accents and the script (as ``cities_matching``), or by
    the label a suggestion gave it ("Valencia (ES)"). Several when names repeat."""
    text = " ".join(text.split())
    if not text:
        return cities.none()
    return cities.filter(_name_conditions(text)[0])


def labels_among(cities: QuerySet, chosen: Iterable[City]) -> dict[int, str]:
    """``city_labels`` of the ``chosen`` cities, told apart from the others of ``cities`` that
    share their names (one query)."""
    chosen = list(chosen)
    if not chosen:
        return {}
    same = Q()
    for city in chosen:
        same |= Q(name__iexact=city.name)
    rows = cities.filter(same).values_list("pk", "name", "country")
    labels = city_labels([*rows, *((c.pk, c.name, c.country.code) for c in chosen)])
    return {city.pk: labels[city.pk] for city in chosen}
