"""Writes for events, attendance, event reports and calendar links.

Every rule lives here and fails with a ValidationError keyed by the field a form shows it on;
the database constraints on the models hold the same rules once more.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TypedDict, Unpack
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from cities.models import City
from config import stale
from config.tokens import new_secret

from .. import notifications
from ..models import (
    EVENT_WORKFLOW,
    Attendance,
    CalendarToken,
    Event,
    EventKind,
    EventReport,
    EventStatus,
    ExpertOrganisation,
    HostSide,
    Pairing,
    Participation,
    Programme,
    Recommendation,
)
from ..selectors.events import usual_time_zone
from ..selectors.programmes import programmes_for

HALF_DAY = Decimal("0.5")
Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _clean_and_raise(instance: models.Model, errors: Errors, **options) -> None:
    """Run the model's own validation as well, and raise everything found in one error.

    Once a rule here has failed, the database constraints that restate it are not checked again,
    so a form shows each problem once, next to its field.
    """
    try:
        instance.full_clean(validate_constraints=not errors, **options)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


# Events ---------------------------------------------------------------------------------------


class EventFields(TypedDict, total=False):
    kind: EventKind
    title: str
    host_city: City | None
    starts_on: date
    start_time: time
    ends_on: date | None
    end_time: time
    time_zone: str
    venue: str
    online_url: str
    agenda: str


EDITABLE_FIELDS = tuple(EventFields.__annotations__)
# Where an event is placed in time: local days and times in a zone, turned into moments.
TIME_FIELDS = ("starts_on", "start_time", "ends_on", "end_time", "time_zone")
DAY_STARTS, DAY_ENDS = time(9), time(17)


def _zone_of(event: Event, chosen: str) -> str:
    """A hosted event is in its host city's zone; the others in the zone chosen."""
    if event.host_city is not None and (event.kind.hosted or not chosen):
        return event.host_city.time_zone or chosen or usual_time_zone(event.programme)
    return chosen or usual_time_zone(event.programme)


def _place_in_time(
    event: Event,
    errors: Errors,
    *,
    starts_on: date,
    start_time: time,
    ends_on: date | None,
    end_time: time,
    time_zone: str,
) -> None:
    """Set the event's moments and zone from local days and times. Without a last day, the
    event lasts its kind's usual number of days."""
    if ends_on is None:
        ends_on = starts_on + timedelta(days=event.kind.usual_days - 1)
    event.time_zone = _zone_of(event, time_zone.strip())
    try:
        zone = ZoneInfo(event.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        _add(errors, "time_zone", _("Choose a time zone from the list, e.g. Asia/Seoul."))
        zone = ZoneInfo("UTC")
    event.starts_at = datetime.combine(starts_on, start_time, tzinfo=zone)
    event.ends_at = datetime.combine(ends_on, end_time, tzinfo=zone)
    event.derive_dates()
    if ends_on < starts_on:
        _add(errors, "ends_on", _("The event cannot end before it starts."))
    elif event.ends_at < event.starts_at:
        _add(errors, "end_time", _("On a one-day event, the end comes after the start."))


def _local_times(event: Event) -> dict:
    start, end = event.local_starts_at, event.local_ends_at
    return {
        "starts_on": start.date(),
        "start_time": start.time(),
        "ends_on": end.date(),
        "end_time": end.time(),
        "time_zone": event.time_zone,
    }


def _refuse_kind_of_another_programme(event: Event) -> None:
    """Each programme has its own kinds; the rules of another's do not apply here."""
    if event.kind.programme_id != event.programme_id:
        message = _("Choose one of the kinds of %(programme)s.") % {"programme": event.programme}
        raise ValidationError({"kind": [message]})


def _event_errors(event: Event) -> Errors:
    errors: Errors = {}
    programme, pairing, kind = event.programme, event.pairing, event.kind
    kind_label = kind.name
    if event.starts_on and not programme.starts_on <= event.starts_on <= programme.ends_on:
        _add(
            errors,
            "starts_on",
            _("The event must take place while %(programme)s runs (%(start)s to %(end)s).")
            % {"programme": programme, "start": programme.starts_on, "end": programme.ends_on},
        )
    if event.ends_on and not programme.starts_on <= event.ends_on <= programme.ends_on:
        _add(
            errors,
            "ends_on",
            _("The event must end by the programme's last day, %(end)s.")
            % {"end": programme.ends_on},
        )
    if not event.venue.strip() and not event.online_url.strip():
        _add(errors, "venue", _("Give a venue, an online link, or both."))
    if pairing is not None and pairing.scheme.programme_id != programme.pk:
        _add(errors, "pairing", _("This pairing belongs to another programme."))
    if kind.for_pairing and pairing is None:
        _add(errors, "kind", _("A %(kind)s is held by a pairing.") % {"kind": kind_label.lower()})
    if kind.for_programme and pairing is not None:
        _add(
            errors,
            "kind",
            _("A %(kind)s is for the whole programme, not for one pairing.")
            % {"kind": kind_label.lower()},
        )
    host = event.host_city
    if host is None:
        if kind.hosted:
            _add(
                errors,
                "host_city",
                _("A %(kind)s needs a host city.") % {"kind": kind_label.lower()},
            )
        return errors
    if pairing is not None:
        expected_hosts: dict[str, tuple[City, str]] = {
            HostSide.MENTOR: (
                pairing.mentor,
                _("A %(kind)s is hosted by the mentor city.") % {"kind": kind_label.lower()},
            ),
            HostSide.IMPLEMENTING: (
                pairing.implementing,
                _("A %(kind)s is hosted by the implementing city.") % {"kind": kind_label.lower()},
            ),
        }
        expected = expected_hosts.get(kind.host_side if kind.hosted else HostSide.ANY)
        if expected and host.pk != expected[0].pk:
            _add(errors, "host_city", expected[1])
        elif host.pk not in (pairing.mentor_id, pairing.implementing_id):
            _add(errors, "host_city", _("Choose one of the pairing's two cities as host."))
    elif not Participation.objects.filter(programme=programme, city=host).exists():
        _add(
            errors,
            "host_city",
            _("%(city)s does not take part in %(programme)s.")
            % {"city": host, "programme": programme},
        )
    return errors


def event_create(
    *,
    programme: Programme,
    kind: EventKind,
    title: str,
    starts_on: date,
    ends_on: date | None = None,
    start_time: time | None = None,
    end_time: time | None = None,
    time_zone: str = "",
    pairing: Pairing | None = None,
    host_city: City | None = None,
    venue: str = "",
    online_url: str = "",
    agenda: str = "",
    by: User | None = None,
) -> Event:
    """Plan an event; it starts as planned. Its days and times are local to its zone (the host
    city's for a hosted kind); without a last day it lasts its kind's usual number of days,
    from 09:00 on the first to 17:00 on the last unless other times are given. Its participants
    (``notifications.participants``; not ``by``) hear of it, with a calendar file."""
    event = Event(
        programme=programme,
        pairing=pairing,
        kind=kind,
        title=title.strip(),
        host_city=host_city,
        venue=venue.strip(),
        online_url=online_url.strip(),
        agenda=agenda.strip(),
        status=EventStatus.PLANNED,
        created_by=by,
    )
    _refuse_kind_of_another_programme(event)
    errors: Errors = {}
    _place_in_time(
        event,
        errors,
        starts_on=starts_on,
        start_time=start_time or DAY_STARTS,
        ends_on=ends_on,
        end_time=end_time or DAY_ENDS,
        time_zone=time_zone,
    )
    errors.update({k: errors.get(k, []) + v for k, v in _event_errors(event).items()})
    _clean_and_raise(event, errors)
    with transaction.atomic():
        event.save()
        notifications.event_step(event, "planned", actor=by)
    return event


# A change of these moves the event (its participants get a new calendar file); of the other
# fields, it only changes its details.
MOVING_FIELDS = ("starts_at", "ends_at", "time_zone", "host_city_id", "venue", "online_url")
DETAIL_FIELDS = ("title", "kind_id", "agenda")


def event_update(
    *,
    event: Event,
    expected_version: str | None = None,
    by: User | None = None,
    **fields: Unpack[EventFields],
) -> Event:
    """Change what a planned or confirmed event is; held and cancelled events are records.
    Days and times not given stay as they were, local to the event's (possibly new) zone.
    Refused (``config.stale``) when the event changed since the page of ``expected_version``.
    Its participants (not ``by``) hear that it moved (a new time or place, with a calendar
    file) or that its details changed; nothing when nothing changed."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"event_update() cannot change {', '.join(sorted(unknown))}")
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        if not current.is_editable:
            message = _("A %(status)s event can no longer be changed.") % {
                "status": current.get_status_display().lower()
            }
            raise ValidationError({"__all__": [message]})
        stale.check(current, expected_version)
        times = _local_times(current)
        for name, value in fields.items():
            if name in TIME_FIELDS:
                if value is not None or name == "ends_on":
                    times[name] = value
            else:
                setattr(event, name, value.strip() if isinstance(value, str) else value)
        _refuse_kind_of_another_programme(event)
        errors: Errors = {}
        _place_in_time(event, errors, **times)
        errors.update({k: errors.get(k, []) + v for k, v in _event_errors(event).items()})
        _clean_and_raise(event, errors)
        event.save()
        if any(getattr(current, name) != getattr(event, name) for name in MOVING_FIELDS):
            notifications.event_step(event, "moved", actor=by)
        elif any(getattr(current, name) != getattr(event, name) for name in DETAIL_FIELDS):
            notifications.event_step(event, "changed", actor=by)
    return event


def event_transition(*, event: Event, to: str, reason: str = "", by: User | None = None) -> Event:
    """Move the status along planned → confirmed → held, or cancel with a reason; the
    participants (not ``by``) hear of a cancellation, with the reason and a calendar file that
    takes it off their calendars."""
    with transaction.atomic():
        current = Event.objects.select_for_update().get(pk=event.pk)
        errors: Errors = {}
        possible, refusal = EVENT_WORKFLOW.allowed(None, current, to)
        if not possible:
            _add(errors, "status", refusal)
        elif to == EventStatus.HELD and current.starts_at > timezone.now():
            _add(errors, "status", _("An event can be marked as held once it has begun."))
        reason = reason.strip()
        if to == EventStatus.CANCELLED and not reason:
            _add(errors, "cancellation_reason", _("Say why the event is cancelled."))
        if errors:
            raise ValidationError(errors)
        EVENT_WORKFLOW.take(None, current, to)
        if to == EventStatus.CANCELLED:
            current.cancellation_reason = reason
        current.full_clean()
        current.save(update_fields=["status", "cancellation_reason", "updated_at"])
        if to == EventStatus.CANCELLED:
            notifications.event_step(current, "cancelled", actor=by, comment=reason)
    event.status, event.cancellation_reason = current.status, current.cancellation_reason
    event.updated_at = current.updated_at
    return event


# Attendance -----------------------------------------------------------------------------------


def _acts_for(user: User, city: City) -> bool:
    return user.memberships.filter(role__in=(Role.OFFICER, Role.SUPERVISOR), city=city).exists()


def _attendance_errors(attendance: Attendance) -> Errors:
    errors: Errors = {}
    event, user, days = attendance.event, attendance.user, attendance.days
    if event.status != EventStatus.HELD:
        _add(errors, "__all__", _("Attendance is recorded once the event has been held."))
    if user is None and not attendance.guest_name:
        _add(errors, "user", _("Choose a person, or give a guest's name."))
    elif user is not None and attendance.guest_name:
        _add(errors, "guest_name", _("Choose a person or give a guest's name, not both."))
    represents = [attendance.city, attendance.organisation, attendance.organisation_name]
    if sum(bool(value) for value in represents) != 1:
        _add(errors, "city", _("Choose one city or one organisation the person came for."))
    city = attendance.city
    if (
        city is not None
        and not Participation.objects.filter(programme_id=event.programme_id, city=city).exists()
    ):
        _add(
            errors,
            "city",
            _("%(city)s does not take part in %(programme)s.")
            % {"city": city, "programme": event.programme},
        )
    if user is not None:
        if not programmes_for(user).filter(pk=event.programme_id).exists():
            _add(
                errors,
                "user",
                _("%(person)s has no role in %(programme)s.")
                % {"person": user, "programme": event.programme},
            )
        elif city is not None and not _acts_for(user, city):
            _add(
                errors,
                "user",
                _("%(person)s does not act for %(city)s.") % {"person": user, "city": city},
            )
        if Attendance.objects.filter(event=event, user=user).exists():
            _add(
                errors,
                "user",
                _("%(person)s is already recorded at this event.") % {"person": user},
            )
    elif (
        attendance.guest_name
        and Attendance.objects.filter(event=event, guest_name=attendance.guest_name).exists()
    ):
        _add(errors, "guest_name", _("This guest is already recorded at this event."))
    if days is not None:
        if days <= 0:
            _add(errors, "days", _("Days attended must be more than zero."))
        elif days % HALF_DAY:
            _add(errors, "days", _("Count days in half-day steps, e.g. 1, 1.5 or 2."))
        elif days > event.length_in_days:
            _add(
                errors,
                "days",
                _("The event lasts %(length)s days; nobody attended longer.")
                % {"length": event.length_in_days},
            )
    return errors


def attendance_record(
    *,
    event: Event,
    days: Decimal,
    user: User | None = None,
    guest_name: str = "",
    city: City | None = None,
    organisation: ExpertOrganisation | None = None,
    organisation_name: str = "",
    by: User | None = None,
) -> Attendance:
    """Record that a person (or a guest) took part in a held event, for a city or organisation."""
    attendance = Attendance(
        event=event,
        user=user,
        guest_name=guest_name.strip(),
        city=city,
        organisation=organisation,
        organisation_name=organisation_name.strip(),
        days=days,
        recorded_by=by,
    )
    _clean_and_raise(attendance, _attendance_errors(attendance), validate_unique=False)
    try:
        with transaction.atomic():
            attendance.save()
    except IntegrityError as error:
        # Someone recorded the same person a moment ago: the unique constraint caught it.
        field = "user" if user is not None else "guest_name"
        raise ValidationError(
            {field: _("This person is already recorded at this event.")}
        ) from error
    return attendance


def attendance_delete(*, attendance: Attendance) -> None:
    with transaction.atomic():
        attendance.delete()


# Reports --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationInput:
    """One recommendation as a form sends it: new (no pk), changed, or to remove."""

    text: str
    pk: int | None = None
    delete: bool = False


def report_version(report: EventReport | None) -> str:
    """The version of a report with its recommendations, as its edit page carries it."""
    if report is None:
        return stale.version_of(None)
    return stale.version_of(report, parts=report.recommendations.order_by("pk"))


def report_save(
    *,
    event: Event,
    findings: str,
    recommendations: Sequence[RecommendationInput] = (),
    by: User | None = None,
    expected_version: str | None = None,
) -> EventReport:
    """Write or rewrite the report of a held event.

    Recommendations keep their id and number while the report is edited, so that an action plan
    can cite them; new ones are numbered after the highest number the report had.
    ``expected_version``: the report as the page showed it (``report_version``); a report
    written or changed since is refused (``config.stale``), the event's row locked meanwhile.
    """
    errors: Errors = {}
    if event.status != EventStatus.HELD:
        _add(errors, "__all__", _("A report can be written once the event has been held."))
    findings = findings.strip()
    if not findings:
        _add(errors, "findings", _("Write what the event found."))
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        report = EventReport.objects.select_for_update().filter(event=event).first()
        stale.check_token(report_version(report), expected_version, current_object=report)
        existing = {r.pk: r for r in report.recommendations.all()} if report else {}
        for item in recommendations:
            if item.pk is not None and item.pk not in existing:
                _add(errors, "recommendations", _("A recommendation was not found in this report."))
            elif not item.delete and not item.text.strip():
                _add(errors, "recommendations", _("A recommendation cannot be empty."))
        if errors:
            raise ValidationError(errors)
        last = max((r.position for r in existing.values()), default=0)
        published = report is None
        if report is None:
            report = EventReport(event=event)
        report.findings = findings
        report.written_by = by
        report.full_clean()
        report.save()
        removed = [item.pk for item in recommendations if item.pk is not None and item.delete]
        try:
            with transaction.atomic():
                Recommendation.objects.filter(report=report, pk__in=removed).delete()
        except models.ProtectedError as error:
            raise ValidationError(
                {
                    "recommendations": _(
                        "A recommendation that other records refer to cannot be removed."
                    )
                }
            ) from error
        for item in recommendations:
            if item.delete:
                continue
            if item.pk is None:
                last += 1
                recommendation = Recommendation(report=report, position=last, text=item.text)
            else:
                recommendation = existing[item.pk]
                recommendation.text = item.text
            recommendation.text = recommendation.text.strip()
            recommendation.full_clean()
            recommendation.save()
        if published:
            notifications.report_published(report, actor=by)
    return report


# Calendar links -------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCalendarLinks:
    """The stored token and, this once, the secret that its links carry (only its hash is
    kept)."""

    calendar_token: CalendarToken
    secret: str


def calendar_token_regenerate(*, user: User) -> NewCalendarLinks:
    """Give the person new secret feed links; the old ones stop working at once. The secret is
    returned to be shown once: it is not stored."""
    secret, hashed = new_secret()
    with transaction.atomic():
        calendar_token, _created = CalendarToken.objects.update_or_create(
            user=user, defaults={"token_hash": hashed}
        )
    return NewCalendarLinks(calendar_token=calendar_token, secret=secret)
