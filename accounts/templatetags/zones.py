"""``{{ moment|moment }}``: a moment in the reader's zone with the zone named ("1 March 2026,
00:30 KST (Asia/Seoul)"); ``{{ moment|moment:zone }}`` in a given zone (a document's)."""

from datetime import datetime, tzinfo

from django import template

from config import clock

register = template.Library()


@register.filter
def moment(value: datetime | None, zone: tzinfo | str | None = None) -> str:
    if isinstance(zone, str):
        zone = clock.zone_or_default(zone)
    return clock.moment_text(value, zone)


@register.filter
def zone_name(zone: tzinfo | None = None) -> str:
    """The IANA name of a zone, e.g. Asia/Seoul (the active zone for None or "")."""
    return clock.zone_name(zone or None)
