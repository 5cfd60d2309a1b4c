"""Writes for the mentoring app, one module per area. Import from the module that owns a name."""

from .pairings import pairing_create, pairing_validate, participation_add

__all__ = ["pairing_create", "pairing_validate", "participation_add"]
