"""Writes for staff time: entries, the month grid, signatures, rates and report requests.

Every rule of the timesheet lives here, with a message on the field it concerns; views, the
demo seeder, benchmarks and tests all come through these functions.
"""

from calendar import monthrange
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from cities.models import City
from documents import jobs
from mentoring.models import Event, Programme

from . import permissions
from .costs import rate_for
from .models import (
    PRODUCTIVE_HOURS_PER_YEAR,
    Activity,
    MonthStatus,
    StaffCostReport,
    StaffRate,
    TimeEntry,
    TimesheetAction,
    TimesheetLog,
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
    entry: TimeEntry, programme: Programme, *, totals: bool = True
) -> dict[str, list[str]]:
    """The rules one entry must keep, against what is already stored (itself excluded).
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
        if day > timezone.localdate():
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
    productive = rate.productive_hours if rate else PRODUCTIVE_HOURS_PER_YEAR
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
) -> TimeEntry:
    """Record the person's own hours."""
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
    _save_entry(entry, programme)
    return entry


@transaction.atomic
def time_entry_update(entry: TimeEntry, *, by: User, **changes) -> TimeEntry:
    """Change one of the person's own entries, in a month that is still open."""
    if entry.person_id != by.pk:
        raise ValidationError(_("Only the person who recorded the time can change it."))
    old_sheet = TimesheetMonth.objects.select_for_update().get(pk=entry.timesheet_id)
    if old_sheet.is_locked:
        raise ValidationError(_locked_message(old_sheet))
    for field in ("day", "activity", "hours", "event", "description"):
        if field in changes:
            setattr(entry, field, changes[field])
    _save_entry(entry, entry.programme)
    return entry


@transaction.atomic
def time_entry_delete(entry: TimeEntry, *, by: User) -> None:
    if entry.person_id != by.pk:
        raise ValidationError(_("Only the person who recorded the time can delete it."))
    sheet = TimesheetMonth.objects.select_for_update().get(pk=entry.timesheet_id)
    if sheet.is_locked:
        raise ValidationError(_locked_message(sheet))
    entry.delete()


def _save_entry(entry: TimeEntry, programme: Programme) -> None:
    errors = _entry_errors(entry, programme)
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


@transaction.atomic
def month_grid_save(
    *,
    person: User,
    programme: Programme,
    city: City,
    month: date,
    hours: dict[tuple[date, str], Decimal | None],
    descriptions: dict[date, str],
    dry_run: bool = False,
) -> int:
    """Save a whole month from the grid: one value per day and activity (None clears the cell).

    Entries linked to an event are kept as they are; the grid holds the others. Either every
    cell is saved or none is: errors come back keyed by the grid's field names.
    ``dry_run`` judges the month as it would be and then saves nothing: the grid page uses it
    when some cells could not be read, so that every message shows at once.
    Returns the number of entries created, changed or removed (or that would be).
    """
    _check_recorder(person, programme, city)
    sheet = timesheet_for(person=person, programme=programme, city=city, month=month, lock=True)
    if sheet.is_locked:
        raise ValidationError(_locked_message(sheet))
    existing = {(e.day, e.activity): e for e in sheet.entries.filter(event__isnull=True).order_by()}
    days = set(days_of_month(sheet.month))
    changed = 0
    errors: dict[str, list[str]] = {}
    saved: list[tuple[str, TimeEntry]] = []
    # A description is kept on the day's grid entries: a day without hours would drop it.
    days_with_hours = {day for (day, _activity), value in hours.items() if value}
    for day, text in descriptions.items():
        if day in days and text.strip() and day not in days_with_hours:
            errors[grid_description_field(day)] = [
                _("Enter the hours of this day too: a description belongs to its hours.")
            ]
    # First every cell on its own, saved; then the day and year totals, on the month as it now
    # stands, so that moving hours from one activity to another is judged on the result.
    for (day, activity), value in sorted(hours.items()):
        if day not in days or activity not in Activity.values:
            continue
        entry = existing.get((day, activity))
        description = descriptions.get(day, "").strip()
        if value is None or value == 0:
            if entry is not None:
                entry.delete()
                changed += 1
            continue
        if entry is not None and entry.hours == value and entry.description == description:
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
        entry.hours, entry.description = value, description
        field = grid_field(day, activity)
        entry_errors = _entry_errors(entry, programme, totals=False)
        if entry_errors:
            errors[field] = [message for messages in entry_errors.values() for message in messages]
            continue
        entry.save()
        saved.append((field, entry))
        changed += 1
    if not errors:
        for field, entry in saved:
            entry_errors = _entry_errors(entry, programme)
            if entry_errors:
                errors[field] = [m for messages in entry_errors.values() for m in messages]
    if errors:
        transaction.set_rollback(True)
        raise ValidationError(errors)
    if dry_run:
        transaction.set_rollback(True)
    return changed


# Signatures -------------------------------------------------------------------------------------


def _log(sheet, action, actor, *, comment="", ip_address=None, details=None) -> TimesheetLog:
    return TimesheetLog.objects.create(
        month=sheet,
        action=action,
        actor=actor,
        comment=comment,
        ip_address=ip_address,
        details=details or {},
    )


@transaction.atomic
def month_submit(sheet: TimesheetMonth, *, by: User, ip_address: str | None = None) -> None:
    """The person signs their month: it goes to the supervisor and can no longer change."""
    sheet = TimesheetMonth.objects.select_for_update().get(pk=sheet.pk)
    permissions.MONTH_WORKFLOW.check(by, sheet, "submit")
    if sheet.month > timezone.localdate():
        raise ValidationError(_("A month can be signed once it has begun."))
    hours = _month_hours(sheet)
    if not hours:
        raise ValidationError(_("There is no time recorded in this month to sign."))
    permissions.MONTH_WORKFLOW.take(by, sheet, "submit")
    sheet.submitted_at = timezone.now()
    sheet.return_comment = ""
    sheet.save(update_fields=["status", "submitted_at", "return_comment"])
    _log(
        sheet,
        TimesheetAction.SUBMITTED,
        by,
        ip_address=ip_address,
        details={"hours": str(hours)},
    )


def _month_hours(sheet: TimesheetMonth) -> Decimal | None:
    """The month's hours at the entries' precision (one decimal), the same on every database:
    SQLite sums 10.0 and 0.0 to 10, PostgreSQL to 10.0."""
    total = sheet.entries.aggregate(total=Sum("hours"))["total"]
    return None if total is None else Decimal(total).quantize(Decimal("0.1"))


@transaction.atomic
def month_approve(sheet: TimesheetMonth, *, by: User, ip_address: str | None = None) -> None:
    """The supervisor countersigns: the month locks with the rate in force stored on it."""
    sheet = (
        TimesheetMonth.objects.select_for_update(of=("self",))
        .select_related("programme", "city", "person")
        .get(pk=sheet.pk)
    )
    permissions.MONTH_WORKFLOW.check(by, sheet, "approve")
    year = sheet.month.year
    rate = StaffRate.objects.filter(person=sheet.person, city=sheet.city, year=year).first()
    if rate is None:
        raise ValidationError(
            _(
                "%(person)s has no annual personnel costs for %(year)s yet; enter them under "
                "Rates first."
            )
            % {"person": sheet.person, "year": year}
        )
    hours = _month_hours(sheet) or Decimal(0)
    approved_in_year = TimesheetMonth.objects.filter(
        person=sheet.person, month__year=year, status=MonthStatus.APPROVED
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if approved_in_year + hours > rate.productive_hours:
        raise ValidationError(
            _(
                "Approving would bring %(person)s to %(total)s hours in %(year)s, more than the "
                "%(productive)s productive hours of their working-time share."
            )
            % {
                "person": sheet.person,
                "total": _plain(approved_in_year + hours),
                "year": year,
                "productive": _plain(rate.productive_hours),
            }
        )
    permissions.MONTH_WORKFLOW.take(by, sheet, "approve")
    sheet.approved_at = timezone.now()
    sheet.approved_by = by
    sheet.hours = hours
    sheet.cost_model = sheet.programme.cost_model
    sheet.annual_costs = rate.annual_costs
    sheet.working_time_share = rate.working_time_share
    sheet.rate = rate_for(sheet.cost_model, rate.annual_costs, rate.working_time_share)
    sheet.save()
    _log(
        sheet,
        TimesheetAction.APPROVED,
        by,
        ip_address=ip_address,
        details={
            "hours": str(hours),
            "cost_model": sheet.cost_model,
            "annual_costs": str(rate.annual_costs),
            "working_time_share": str(rate.working_time_share),
            "rate": str(sheet.rate),
        },
    )


def months_approve(
    sheets, *, by: User, ip_address: str | None = None
) -> tuple[list[TimesheetMonth], dict[TimesheetMonth, list[str]]]:
    """Approve many months; each succeeds or fails on its own. Returns (approved, refused)."""
    approved, refused = [], {}
    for sheet in sheets:
        try:
            month_approve(sheet, by=by, ip_address=ip_address)
        except ValidationError as error:
            refused[sheet] = error.messages
        else:
            approved.append(sheet)
    return approved, refused


@transaction.atomic
def month_return(
    sheet: TimesheetMonth, *, by: User, comment: str, ip_address: str | None = None
) -> None:
    """The supervisor sends the month back to the person with a comment."""
    sheet = TimesheetMonth.objects.select_for_update().get(pk=sheet.pk)
    permissions.MONTH_WORKFLOW.check(by, sheet, "return")
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what should change.")]})
    permissions.MONTH_WORKFLOW.take(by, sheet, "return")
    sheet.return_comment = comment
    sheet.save(update_fields=["status", "return_comment"])
    _log(sheet, TimesheetAction.RETURNED, by, comment=comment, ip_address=ip_address)


@transaction.atomic
def month_reopen(
    sheet: TimesheetMonth, *, by: User, reason: str, ip_address: str | None = None
) -> None:
    """A coordinator unlocks an approved month; the reason and the figures set aside are kept."""
    sheet = TimesheetMonth.objects.select_for_update().get(pk=sheet.pk)
    permissions.MONTH_WORKFLOW.check(by, sheet, "reopen")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for reopening the month.")]})
    details = {
        "hours": str(sheet.hours),
        "rate": str(sheet.rate),
        "approved_by": sheet.approved_by_id,
        "approved_at": sheet.approved_at.isoformat() if sheet.approved_at else None,
    }
    permissions.MONTH_WORKFLOW.take(by, sheet, "reopen")
    sheet.submitted_at = sheet.approved_at = sheet.approved_by = None
    sheet.hours = sheet.annual_costs = sheet.working_time_share = sheet.rate = None
    sheet.cost_model = ""
    sheet.save()
    _log(
        sheet, TimesheetAction.REOPENED, by, comment=reason, ip_address=ip_address, details=details
    )


# Rates ------------------------------------------------------------------------------------------


@transaction.atomic
def staff_rate_save(
    *,
    person: User,
    city: City,
    year: int,
    annual_costs: Decimal,
    working_time_share: Decimal,
    by: User,
    new: bool = False,
) -> StaffRate:
    """Enter or change a person's annual costs for a year. Approved months keep the rate they
    were approved with. ``new``: only enter one; a rate that exists for the year is refused (from
    the "new rate" page changing it is likely a slip)."""
    if not permissions.can_manage_rates(by, city.pk):
        raise ValidationError(
            _("Only supervisors of %(city)s and coordinators enter its rates.") % {"city": city}
        )
    if not permissions.is_officer_of(person, city.pk) and not permissions.is_supervisor_of(
        person, city.pk
    ):
        raise ValidationError(
            {"person": [_("Choose a person who works for %(city)s.") % {"city": city}]}
        )
    existing = StaffRate.objects.filter(person=person, city=city, year=year).first()
    if existing is not None and new:
        raise ValidationError(
            {
                "year": [
                    _("%(person)s already has a rate for %(year)s in %(city)s; change that one.")
                    % {"person": person, "year": year, "city": city}
                ]
            }
        )
    rate = existing or StaffRate(person=person, city=city, year=year)
    rate.annual_costs = annual_costs
    rate.working_time_share = working_time_share
    rate.updated_by = by
    rate.full_clean(validate_unique=False)
    declared = (
        TimeEntry.objects.filter(person=person, day__year=year).aggregate(total=Sum("hours"))[
            "total"
        ]
        or 0
    )
    if declared > rate.productive_hours:
        raise ValidationError(
            {
                "working_time_share": [
                    _(
                        "%(person)s has already recorded %(hours)s hours in %(year)s, more than "
                        "the %(productive)s productive hours of this share."
                    )
                    % {
                        "person": person,
                        "hours": _plain(declared),
                        "year": year,
                        "productive": _plain(rate.productive_hours),
                    }
                ]
            }
        )
    rate.save()
    return rate


# Reports ----------------------------------------------------------------------------------------


def report_period(
    programme: Programme, first_month: date | None, last_month: date | None
) -> tuple[date, date]:
    """The months a report covers: the ones asked for, or the programme's first and last."""
    return (
        first_of_month(first_month or programme.starts_on),
        first_of_month(last_month or programme.ends_on),
    )


def report_request_errors(
    *,
    programme: Programme,
    city: City | None,
    first_month: date | None,
    last_month: date | None,
    by: User,
) -> dict[str, list[str]]:
    """Every rule a report request must keep, as messages by field. A month given as None is
    not judged (the form says why it could not read it)."""
    errors: dict[str, list[str]] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    starts, ends = first_of_month(programme.starts_on), first_of_month(programme.ends_on)
    outside = _("%(programme)s runs from %(start)s to %(end)s.") % {
        "programme": programme,
        "start": date_format(starts, "YEAR_MONTH_FORMAT"),
        "end": date_format(ends, "YEAR_MONTH_FORMAT"),
    }
    if first_month and not starts <= first_month <= ends:
        add("first_month", outside)
    if last_month and not starts <= last_month <= ends:
        add("last_month", outside)
    if first_month and last_month and last_month < first_month:
        add("last_month", _("The period must end after it starts."))
    if city is not None and not programme.participations.filter(city=city).exists():
        add(
            "city",
            _("%(city)s does not take part in %(programme)s.")
            % {"city": city, "programme": programme},
        )
    elif not permissions.can_request_report(by, programme, city.pk if city else None):
        if city is None:
            add("city", _("Only coordinators ask for every city; choose a city you supervise."))
        else:
            add("city", _("You may ask for the cities you supervise only."))
    return errors


@transaction.atomic
def report_request(
    *,
    programme: Programme,
    city: City | None,
    first_month: date | None = None,
    last_month: date | None = None,
    by: User,
    language: str = "en",
) -> StaffCostReport:
    """Ask for a staff-cost report (empty months: the programme's first and last); a Celery job
    builds it after the commit."""
    from .tasks import build_staff_cost_report

    first_month, last_month = report_period(programme, first_month, last_month)
    errors = report_request_errors(
        programme=programme, city=city, first_month=first_month, last_month=last_month, by=by
    )
    if errors:
        raise ValidationError(errors)
    report = StaffCostReport.objects.create(
        programme=programme,
        city=city,
        first_month=first_month,
        last_month=last_month,
        language=language,
        requested_by=by,
    )
    jobs.enqueue(report, build_staff_cost_report)
    return report


def report_retry(report: StaffCostReport, *, by: User) -> None:
    from .tasks import build_staff_cost_report

    if not permissions.can_view_report(by, report):
        raise ValidationError(_("You may not run this report."))
    if report.status != "failed":
        raise ValidationError(_("Only a failed report can be run again."))
    jobs.retry(report, build_staff_cost_report)
