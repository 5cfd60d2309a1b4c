"""Months kept on paper before a city used Tandem, brought in from a file.

Each month arrives as the person signed it on paper: submitted, logged as imported (by whom, when,
from which file), waiting for a supervisor's approval in Tandem like any signed month. It counts
in no report or dashboard before that approval, which prices it as it prices every month. Its
entries keep the rules of the forms (``time._entry_errors``); a month that already holds anything
in Tandem is never changed, and the rows of a month imported before that match it exactly are
"unchanged", so importing the same file again writes nothing."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import today_for
from cities.models import City
from config import clock
from mentoring.models import Programme

from .. import permissions
from ..models import MonthStatus, TimeEntry, TimesheetAction, TimesheetMonth
from ..notifications import months_imported
from .months import _log
from .time import _check_recorder, _entry_errors, first_of_month, timesheet_for

CREATE, UNCHANGED, ERROR = "create", "unchanged", "error"


@dataclass(frozen=True)
class HistoricalEntry:
    """One line of a paper timesheet: ``row`` numbers it in the file, for the messages."""

    row: int
    person: User
    programme: Programme
    day: date
    activity: str
    hours: Decimal
    description: str = ""


@dataclass
class HistoryCheck:
    """What an import does to each row (``CREATE``, ``UNCHANGED`` or ``ERROR``) and why a row is
    refused, by the entry's field (person, programme, day, activity, hours, description)."""

    outcomes: dict[int, str] = field(default_factory=dict)
    errors: dict[int, dict[str, list[str]]] = field(default_factory=dict)
    months: list[TimesheetMonth] = field(default_factory=list)

    def add(self, row: int, name: str, messages: list[str] | str) -> None:
        if isinstance(messages, str):
            messages = [messages]
        self.errors.setdefault(row, {}).setdefault(name, []).extend(messages)
        self.outcomes[row] = ERROR

    def messages(self) -> list[str]:
        return [
            _("Row %(row)s: %(message)s") % {"row": row, "message": message}
            for row, fields in sorted(self.errors.items())
            for messages in fields.values()
            for message in messages
        ]


def _label(month: date) -> str:
    return date_format(month, "YEAR_MONTH_FORMAT")


def _holds_something(sheet: TimesheetMonth) -> bool:
    """A month row opened by a page but never used holds nothing to keep."""
    return sheet.status != MonthStatus.OPEN or sheet.entries.exists() or sheet.log.exists()


def _same(entry: TimeEntry, line: HistoricalEntry) -> bool:
    return (
        entry.event_id is None
        and entry.day == line.day
        and entry.activity == line.activity
        and entry.hours == line.hours
        and entry.description == line.description.strip()
    )


@transaction.atomic
def months_import(
    *,
    city: City,
    entries: list[HistoricalEntry],
    by: User,
    source: str,
    sha256: str = "",
    dry_run: bool = False,
    today: date | None = None,
) -> HistoryCheck:
    """Bring in a city's paper timesheets: every month of ``entries`` (by person and programme)
    that Tandem does not hold yet arrives signed and waits for approval; all or nothing.

    ``dry_run`` judges every row as the import would and writes nothing (the preview). Without
    it, any refused row refuses the whole import (ValidationError naming each row). ``today`` is
    the date where the importer is: only months that have ended are imported."""
    allowed, reason = permissions.can_import_months(by, city)
    if not allowed:
        raise ValidationError(reason, code="wrong_role")
    source = source.strip()
    if not source:
        raise ValidationError(_("Name the file the timesheets come from."))
    today = today or today_for(by)
    this_month = first_of_month(today)
    check = HistoryCheck()
    groups: dict[tuple[int, int, date], list[HistoricalEntry]] = defaultdict(list)
    for line in entries:
        groups[line.person.pk, line.programme.pk, first_of_month(line.day)].append(line)
        check.outcomes[line.row] = CREATE

    saved: list[tuple[HistoricalEntry, TimeEntry]] = []
    new_sheets: list[TimesheetMonth] = []
    # Months in a fixed order, so that two imports lock them in the same order.
    for key in sorted(groups):
        lines = groups[key]
        person, programme, month = lines[0].person, lines[0].programme, key[2]
        try:
            _check_recorder(person, programme, city)
        except ValidationError as error:
            name = "person" if not permissions.can_record_time(person, city.pk) else "programme"
            for line in lines:
                check.add(line.row, name, error.messages)
            continue
        if month >= this_month:
            for line in lines:
                check.add(
                    line.row,
                    "day",
                    _(
                        "Only months that have ended are imported; record the time of "
                        "%(month)s in Tandem."
                    )
                    % {"month": _label(month)},
                )
            continue
        sheet = (
            TimesheetMonth.objects.select_for_update()
            .filter(person=person, programme=programme, city=city, month=month)
            .first()
        )
        if sheet is not None and _holds_something(sheet):
            _judge_kept_month(check, sheet, lines)
            continue
        if sheet is None:
            sheet = timesheet_for(
                person=person, programme=programme, city=city, month=month, lock=True
            )
        new_sheets.append(sheet)
        for line in lines:
            entry = TimeEntry(
                timesheet=sheet,
                person=person,
                programme=programme,
                city=city,
                day=line.day,
                activity=line.activity,
                hours=line.hours,
                description=line.description.strip(),
            )
            problems = _entry_errors(entry, programme, today=today, totals=False)
            if not problems:
                try:
                    entry.full_clean(validate_unique=False, validate_constraints=False)
                except ValidationError as error:
                    problems = error.message_dict
            if problems:
                for name, messages in problems.items():
                    check.add(line.row, name, messages)
                continue
            entry.save()
            saved.append((line, entry))
    # The day and year totals, once every line is in: two lines of the file on one day count
    # together, as the month grid counts its cells.
    for line, entry in saved:
        for name, messages in _entry_errors(entry, line.programme, today=today).items():
            check.add(line.row, name, messages)

    if check.errors or dry_run:
        transaction.set_rollback(True)
        if check.errors and not dry_run:
            raise ValidationError(check.messages())
        check.months = new_sheets
        return check

    at = clock.now()
    steps = []
    for sheet in new_sheets:
        permissions.MONTH_WORKFLOW.take(by, sheet, "import")
        sheet.imported_at, sheet.imported_by = at, by
        sheet.imported_from, sheet.imported_sha256 = source[:255], sha256
        sheet.full_clean(validate_unique=False)
        sheet.save()
        hours = sheet.entries.aggregate(total=Sum("hours"))["total"]
        steps.append(
            _log(
                sheet,
                TimesheetAction.IMPORTED,
                by,
                details={
                    "hours": str(Decimal(hours).quantize(Decimal("0.1"))),
                    "file": sheet.imported_from,
                    "sha256": sha256,
                },
            )
        )
    if steps:
        months_imported(city, steps, by=by)
    check.months = new_sheets
    return check


def _judge_kept_month(check: HistoryCheck, sheet: TimesheetMonth, lines) -> None:
    """Rows for a month Tandem holds: unchanged where a month imported before has them as they
    are, refused otherwise; the month itself never changes."""
    if sheet.is_imported:
        stored = list(sheet.entries.all())
        refusal = _(
            "%(person)s's timesheet of %(month)s was imported from %(file)s on %(date)s and "
            "differs from this row; an import never changes a month Tandem holds."
        ) % {
            "person": sheet.person,
            "month": _label(sheet.month),
            "file": sheet.imported_from,
            "date": date_format(sheet.imported_at, "DATE_FORMAT") if sheet.imported_at else "",
        }
    else:
        stored = []
        refusal = _(
            "%(person)s's timesheet of %(month)s is already kept in Tandem; an import never "
            "changes it."
        ) % {"person": sheet.person, "month": _label(sheet.month)}
    for line in lines:
        if any(_same(entry, line) for entry in stored):
            check.outcomes[line.row] = UNCHANGED
        else:
            check.add(line.row, "day", refusal)
