"""Reads for programmes and pairings, scoped to what a person may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from cities.models import City

from ..models import PAIRING_WORKFLOW, Pairing, PairingStatus, Programme, Scheme
from .programmes import programmes_for


def pairings_for(user: User, *, scheme: Scheme | None = None, city: City | None = None) -> QuerySet:
    """Pairings in the programmes the person takes part in."""
    pairings = Pairing.objects.filter(scheme__programme__in=programmes_for(user)).select_related(
        "scheme__programme", "mentor", "implementing"
    )
    if scheme is not None:
        pairings = pairings.filter(scheme=scheme)
    if city is not None:
        pairings = pairings.filter(Q(mentor=city) | Q(implementing=city))
    return pairings


def withdrawn_partners(*, scheme: Scheme, city: City) -> QuerySet:
    """Ids of the cities whose pairing with the city was withdrawn in any scheme of the scheme's
    programme, whichever of the two was the mentor: such a pair is never proposed again."""
    withdrawn = Pairing.objects.filter(
        scheme__programme_id=scheme.programme_id, status=PairingStatus.WITHDRAWN
    )
    return City.objects.filter(
        Q(pk__in=withdrawn.filter(implementing=city).values("mentor_id"))
        | Q(pk__in=withdrawn.filter(mentor=city).values("implementing_id"))
    ).values("pk")


def was_withdrawn(*, scheme: Scheme, mentor: City, implementing: City) -> bool:
    """Whether a pairing of the two cities was withdrawn before in the scheme's programme."""
    return withdrawn_partners(scheme=scheme, city=implementing).filter(pk=mentor.pk).exists()


def schemes_with_pairings(programme: Programme) -> QuerySet:
    """A programme's schemes with facilitator, commitments and pairings, in four queries."""
    return (
        Scheme.objects.filter(programme=programme)
        .select_related("facilitator")
        .prefetch_related(
            "commitments",
            Prefetch(
                "pairings",
                queryset=Pairing.objects.select_related("mentor", "implementing"),
            ),
        )
    )


def pairing_counts_by_status(programme: Programme) -> dict[str, int]:
    counts = dict.fromkeys(PairingStatus.values, 0)
    rows = (
        Pairing.objects.filter(scheme__programme=programme)
        .values("status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


HOME_PAIRINGS_PER_SCHEME = 10


def coordinated_overview(programmes: QuerySet) -> list[dict]:
    """For the coordinator's home page: each programme with its number of cities, its schemes
    (facilitator, pairings) and its pairings per status, in seven queries however many programmes.
    """
    # The first pairings of each scheme, and how many there are: the page stays the same size
    # however many pairings a programme has (the pairing list shows them all). Their cities
    # are read for those pairings only (two queries): joined in the query that numbers each
    # scheme's pairings, they were read for every pairing (5.6 against 1 ms at 2,000).
    first_pairings = Pairing.objects.prefetch_related("mentor", "implementing").order_by("pk")
    schemes = (
        Scheme.objects.select_related("facilitator")
        .annotate(pairing_count=Count("pairings"))
        .prefetch_related(
            Prefetch(
                "pairings",
                queryset=first_pairings[:HOME_PAIRINGS_PER_SCHEME],
                to_attr="first_pairings",
            )
        )
    )
    listed = list(
        programmes.annotate(city_count=Count("participations", distinct=True)).prefetch_related(
            Prefetch("schemes", queryset=schemes)
        )
    )
    rows = (
        Pairing.objects.filter(scheme__programme__in=listed)
        .values("scheme__programme_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {programme.pk: dict.fromkeys(PairingStatus.values, 0) for programme in listed}
    for row in rows:
        counts[row["scheme__programme_id"]][row["status"]] = row["n"]
    return [
        {
            "programme": programme,
            "schemes": programme.schemes.all(),
            "counts": counts[programme.pk],
            "city_count": programme.city_count,
        }
        for programme in listed
    ]


def pairing_counts_by_scheme(programme: Programme, schemes: list[Scheme]) -> list[dict]:
    """One row per scheme with its pairing count per status, in one query."""
    rows = (
        Pairing.objects.filter(scheme__programme=programme)
        .values("scheme_id", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts = {(row["scheme_id"], row["status"]): row["n"] for row in rows}
    table = []
    for scheme in schemes:
        cells = [counts.get((scheme.pk, status), 0) for status in PairingStatus.values]
        table.append({"scheme": scheme, "cells": cells, "total": sum(cells)})
    return table


def map_data(programme: Programme) -> dict:
    """Cities as points and pairings as lines, for the dashboard map (its table twin is the
    pairings table on the same page)."""
    cities = list(
        City.objects.filter(participations__programme=programme).only(
            "name", "slug", "latitude", "longitude"
        )
    )
    where = {city.pk: [float(city.latitude), float(city.longitude)] for city in cities}
    pairings = (
        Pairing.objects.filter(scheme__programme=programme)
        .exclude(status=PairingStatus.WITHDRAWN)
        .select_related("scheme", "mentor", "implementing")
    )
    return {
        "cities": [
            {"name": city.name, "url": city.get_absolute_url(), "at": where[city.pk]}
            for city in cities
        ],
        "pairings": [
            {
                "label": f"{p.scheme.code}: {p.mentor.name} → {p.implementing.name}",
                "from": where[p.mentor_id],
                "to": where[p.implementing_id],
                "status": p.status,
            }
            for p in pairings
            if p.mentor_id in where and p.implementing_id in where
        ],
    }


def next_statuses(pairing: Pairing) -> tuple[PairingStatus, ...]:
    """The statuses the pairing's workflow lets it move to from where it is."""
    return tuple(PairingStatus(t.target) for t in PAIRING_WORKFLOW.leaving(pairing))
