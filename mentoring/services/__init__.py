"""Writes for the mentoring app, one module per area."""

from .pairings import (
    pairing_create,
    pairing_transition,
    pairing_update,
    pairing_validate,
    participation_add,
)

__all__ = [
    "pairing_create",
    "pairing_transition",
    "pairing_update",
    "pairing_validate",
    "participation_add",
]
