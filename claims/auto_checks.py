"""The staff-cost checks Tandem answers itself, from its own records (``AutoCheck``).

Each check reads a claim and returns what it found wrong, as findings: plain dicts (stored as
JSON on the checklist answer) with a ``message`` in the language of whoever ran the check and
the figures behind it. No finding: the check passes.

- PRODUCTIVE_HOURS: for each person and year of the claim's staff lines, every hour approved for
  them in that year anywhere in Tandem stays within the productive hours of their rate for the
  year (the programme's figures times their working-time share).
- MONTHS_SIGNED: each claimed month is still approved, signed by the person (or imported from a
  paper timesheet) and by a supervisor, with both signatures in its log.
- RATE_FROM_COSTS: each staff line's annual costs and working-time share are those of the
  person's rate for the city and year, and the month's frozen figures are the line's.
- NO_DAY_TWICE: no day of a claimed month is in another claimed month of the same person (in
  this claim or another), and no invoice (supplier and number) is claimed twice in the
  programme's claims.
"""

from collections import defaultdict
from collections.abc import Callable
from datetime import date
from decimal import Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from reporting.costs import CostFigures
from reporting.models import (
    MonthStatus,
    StaffRate,
    TimeEntry,
    TimesheetAction,
    TimesheetLog,
    TimesheetMonth,
)

from .models import AutoCheck, Claim, ClaimLine, LineKind

Finding = dict


def _staff_lines(claim: Claim) -> list[ClaimLine]:
    return list(
        claim.lines.filter(kind=LineKind.STAFF)
        .select_related("person", "timesheet_month")
        .order_by("person__full_name", "month", "pk")
    )


def _month(line: ClaimLine) -> str:
    return f"{line.month:%Y-%m}" if line.month else ""


def productive_hours(claim: Claim) -> list[Finding]:
    figures = CostFigures.of(claim.programme)
    pairs = sorted(
        {(line.person_id or 0, line.month.year) for line in _staff_lines(claim) if line.month},
    )
    names = {line.person_id: str(line.person) for line in _staff_lines(claim)}
    rates = {
        (rate.person_id, rate.year): rate
        for rate in StaffRate.objects.filter(
            city=claim.city,
            person_id__in={person for person, _year in pairs},
            year__in={year for _person, year in pairs},
        )
    }
    found = []
    for person_id, year in pairs:
        approved = TimesheetMonth.objects.filter(
            person_id=person_id, status=MonthStatus.APPROVED, month__year=year
        ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
        rate = rates.get((person_id, year))
        if rate is None:
            found.append(
                {
                    "person": names[person_id],
                    "year": year,
                    "hours": str(approved),
                    "message": _("%(person)s has no rate for %(year)s in %(city)s.")
                    % {"person": names[person_id], "year": year, "city": claim.city},
                }
            )
            continue
        productive = rate.productive_hours(figures)
        if approved > productive:
            found.append(
                {
                    "person": names[person_id],
                    "year": year,
                    "hours": str(approved),
                    "productive_hours": f"{productive.normalize():f}",
                    "message": _(
                        "%(person)s has %(hours)s hours approved in %(year)s, more than the "
                        "%(productive)s productive hours of their rate."
                    )
                    % {
                        "person": names[person_id],
                        "hours": approved,
                        "year": year,
                        "productive": f"{productive.normalize():f}",
                    },
                }
            )
    return found


def months_signed(claim: Claim) -> list[Finding]:
    lines = _staff_lines(claim)
    logged: dict[int, set[str]] = defaultdict(set)
    for month_id, action in TimesheetLog.objects.filter(
        month_id__in=[line.timesheet_month_id for line in lines]
    ).values_list("month_id", "action"):
        logged[month_id].add(action)
    found = []
    for line in lines:
        month = line.timesheet_month
        problems = []
        if month is None or month.status != MonthStatus.APPROVED:
            problems.append(_("the month is no longer approved"))
        else:
            actions = logged[month.pk]
            if month.imported_at is None and month.submitted_at is None:
                problems.append(_("the person's signature is missing"))
            elif not actions & {TimesheetAction.SUBMITTED, TimesheetAction.IMPORTED}:
                problems.append(_("the log has no signature of the person"))
            if month.approved_at is None or month.approved_by_id is None:
                problems.append(_("the supervisor's signature is missing"))
            elif TimesheetAction.APPROVED not in actions:
                problems.append(_("the log has no approval"))
        if problems:
            found.append(_line_finding(line, problems))
    return found


def _line_finding(line: ClaimLine, problems: list) -> Finding:
    """What a check found wrong with one staff line: the person, the month, the problems."""
    return {
        "line": line.pk,
        "person": str(line.person),
        "month": _month(line),
        "message": _("%(person)s, %(month)s: %(problems)s.")
        % {
            "person": line.person,
            "month": _month(line),
            "problems": "; ".join(str(p) for p in problems),
        },
    }


def rate_from_costs(claim: Claim) -> list[Finding]:
    lines = _staff_lines(claim)
    rates = {
        (rate.person_id, rate.year): rate
        for rate in StaffRate.objects.filter(
            city=claim.city, person_id__in={line.person_id for line in lines}
        )
    }
    found = []
    for line in lines:
        problems = []
        rate = rates.get((line.person_id or 0, line.month.year)) if line.month else None
        if rate is None:
            problems.append(_("no rate for the year"))
        else:
            if rate.annual_costs != line.annual_costs:
                problems.append(
                    _("the annual costs are %(rate)s in the rate, %(line)s on the line")
                    % {"rate": rate.annual_costs, "line": line.annual_costs}
                )
            if rate.working_time_share != line.working_time_share:
                problems.append(
                    _("the working-time share is %(rate)s in the rate, %(line)s on the line")
                    % {"rate": rate.working_time_share, "line": line.working_time_share}
                )
            if (rate.currency or "") != (line.currency or ""):
                problems.append(_("the currency of the annual costs differs"))
        month = line.timesheet_month
        if month is not None and (
            month.hours != line.hours
            or month.annual_costs != line.annual_costs
            or month.working_time_share != line.working_time_share
            or month.cost_model != line.cost_model
            or (month.exchange_rate if month.costs_currency else None) != line.exchange_rate
        ):
            problems.append(_("the month's approved figures are not those on the line"))
        if problems:
            found.append(_line_finding(line, problems))
    return found


def _invoice_key(line: ClaimLine) -> tuple[str, str]:
    return (" ".join(line.supplier.split()).casefold(), line.invoice_number.strip().casefold())


def no_day_twice(claim: Claim) -> list[Finding]:
    found: list[Finding] = []
    lines = _staff_lines(claim)
    people = {line.person_id for line in lines}
    # Every claimed month of these people, in any claim.
    claimed = ClaimLine.objects.filter(
        kind=LineKind.STAFF, person_id__in=people, timesheet_month__isnull=False
    ).select_related("claim__city", "claim__period")
    claim_of_month = {line.timesheet_month_id: line.claim for line in claimed}
    mine = {line.timesheet_month_id for line in lines}
    months_of_day: dict[tuple[int, date], set[int]] = defaultdict(set)
    names = {line.person_id: str(line.person) for line in lines}
    for person_id, day, month_id in TimeEntry.objects.filter(
        timesheet_id__in=list(claim_of_month)
    ).values_list("person_id", "day", "timesheet_id"):
        months_of_day[(person_id, day)].add(month_id)
    for (person_id, day), months in sorted(months_of_day.items(), key=lambda x: (x[0][1], x[0][0])):
        if len(months) < 2 or not months & mine:
            continue
        others = sorted({str(claim_of_month[m]) for m in months if m not in mine})
        found.append(
            {
                "person": names.get(person_id, ""),
                "day": day.isoformat(),
                "message": _("%(person)s: %(day)s is claimed in more than one month (%(where)s).")
                % {
                    "person": names.get(person_id, ""),
                    "day": day.isoformat(),
                    "where": "; ".join(others) or str(claim),
                },
            }
        )
    invoices = [
        line
        for line in claim.lines.exclude(kind__in=[LineKind.STAFF, LineKind.FLAT_RATE])
        if line.invoice_number.strip()
    ]
    if invoices:
        numbers = {line.invoice_number.strip() for line in invoices}
        others_by_key: dict[tuple[str, str], list[ClaimLine]] = defaultdict(list)
        for other in ClaimLine.objects.filter(
            claim__programme_id=claim.programme_id,
            invoice_number__in=numbers,
            parked=False,
        ).select_related("claim__city", "claim__period"):
            others_by_key[_invoice_key(other)].append(other)
        for line in invoices:
            twins = [
                other
                for other in others_by_key[_invoice_key(line)]
                if other.pk != line.pk
                and other.pk != line.carried_from_id
                and other.carried_from_id != line.pk
            ]
            if twins:
                found.append(
                    {
                        "line": line.pk,
                        "supplier": line.supplier,
                        "invoice_number": line.invoice_number,
                        "message": _(
                            "Invoice %(number)s of %(supplier)s is claimed more than once "
                            "(%(where)s)."
                        )
                        % {
                            "number": line.invoice_number,
                            "supplier": line.supplier,
                            "where": "; ".join(sorted({str(t.claim) for t in twins})),
                        },
                    }
                )
    return found


CHECKS: dict[str, Callable[[Claim], list[Finding]]] = {
    AutoCheck.PRODUCTIVE_HOURS: productive_hours,
    AutoCheck.MONTHS_SIGNED: months_signed,
    AutoCheck.RATE_FROM_COSTS: rate_from_costs,
    AutoCheck.NO_DAY_TWICE: no_day_twice,
}


def run(claim: Claim, check: str) -> list[Finding]:
    return CHECKS[check](claim)
