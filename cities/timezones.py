"""Time zones of cities: IANA names, and a suggestion from a city's country and coordinates.

The suggestion is the zone, among those the tz database lists for the country, whose principal
city lies nearest to the city (``zone.tab``, one country per line, so Amsterdam gets
Europe/Amsterdam rather than the zone it shares rules with). A country the table does not list
falls back to the nearest zone anywhere. The tables come from the ``tzdata`` package, so a
machine without system time-zone files suggests the same.
"""

import functools
import math
from decimal import Decimal
from importlib import resources

from config import zones
from config.zones import time_zone_names

__all__ = ["suggest_time_zone", "time_zone_names", "validate_time_zone"]


@functools.cache
def _principal_cities() -> tuple[tuple[str, float, float, str], ...]:
    """(country, latitude, longitude, zone) of each zone's principal city."""
    text = resources.files("tzdata.zoneinfo").joinpath("zone.tab").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        country, coordinates, zone = line.split("\t")[:3]
        latitude, longitude = _parse_coordinates(coordinates)
        rows.append((country, latitude, longitude, zone))
    return tuple(rows)


def _parse_coordinates(text: str) -> tuple[float, float]:
    """ISO 6709 as the tz tables write it: ±DDMM±DDDMM or ±DDMMSS±DDDMMSS."""
    split = max(text.rfind("+"), text.rfind("-"))
    return _degrees(text[:split], 2), _degrees(text[split:], 3)


def _degrees(text: str, width: int) -> float:
    sign = -1 if text[0] == "-" else 1
    digits = text[1:]
    degrees = int(digits[:width])
    minutes = int(digits[width : width + 2])
    seconds = int(digits[width + 2 :] or 0)
    return sign * (degrees + minutes / 60 + seconds / 3600)


def _distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in radians (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * math.asin(min(1.0, math.sqrt(a)))


def suggest_time_zone(
    country: str, latitude: Decimal | float | None, longitude: Decimal | float | None
) -> str:
    """The likely IANA zone of a place: its country's zone nearest to it. Without coordinates,
    the country's first zone; with neither, UTC."""
    rows = _principal_cities()
    candidates = [row for row in rows if row[0] == str(country).upper()]
    if latitude is None or longitude is None:
        return candidates[0][3] if candidates else "UTC"
    lat, lon = float(latitude), float(longitude)
    return min(candidates or rows, key=lambda row: _distance(lat, lon, row[1], row[2]))[3]


def validate_time_zone(value: str) -> None:
    """A known IANA zone (``config.zones``: the same rule as a person's zone)."""
    zones.validate_time_zone(value)
