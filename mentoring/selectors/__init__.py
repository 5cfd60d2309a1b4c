"""Reads for the mentoring app, one module per area."""

from .pairings import pairing_counts_by_status, pairings_for, schemes_with_pairings
from .programmes import (
    cities_visible_to,
    coordinated_programmes,
    current_programme,
    programme_context,
    programmes_for,
    schemes_facilitated_by,
)

__all__ = [
    "cities_visible_to",
    "coordinated_programmes",
    "current_programme",
    "programme_context",
    "pairing_counts_by_status",
    "pairings_for",
    "programmes_for",
    "schemes_facilitated_by",
    "schemes_with_pairings",
]
