"""iCalendar feeds of events, for calendar apps that subscribe to a secret link, and the calendar
file an e-mail about one event carries."""

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Event, EventStatus

PRODID = "-//Tandem//City-to-city mentoring events//EN"
# Calendar apps poll subscribed feeds; ask them to do so hourly.
REFRESH = timedelta(hours=1)

ICAL_STATUS = {
    EventStatus.PLANNED: "TENTATIVE",
    EventStatus.CONFIRMED: "CONFIRMED",
    EventStatus.HELD: "CONFIRMED",
    EventStatus.CANCELLED: "CANCELLED",
}


def portal_url(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def event_uid(event: Event) -> str:
    """The same for an event in every feed and every fetch, so calendar apps update it in place."""
    host = urlsplit(settings.SITE_URL).hostname or "tandem"
    return f"event-{event.pk}@{host}"


def _description(event: Event, url: str) -> str:
    lines = [str(event.programme)]
    if event.pairing_id:
        lines.append(_("Pairing: %(pairing)s") % {"pairing": event.pairing})
    if event.status == EventStatus.CANCELLED:
        lines.append(_("Cancelled: %(reason)s") % {"reason": event.cancellation_reason})
    if event.online_url:
        lines.append(_("Online: %(url)s") % {"url": event.online_url})
    if event.agenda:
        lines += ["", event.agenda]
    lines += ["", url]
    return "\n".join(lines)


def location(event: Event) -> str:
    """Where the event is: its venue and host city, or its online link."""
    parts = [event.venue] if event.venue else []
    if event.host_city and event.host_city.name not in event.venue:
        parts.append(event.host_city.name)
    if not parts and event.online_url:
        parts.append(event.online_url)
    return ", ".join(parts)


def vevent(event: Event) -> icalendar.Event:
    """One event, from its start to its end in its own zone: DTSTART and DTEND carry the TZID
    (the feed adds the zone's VTIMEZONE), so calendar apps show it right wherever they are."""
    url = portal_url(event.get_absolute_url())
    item = icalendar.Event()
    item.add("uid", event_uid(event))
    item.add("dtstamp", timezone.now())
    item.add("last-modified", event.updated_at)
    item.add("summary", event.title)
    item.add("dtstart", event.local_starts_at)
    item.add("dtend", event.local_ends_at)
    item.add("status", ICAL_STATUS[event.status])
    item.add("categories", [event.kind.name])
    item.add("url", url)
    item.add("description", _description(event, url))
    where = location(event)
    if where:
        item.add("location", where)
    return item


def _calendar(events: Iterable[Event]) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    for event in events:
        calendar.add_component(vevent(event))
    # A VTIMEZONE for each zone the events use, as RFC 5545 asks for every TZID.
    calendar.add_missing_timezones()
    return calendar


def calendar_feed(events: Iterable[Event], *, name: str) -> bytes:
    """A whole feed; cancelled events stay in it, marked cancelled, so calendars drop them."""
    calendar = _calendar(events)
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", "PT1H")
    return calendar.to_ical()


def event_file(event: Event) -> bytes:
    """One event as a file to open or import (an e-mail's attachment): the same VEVENT and UID
    as in the feeds, so importing it again after a change updates the entry in place."""
    return _calendar([event]).to_ical()
