"""Reads for the mentoring app, one module per area."""

from .pairings import pairing_counts_by_status, pairings_for, schemes_with_pairings

__all__ = ["pairing_counts_by_status", "pairings_for", "schemes_with_pairings"]
