"""Writes of staff time: a person's month, single entries and the month grid."""

from calendar import monthrange
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import today_for
from cities.models import City
from config import stale
from mentoring.models import Event, Programme

from .. import permissions
from ..costs import CostFigures
from ..models import (
    Activity,
    StaffRate,
    TimeEntry,
    TimesheetMonth,
)

HALF_HOUR = Decimal("0.5")
DAY_LIMIT = Decimal(24)


def _plain(value) -> str:
    """A number for a message without trailing zeros or exponent: 220, 7.5 (not 2.2E+2)."""
    return format(Decimal(value).normalize(), "f")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def days_of_month(month: date) -> list[date]:
    return [month.replace(day=d) for d in range(1, monthrange(month.year, month.month)[1] + 1)]


# Months -----------------------------------------------------------------------------------------


def timesheet_for(
    *, person: User, programme: Programme, city: City, month: date, lock: bool = False
) -> TimesheetMonth:
    """The person's timesheet of the month, created open when it does not exist yet."""
    month = first_of_month(month)
    sheet, _created = TimesheetMonth.objects.get_or_create(
        person=person, programme=programme, city=city, month=month
    )
    if lock:
        sheet = TimesheetMonth.objects.select_for_update().get(pk=sheet.pk)
    return sheet


def _check_recorder(person: User, programme: Programme, city: City) -> None:
    if not permissions.can_record_time(person, city.pk):
        raise ValidationError(_("Only officers of %(city)s record time for it.") % {"city": city})
    if not programme.participations.filter(city=city).exists():
        raise ValidationError(
            _("%(city)s does not take part in %(programme)s.")
            % {"city": city, "programme": programme}
        )


_locked_message = permissions.month_locked_message


# Entries ----------------------------------------------------------------------------------------


def _entry_errors(
    entry: TimeEntry, programme: Programme, *, today: date, totals: bool = True
) -> dict[str, list[str]]:
    """The rules one entry must keep, against what is already stored (itself excluded).
    ``today`` is the date where the person recording is (no time for a later day).
    ``totals=False`` checks the entry alone, without the day and year totals."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    hours, day = entry.hours, entry.day
    if hours is None or hours <= 0:
        add("hours", _("Enter a number of hours above zero."))
    elif hours > DAY_LIMIT:
        add("hours", _("A day has 24 hours."))
    elif hours % HALF_HOUR:
        add("hours", _("Record hours in half-hour steps, e.g. 2 or 2.5."))
    if day is not None:
        if day < programme.starts_on:
            add(
                "day",
                _("%(programme)s starts on %(date)s.")
                % {"programme": programme, "date": date_format(programme.starts_on)},
            )
        elif day > programme.ends_on:
            add(
                "day",
                _("%(programme)s ended on %(date)s.")
                % {"programme": programme, "date": date_format(programme.ends_on)},
            )
        if day > today:
            add("day", _("Time can only be recorded for today or earlier."))
    if entry.event is not None and entry.event.programme_id != programme.pk:
        add("event", _("Choose an event of %(programme)s.") % {"programme": programme})
    limit = TimeEntry._meta.get_field("description").max_length
    if limit is not None and len(entry.description or "") > limit:
        add(
            "description",
            _("Keep the description to %(limit)s characters.") % {"limit": limit},
        )
    if errors:
        return errors

    others = TimeEntry.objects.filter(person=entry.person).exclude(pk=entry.pk)
    # One entry per person, programme, day, activity and event, whichever city it is for.
    duplicate = others.filter(
        programme=programme, day=day, activity=entry.activity, event=entry.event
    )
    if duplicate.exists():
        add(
            "activity",
            _("There is already an entry for this day, activity and event; change that one."),
        )
    if errors or not totals:
        return errors
    day_totals = others.filter(day=day).aggregate(
        all=Sum("hours"), here=Sum("hours", filter=Q(programme=programme))
    )
    if (day_totals["here"] or 0) + hours > programme.max_hours_per_day:
        add(
            "hours",
            _(
                "%(programme)s accepts at most %(limit)s hours a day; %(recorded)s are already "
                "recorded on %(date)s."
            )
            % {
                "programme": programme,
                "limit": _plain(programme.max_hours_per_day),
                "recorded": _plain(day_totals["here"] or 0),
                "date": date_format(day),
            },
        )
    elif (day_totals["all"] or 0) + hours > DAY_LIMIT:
        add("hours", _("With your other programmes this day would have more than 24 hours."))
    cap_error = _annual_cap_error(entry, others, hours)
    if cap_error:
        add("hours", cap_error)
    return errors


def _annual_cap_error(entry: TimeEntry, others, hours: Decimal) -> str | None:
    """Hours declared in a year may not exceed the person's productive hours."""
    year = entry.day.year
    rate = StaffRate.objects.filter(person=entry.person, city=entry.city, year=year).first()
    figures = CostFigures.of(entry.programme)
    productive = rate.productive_hours(figures) if rate else figures.productive_hours_per_year
    declared = others.filter(day__year=year).aggregate(total=Sum("hours"))["total"] or 0
    if declared + hours > productive:
        return _(
            "This would bring your hours in %(year)s to %(total)s, more than your %(productive)s "
            "productive hours."
        ) % {
            "year": year,
            "total": _plain(declared + hours),
            "productive": _plain(productive),
        }
    return None


@transaction.atomic
def time_entry_create(
    *,
    person: User,
    programme: Programme,
    city: City,
    day: date,
    activity: str,
    hours: Decimal,
    event: Event | None = None,
    description: str = "",
    today: date | None = None,
) -> TimeEntry:
    """Record the person's own hours, for today or earlier: ``today`` is the date where the
    person is (by default from their time zone, ``accounts.selectors.today_for``)."""
    _check_recorder(person, programme, city)
    entry = TimeEntry(
        person=person,
        programme=programme,
        city=city,
        day=day,
        activity=activity,
        hours=hours,
        event=event,
        description=description,
    )
    _save_entry(entry, programme, today=today or today_for(person))
    return entry


@transaction.atomic
def time_entry_update(
    entry: TimeEntry,
    *,
    by: User,
    expected_version: str | None = None,
    today: date | None = None,
    **changes,
) -> TimeEntry:
    """Change one of the person's own entries, in a month that is still open; refused
    (``config.stale``) when it changed since the page with ``expected_version`` was drawn.
    ``today`` is the date where the person is (by default from their time zone)."""
    if entry.person_id != by.pk:
        raise ValidationError(_("Only the person who recorded the time can change it."))
    old_sheet = TimesheetMonth.objects.select_for_update().get(pk=entry.timesheet_id)
    if old_sheet.is_locked:
        raise ValidationError(_locked_message(old_sheet))
    stale.locked(entry, expected_version)
    for field in ("day", "activity", "hours", "event", "description"):
        if field in changes:
            setattr(entry, field, changes[field])
    _save_entry(entry, entry.programme, today=today or today_for(by))
    return entry


@transaction.atomic
def time_entry_delete(entry: TimeEntry, *, by: User) -> None:
    if entry.person_id != by.pk:
        raise ValidationError(_("Only the person who recorded the time can delete it."))
    sheet = TimesheetMonth.objects.select_for_update().get(pk=entry.timesheet_id)
    if sheet.is_locked:
        raise ValidationError(_locked_message(sheet))
    entry.delete()


def _save_entry(entry: TimeEntry, programme: Programme, *, today: date) -> None:
    errors = _entry_errors(entry, programme, today=today)
    if errors:
        raise ValidationError(errors)
    sheet = timesheet_for(
        person=entry.person, programme=programme, city=entry.city, month=entry.day, lock=True
    )
    if sheet.is_locked:
        raise ValidationError({"day": [_locked_message(sheet)]})
    entry.timesheet = sheet
    entry.full_clean(exclude=["timesheet"], validate_unique=False, validate_constraints=False)
    entry.save()


def grid_field(day: date, activity: str) -> str:
    return f"h_{day:%d}_{activity}"


def grid_description_field(day: date) -> str:
    return f"d_{day:%d}"


def grid_stale_message() -> str:
    return _(
        "Someone else saved some of these cells while you were editing the month, so nothing "
        "was saved. Cells that only you changed are kept as you typed them; each marked cell "
        "shows the value saved meanwhile. Compare, then save again to keep yours."
    )


def _same_hours(a: Decimal | None, b: Decimal | None) -> bool:
    return (a or Decimal(0)) == (b or Decimal(0))


def _day_description(entries: list[TimeEntry]) -> str:
    """A day's description as the grid shows it: its entries' distinct texts, in order."""
    texts: list[str] = []
    for entry in entries:
        if entry.description and entry.description not in texts:
            texts.append(entry.description)
    return "; ".join(texts)


@transaction.atomic
def month_grid_save(
    *,
    person: User,
    programme: Programme,
    city: City,
    month: date,
    hours: dict[tuple[date, str], Decimal | None],
    descriptions: dict[date, str],
    drawn_hours: dict[tuple[date, str], Decimal | None] | None = None,
    drawn_descriptions: dict[date, str] | None = None,
    dry_run: bool = False,
    today: date | None = None,
) -> int:
    """Save a month from the grid: one value per day and activity (None clears the cell).

    ``drawn_hours`` and ``drawn_descriptions`` are the cells as the page showed them. With them,
    only the cells the page changed are written, so that two pages of one month that changed
    different cells both keep their changes; a cell the page changed that someone else also
    changed since the page was drawn refuses the whole save (errors with code "stale" on those
    cells, naming the value saved meanwhile). Without them (a script) every cell given is meant.
    The month's row is locked while the cells are compared, so two saves cannot both pass.

    Entries linked to an event are kept as they are; the grid holds the others. Either every
    cell is saved or none is: errors come back keyed by the grid's field names.
    ``dry_run`` judges the month as it would be and then saves nothing: the grid page uses it
    when some cells could not be read, so that every message shows at once.
    Returns the number of entries created, changed or removed (or that would be).
    ``today`` is the date where the person is (by default from their time zone): no hours for
    a later day.
    """
    _check_recorder(person, programme, city)
    today = today or today_for(person)
    sheet = timesheet_for(person=person, programme=programme, city=city, month=month, lock=True)
    if sheet.is_locked:
        raise ValidationError(_locked_message(sheet))
    grid_entries = list(sheet.entries.filter(event__isnull=True).order_by("day", "activity", "pk"))
    existing = {(e.day, e.activity): e for e in grid_entries}
    stored_descriptions: dict[date, str] = {}
    for day in {e.day for e in grid_entries}:
        stored_descriptions[day] = _day_description([e for e in grid_entries if e.day == day])
    days = set(days_of_month(sheet.month))
    tracked = drawn_hours is not None
    changed = 0
    errors: dict[str, list[Any]] = {}
    saved: list[tuple[str, TimeEntry]] = []

    def conflict(field: str, newer: str) -> None:
        errors[field] = [
            ValidationError(
                _("Saved meanwhile by someone else: %(value)s. Yours is kept here.")
                % {"value": newer or _("empty")},
                code="stale",
            )
        ]

    # The description each day gets: what the page typed where it changed it, else None (the
    # entries keep theirs).
    new_descriptions: dict[date, str | None] = {}
    for day, typed in descriptions.items():
        typed = typed.strip()
        stored = stored_descriptions.get(day, "")
        if not tracked:
            new_descriptions[day] = typed
            continue
        shown = (drawn_descriptions or {}).get(day, "").strip()
        if typed == shown:
            new_descriptions[day] = None
        elif stored not in (shown, typed):
            conflict(grid_description_field(day), stored)
        else:
            new_descriptions[day] = typed

    # The hours each cell gets: what the page typed where it changed it, else what is stored.
    new_hours: dict[tuple[date, str], Decimal | None] = {}
    for (day, activity), value in sorted(hours.items()):
        if day not in days or activity not in Activity.values:
            continue
        entry = existing.get((day, activity))
        stored_hours = entry.hours if entry is not None else None
        if not tracked:
            new_hours[day, activity] = value
            continue
        drawn = (drawn_hours or {}).get((day, activity))
        if _same_hours(value, drawn):
            new_hours[day, activity] = stored_hours
        elif not _same_hours(stored_hours, drawn) and not _same_hours(stored_hours, value):
            conflict(grid_field(day, activity), _plain(stored_hours) if stored_hours else "")
        else:
            new_hours[day, activity] = value
    if errors:
        # Refused before anything is written: nothing of this page is saved.
        raise ValidationError(errors)

    # A description is kept on the day's grid entries: a day without hours would drop it.
    days_with_hours = {day for (day, _activity), value in new_hours.items() if value}
    days_with_hours |= {day for (day, activity) in existing if (day, activity) not in new_hours}
    for day, new_text in new_descriptions.items():
        if day in days and new_text and day not in days_with_hours:
            errors[grid_description_field(day)] = [
                _("Enter the hours of this day too: a description belongs to its hours.")
            ]
    # First every cell on its own, saved; then the day and year totals, on the month as it now
    # stands, so that moving hours from one activity to another is judged on the result.
    for (day, activity), value in sorted(new_hours.items()):
        entry = existing.get((day, activity))
        changed_text = new_descriptions.get(day)
        kept = entry.description if entry is not None else stored_descriptions.get(day, "")
        text = changed_text if changed_text is not None else kept
        if value is None or value == 0:
            if entry is not None:
                entry.delete()
                changed += 1
            continue
        if entry is not None and entry.hours == value and entry.description == text:
            continue
        if entry is None:
            entry = TimeEntry(
                person=person,
                programme=programme,
                city=city,
                day=day,
                activity=activity,
                timesheet=sheet,
            )
        entry.hours, entry.description = value, text
        field = grid_field(day, activity)
        entry_errors = _entry_errors(entry, programme, today=today, totals=False)
        if entry_errors:
            errors[field] = [message for messages in entry_errors.values() for message in messages]
            continue
        entry.save()
        saved.append((field, entry))
        changed += 1
    if not errors:
        for field, entry in saved:
            entry_errors = _entry_errors(entry, programme, today=today)
            if entry_errors:
                errors[field] = [m for messages in entry_errors.values() for m in messages]
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    if dry_run:
        transaction.set_rollback(True)
    return changed
