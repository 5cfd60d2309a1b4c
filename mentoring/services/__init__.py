"""Writes for the mentoring app, one module per area."""

from .pairings import (
    city_create_in_programme,
    pairing_create,
    pairing_transition,
    pairing_update,
    pairing_validate,
    participation_add,
)

__all__ = [
    "city_create_in_programme",
    "pairing_create",
    "pairing_transition",
    "pairing_update",
    "pairing_validate",
    "participation_add",
]
