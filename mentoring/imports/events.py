"""Events of a programme: an event is the one of the programme with the same title starting
on the same day (local to its zone); a row changes it where a cell differs and an empty cell
keeps what is there. Days and times are local to the event's time zone, as on the form."""

from datetime import time

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cities.models import City
from documents import imports
from documents.imports import Column

from ..models import Event, EventKind, Pairing, Programme
from ..services.events import event_create, event_update
from .base import ProgrammeImport


def parse_time(result: imports.RowResult, key: str) -> time | None:
    text = result.values.get(key, "").strip()
    if not text:
        return None
    try:
        return time.fromisoformat(text if len(text) > 4 else text.zfill(5))
    except ValueError:
        result.add_error(
            key,
            _("Write a time as hours:minutes, such as 09:30: “%(value)s” is not one.")
            % {"value": text},
        )
        return None


def parse_day(result: imports.RowResult, key: str):
    text = result.values.get(key, "").strip()
    if not text:
        return None
    try:
        return imports.parse_date(text)
    except ValidationError as error:
        result.add_error(key, error.messages[0])
        return None


class EventImport(ProgrammeImport):
    key = "events"
    label = gettext_lazy("Events")
    description = gettext_lazy(
        "Each row is an event of the programme. An event with the same title on the same first "
        "day is updated; an empty cell keeps what is there. Days and times are local to the "
        "event's time zone (a hosted visit is in its host city's)."
    )
    columns = [
        Column("title", gettext_lazy("Title"), required=True, example="Study visit to Rotterdam"),
        Column(
            "kind",
            gettext_lazy("Kind"),
            required=True,
            example="study_visit",
            help=gettext_lazy("The code or the name of one of the programme's event kinds."),
        ),
        Column(
            "starts_on",
            gettext_lazy("First day"),
            required=True,
            example="2017-03-14",
            help=gettext_lazy("Year-month-day."),
        ),
        Column(
            "ends_on",
            gettext_lazy("Last day"),
            example="2017-03-16",
            help=gettext_lazy("Year-month-day; empty: the kind's usual length."),
        ),
        Column(
            "start_time",
            gettext_lazy("Starts at"),
            example="09:00",
            help=gettext_lazy("Hours:minutes, local; empty: 09:00."),
        ),
        Column(
            "end_time",
            gettext_lazy("Ends at"),
            example="17:00",
            help=gettext_lazy("Hours:minutes, local; empty: 17:00."),
        ),
        Column(
            "time_zone",
            gettext_lazy("Time zone"),
            example="Europe/Amsterdam",
            help=gettext_lazy("An IANA time zone; empty: the host city's or the usual one."),
        ),
        Column(
            "host_city",
            gettext_lazy("Host city"),
            example="Rotterdam",
            help=gettext_lazy("A city of the programme; needed for visits."),
        ),
        Column(
            "scheme",
            gettext_lazy("Scheme"),
            example="A",
            help=gettext_lazy("For a visit of a pairing: the scheme's code."),
        ),
        Column(
            "implementing_city",
            gettext_lazy("Implementing city"),
            example="Gdańsk",
            help=gettext_lazy("For a visit of a pairing: its implementing city."),
        ),
        Column("venue", gettext_lazy("Venue"), example=""),
        Column("online_url", gettext_lazy("Online link"), example=""),
    ]
    # The services' rules on the cells they are about: a rule on the pairing concerns the
    # scheme and the implementing city, "a venue, an online link, or both" both cells, the
    # moments the days and times that make them.
    fields = {
        "pairing": ("scheme", "implementing_city"),
        "venue": ("venue", "online_url"),
        "starts_at": ("starts_on", "start_time"),
        "ends_at": ("ends_on", "end_time"),
    }

    def row(self, result, *, user, target: Programme) -> str:
        values = result.values
        wanted = values["kind"].strip()
        kind = (
            EventKind.objects.filter(programme=target)
            .filter(Q(code__iexact=wanted) | Q(name__iexact=wanted))
            .first()
        )
        if kind is None:
            result.add_error(
                "kind", _("The programme has no kind of event “%(value)s”.") % {"value": wanted}
            )
        starts_on, ends_on = parse_day(result, "starts_on"), parse_day(result, "ends_on")
        start_time, end_time = parse_time(result, "start_time"), parse_time(result, "end_time")
        cities = City.objects.filter(participations__programme=target)
        host_city = self.city_in(cities, result, "host_city")
        pairing = self._pairing(result, target, cities)
        self.refuse_if_errors(result)
        given = {
            "title": values["title"].strip(),
            "kind": kind,
            "host_city": host_city,
            "starts_on": starts_on,
            "ends_on": ends_on,
            "start_time": start_time,
            "end_time": end_time,
            "time_zone": values.get("time_zone", "").strip(),
            "venue": values.get("venue", "").strip(),
            "online_url": values.get("online_url", "").strip(),
        }
        given = {name: value for name, value in given.items() if value not in (None, "")}
        existing = self._existing(target, given["title"], starts_on)
        if existing is None:
            event_create(programme=target, pairing=pairing, by=user, **given)
            return imports.CREATE
        if pairing is not None and existing.pairing_id != pairing.pk:
            result.add_error(
                "implementing_city", _("The pairing of an event cannot be changed by an import.")
            )
            self.refuse_if_errors(result)
        now = {
            "title": existing.title,
            "kind": existing.kind,
            "host_city": existing.host_city,
            "starts_on": existing.local_starts_at.date(),
            "ends_on": existing.local_ends_at.date(),
            "start_time": existing.local_starts_at.time(),
            "end_time": existing.local_ends_at.time(),
            "time_zone": existing.time_zone,
            "venue": existing.venue,
            "online_url": existing.online_url,
        }
        changed = {name: value for name, value in given.items() if now[name] != value}
        if not changed:
            return imports.UNCHANGED
        event_update(event=existing, by=user, **changed)
        return imports.UPDATE

    @staticmethod
    def _existing(programme: Programme, title: str, starts_on) -> Event | None:
        candidates = Event.objects.filter(programme=programme, title__iexact=title).select_related(
            "kind", "host_city"
        )
        return next(
            (event for event in candidates if event.local_starts_at.date() == starts_on), None
        )

    def _pairing(self, result, programme: Programme, cities) -> Pairing | None:
        code = result.values.get("scheme", "").strip()
        city_text = result.values.get("implementing_city", "").strip()
        if not code and not city_text:
            return None
        if not code or not city_text:
            key = "scheme" if not code else "implementing_city"
            result.add_error(key, _("A pairing's visit needs both the scheme and the city."))
            return None
        city = self.city_in(cities, result, "implementing_city")
        if city is None:
            return None
        pairing = (
            Pairing.objects.filter(
                scheme__programme=programme, scheme__code__iexact=code, implementing=city
            )
            .order_by("-pk")
            .first()
        )
        if pairing is None:
            result.add_error(
                "implementing_city",
                _("Scheme %(code)s has no pairing with %(city)s as implementing city.")
                % {"code": code, "city": city},
            )
        return pairing

    def export(self, *, user, target: Programme):
        events = (
            Event.objects.filter(programme=target)
            .select_related("kind", "host_city", "pairing__scheme", "pairing__implementing")
            .order_by("starts_at", "pk")
        )
        return [
            {
                "title": event.title,
                "kind": event.kind.code,
                "starts_on": event.local_starts_at.date().isoformat(),
                "ends_on": event.local_ends_at.date().isoformat(),
                "start_time": event.local_starts_at.strftime("%H:%M"),
                "end_time": event.local_ends_at.strftime("%H:%M"),
                "time_zone": event.time_zone,
                "host_city": event.host_city.name if event.host_city else "",
                "scheme": event.pairing.scheme.code if event.pairing else "",
                "implementing_city": event.pairing.implementing.name if event.pairing else "",
                "venue": event.venue,
                "online_url": event.online_url,
            }
            for event in events
        ]
