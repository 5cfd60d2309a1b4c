"""Reads for programmes and pairings, scoped to what a person may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from accounts.models import User
from accounts.selectors import programmes_for
from cities.models import City

from ..models import Pairing, PairingStatus, Programme, Scheme


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
