"""Who hears of pairings, events and visit reports, what they read, and the reminders
(``notifications.notify``; the services call the functions below inside their transactions).

- A pairing proposed, made active or withdrawn: the officers of its two cities and the experts
  of its scheme.
- An event planned, moved, otherwise changed or cancelled, and a reminder N days before it (N
  from the programme's ``reminder_days_before``): its participants (``participants``). Planned,
  moved and cancelled e-mails carry the event as a calendar file.
- A visit report published: the officers of the event's cities; a reminder N days before its
  deadline (the visit's last day plus the programme's ``report_due_days``) while none is
  written: the same officers, who may write it.
"""

from collections.abc import Iterable
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from notifications.models import Notification
from notifications.registry import Attachment, Kind, register, reminder
from notifications.services import notify

from . import feeds
from .models import (
    Event,
    EventReport,
    EventStatus,
    Pairing,
    PairingStatus,
    Participation,
    Programme,
    days_list,
)

PAIRINGS = _("Pairings")
EVENTS = _("Events")
REPORTS = _("Visit reports")


def calendar_file(notification: Notification) -> list[Attachment]:
    """The event as it is when the e-mail is sent, as a file calendar apps import."""
    event = notification.about
    if not isinstance(event, Event):  # removed since
        return []
    name = slugify(event.title) or "event"
    return [(f"{name}.ics", feeds.event_file(event), "text/calendar")]


register(
    Kind(
        "mentoring.pairing_proposed",
        group=PAIRINGS,
        label=_("A pairing of your city or scheme is proposed"),
        message=_(
            "Pairing %(pairing)s is proposed in scheme %(scheme)s: %(mentor)s would mentor "
            "%(implementing)s."
        ),
        action=_("Open the pairing"),
    )
)
register(
    Kind(
        "mentoring.pairing_activated",
        group=PAIRINGS,
        label=_("A pairing of your city or scheme becomes active"),
        message=_("Pairing %(pairing)s is now active in scheme %(scheme)s."),
        action=_("Open the pairing"),
    )
)
register(
    Kind(
        "mentoring.pairing_withdrawn",
        group=PAIRINGS,
        label=_("A pairing of your city or scheme is withdrawn"),
        message=_("Pairing %(pairing)s is withdrawn from scheme %(scheme)s."),
        action=_("Open the pairing"),
    )
)
register(
    Kind(
        "mentoring.event_planned",
        group=EVENTS,
        label=_("An event you take part in is planned"),
        message=_("“%(title)s” is planned to begin on %(starts_date)s at %(place)s."),
        action=_("Open the event"),
        attachments=calendar_file,
    )
)
register(
    Kind(
        "mentoring.event_moved",
        group=EVENTS,
        label=_("An event you take part in moves to another time or place"),
        message=_("“%(title)s” has moved: it now begins on %(starts_date)s at %(place)s."),
        action=_("Open the event"),
        attachments=calendar_file,
    )
)
register(
    Kind(
        "mentoring.event_changed",
        group=EVENTS,
        label=_("The details of an event you take part in change"),
        message=_("The details of “%(title)s” (beginning on %(starts_date)s) have changed."),
        action=_("Open the event"),
    )
)
register(
    Kind(
        "mentoring.event_cancelled",
        group=EVENTS,
        label=_("An event you take part in is cancelled"),
        message=_("“%(title)s”, which was to begin on %(starts_date)s, is cancelled."),
        action=_("Open the event"),
        attachments=calendar_file,
    )
)
register(
    Kind(
        "mentoring.event_soon",
        group=EVENTS,
        label=_("Reminder: an event you take part in is coming"),
        message=_("Reminder: “%(title)s” begins on %(starts_date)s at %(place)s."),
        action=_("Open the event"),
    )
)
register(
    Kind(
        "mentoring.report_published",
        group=REPORTS,
        label=_("The report on a visit of your city is published"),
        message=_("The report on “%(title)s” (%(pairing)s) is published."),
        action=_("Read the report"),
    )
)
register(
    Kind(
        "mentoring.report_due",
        group=REPORTS,
        label=_("Reminder: a visit report of your city is due"),
        message=_("Reminder: the report on “%(title)s” (%(pairing)s) is due by %(due_date)s."),
        action=_("Write the report"),
    )
)


# Who --------------------------------------------------------------------------------------


def _officers(city_ids: Iterable[int]) -> Q:
    return Q(memberships__role=Role.OFFICER, memberships__city_id__in=list(city_ids))


def pairing_people(pairing: Pairing) -> QuerySet:
    """The officers of the pairing's two cities and the experts of its scheme."""
    return User.objects.filter(
        _officers([pairing.mentor_id, pairing.implementing_id])
        | Q(memberships__role=Role.EXPERT, memberships__scheme_id=pairing.scheme_id)
    ).distinct()


def participants(event: Event) -> QuerySet:
    """The people who take part in an event, as they expect to hear of it.

    Attendance is recorded only once an event is held, so before then its participants are the
    people who act for it: for a pairing's event (a visit, a peer review, a webinar of the
    pairing), the officers of its two cities and of its host city, and the experts of the
    pairing's scheme, who facilitate it; for an event of the whole programme (a launch meeting,
    a conference), the officers of every city taking part in the programme (and of its host
    city) and the experts of all its schemes. Anyone recorded as attending is one too. The
    coordinators, who plan and change events, are not told of their own programme's events.
    """
    city_ids = event.city_ids()
    if event.pairing_id is None:
        city_ids |= set(
            Participation.objects.filter(programme_id=event.programme_id).values_list(
                "city_id", flat=True
            )
        )
        experts = Q(
            memberships__role=Role.EXPERT, memberships__scheme__programme_id=event.programme_id
        )
    else:
        experts = Q(memberships__role=Role.EXPERT, memberships__scheme_id=event.pairing.scheme_id)
    return User.objects.filter(
        _officers(city_ids) | experts | Q(attendances__event_id=event.pk)
    ).distinct()


def report_writers(event: Event) -> QuerySet:
    """The officers of the event's cities (both cities of a pairing, and its host): they may
    write its report (``permissions.can_write_report``) and read it when it is published."""
    return User.objects.filter(_officers(event.city_ids())).distinct()


# What ---------------------------------------------------------------------------------------


def _pairing_name(pairing: Pairing | None) -> str:
    if pairing is None:
        return ""
    return f"{pairing.mentor.name} ↔ {pairing.implementing.name}"


def _event_params(event: Event, **more) -> dict:
    """The event's names and its local days (in its own zone, where people meet)."""
    params = {
        "title": event.title,
        "kind": event.kind.name,
        "pairing": _pairing_name(event.pairing),
        "city": event.host_city.name if event.host_city_id else "",
        "place": feeds.location(event),
        "starts_date": event.starts_on,
        "ends_date": event.ends_on,
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
    }
    params.update(more)
    return params


def pairing_step(pairing: Pairing, step: str, *, actor: User | None = None) -> int:
    """Tell of a pairing ``step`` (proposed, activated, withdrawn); inside its transaction."""
    return notify(
        f"mentoring.pairing_{step}",
        recipients=pairing_people(pairing),
        about=pairing,
        link=pairing.get_absolute_url(),
        params={
            "pairing": _pairing_name(pairing),
            "mentor": pairing.mentor.name,
            "implementing": pairing.implementing.name,
            "scheme": pairing.scheme.code,
            "comment": pairing.withdrawal_reason,
        },
        programme=pairing.scheme.programme.name,
        key=f"mentoring.pairing_{step}:{pairing.pk}",
        actor=actor,
    )


# The pairing's status a step leads to, and the step's name in its kind.
PAIRING_STEPS: dict[str, str] = {
    PairingStatus.PROPOSED: "proposed",
    PairingStatus.ACTIVE: "activated",
    PairingStatus.WITHDRAWN: "withdrawn",
}


def event_step(event: Event, step: str, *, actor: User | None = None, comment: str = "") -> int:
    """Tell the participants of an event ``step``: planned, moved, changed or cancelled; inside
    its transaction. A change is one event per saved version of the event."""
    once = "" if step in ("planned", "cancelled") else f":{event.updated_at.isoformat()}"
    return notify(
        f"mentoring.event_{step}",
        recipients=participants(event),
        about=event,
        link=event.get_absolute_url(),
        params=_event_params(event, comment=comment),
        programme=event.programme.name,
        key=f"mentoring.event_{step}:{event.pk}{once}",
        actor=actor,
    )


def report_published(report: EventReport, *, actor: User | None = None) -> int:
    event = report.event
    return notify(
        "mentoring.report_published",
        recipients=report_writers(event),
        about=report,
        link=report.get_absolute_url(),
        params=_event_params(event),
        programme=event.programme.name,
        key=f"mentoring.report_published:{report.pk}",
        actor=actor,
    )


# Reminders ----------------------------------------------------------------------------------


def _around(days: Iterable[int], today: date) -> list[date]:
    """The days that are N days from ``today`` somewhere on Earth (a day either side)."""
    return sorted({today + timedelta(days=n + shift) for n in days for shift in (-1, 0, 1)})


def _local_today(event: Event, now: datetime) -> date:
    return now.astimezone(event.zone).date()


EVENT_RELATED = ("programme", "kind", "host_city", "pairing__mentor", "pairing__implementing")


def _reminding(now: datetime) -> Iterable[tuple[Programme, list[int]]]:
    for programme in Programme.objects.exclude(reminder_days_before=""):
        days = [n for n in days_list(programme.reminder_days_before) if n > 0]
        if days:
            yield programme, days


@reminder
def events_coming(now: datetime) -> int:
    """N days before a planned or confirmed event begins (by the days of the event's own zone),
    for each N of its programme's ``reminder_days_before``, tell its participants. Once per
    event, first day and N: an event moved to another day is reminded of again."""
    told = 0
    for programme, days in _reminding(now):
        events = Event.objects.filter(
            programme=programme,
            status__in=(EventStatus.PLANNED, EventStatus.CONFIRMED),
            starts_on__in=_around(days, now.date()),
        ).select_related(*EVENT_RELATED)
        for event in events:
            left = (event.starts_on - _local_today(event, now)).days
            if left not in days:
                continue
            told += notify(
                "mentoring.event_soon",
                recipients=participants(event),
                about=event,
                link=event.get_absolute_url(),
                params=_event_params(event, days=left),
                programme=programme.name,
                key=f"mentoring.event_soon:{event.pk}:{event.starts_on.isoformat()}:{left}",
            )
    return told


@reminder
def reports_due(now: datetime) -> int:
    """N days before a visit report is due (its visit's last day plus the programme's
    ``report_due_days``; 0: no deadline), while it is not written, tell the officers who may
    write it, for each N of ``reminder_days_before``. A visit is a held event of a pairing that
    a city hosts in person (webinars and programme meetings have no report due). Once per
    visit, deadline and N."""
    told = 0
    for programme, days in _reminding(now):
        due = programme.report_due_days
        if not due:
            continue
        ends = [day - timedelta(days=due) for day in _around(days, now.date())]
        events = Event.objects.filter(
            programme=programme,
            status=EventStatus.HELD,
            pairing__isnull=False,
            kind__hosted=True,
            report__isnull=True,
            ends_on__in=ends,
        ).select_related(*EVENT_RELATED)
        for event in events:
            deadline = event.ends_on + timedelta(days=due)
            left = (deadline - _local_today(event, now)).days
            if left not in days:
                continue
            told += notify(
                "mentoring.report_due",
                recipients=report_writers(event),
                about=event,
                link=reverse("mentoring:event_report", kwargs={"pk": event.pk}),
                params=_event_params(event, due_date=deadline, days=left),
                programme=programme.name,
                key=f"mentoring.report_due:{event.pk}:{deadline.isoformat()}:{left}",
            )
    return told
