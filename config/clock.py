"""The portal's clock: the present moment, "today" where a person is, and a moment written with
the zone it is read in.

Every decision about "today" for a person (may time be recorded for this day, may this month be
signed, is this decision date in the future) asks ``today(zone)`` with that person's zone, so an
officer in Seoul records time for 1 March at 00:30 Seoul time while it is still 28 February in
Brussels. Without a zone, the active one is used: the person's during a request (the time-zone
middleware activates it), ``settings.TIME_ZONE`` in background jobs.

``fixed_at`` is the one seam for tests: the clock reads a fixed moment inside it (also in the
live server's threads, so a browser test can use it). Nothing else in the portal sets it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import formats, timezone

_fixed: datetime | None = None


def now() -> datetime:
    """The present moment (aware, UTC-based), or the fixed one inside ``fixed_at``."""
    return _fixed if _fixed is not None else timezone.now()


def today(zone: tzinfo | None = None) -> date:
    """Today's date in ``zone`` (the active time zone if None)."""
    return timezone.localtime(now(), zone).date()


@contextmanager
def fixed_at(moment: datetime) -> Iterator[None]:
    """Tests only: the clock reads ``moment`` (an aware datetime) until the block ends."""
    global _fixed  # noqa: PLW0603  the seam is module-wide on purpose: live-server threads see it
    if timezone.is_naive(moment):
        raise ValueError("fixed_at needs an aware datetime")
    before, _fixed = _fixed, moment
    try:
        yield
    finally:
        _fixed = before


def zone_name(zone: tzinfo | None = None) -> str:
    """The IANA name of a zone (the active one if None), e.g. Asia/Seoul."""
    zone = zone or timezone.get_current_timezone()
    return getattr(zone, "key", None) or str(zone)


def zone_abbreviation(moment: datetime, zone: tzinfo | None = None) -> str:
    """What the zone is called at that moment: KST, CET, CEST; where the tz database has no
    letters for it, the offset (+04, -03)."""
    return timezone.localtime(moment, zone).tzname() or zone_name(zone)


def moment_text(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """A moment as a person reads it, with the zone named: "1 March 2026, 00:30 KST
    (Asia/Seoul)" in the language's own date format. Empty for None."""
    if moment is None:
        return ""
    zone = zone or timezone.get_current_timezone()
    local = timezone.localtime(moment, zone)
    written = formats.date_format(local, "DATETIME_FORMAT")
    name, abbreviation = zone_name(zone), zone_abbreviation(moment, zone)
    if abbreviation == name:
        return f"{written} {name}"
    return f"{written} {abbreviation} ({name})"


def iso_with_offset(moment: datetime | None, zone: tzinfo | None = None) -> str:
    """ISO 8601 with the offset, for files that software reads: 2026-03-01T00:30:00+09:00."""
    if moment is None:
        return ""
    return timezone.localtime(moment, zone).replace(microsecond=0).isoformat()


def zone_or_default(name: str | None) -> ZoneInfo:
    """The zone of an IANA name; the server's (settings.TIME_ZONE) for an empty or unknown one."""
    for candidate in (name, settings.TIME_ZONE):
        if candidate:
            try:
                return ZoneInfo(candidate)
            except (ValueError, KeyError):
                continue
    return ZoneInfo("UTC")
