"""Mentoring pages, one module per area: programmes and pairings, events, matching."""
