"""Reporting's share of a person's data: their timesheets, time entries, staff rates and the
hours they declared in other grants.

Months that never reached a supervisor's approval are erased with their entries; approved months
(and months once approved, then reopened) stay for the programme's audit, with the rates that
priced them, the hours in other grants declared for their years (what their signatures were
capped with) and the person's signatures on other people's months."""

from typing import Any

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.privacy import PersonalDataPart, Row, register

from .models import (
    MonthStatus,
    OtherGrantHours,
    StaffRate,
    TimeEntry,
    TimesheetAction,
    TimesheetLog,
    TimesheetMonth,
)
from .timesheet_pdfs import forget


def export(person: User) -> dict[str, Any]:
    months = list(
        TimesheetMonth.objects.filter(person=person)
        .select_related("programme", "city")
        .order_by("month", "programme__name", "city__name")
    )
    logs: dict[int, list[dict]] = {}
    for entry in TimesheetLog.objects.filter(month__person=person).order_by("at", "pk"):
        logs.setdefault(entry.month_id, []).append(
            {
                "action": entry.action,
                "at": entry.at,
                "by_you": entry.actor_id == person.pk,
                "comment": entry.comment,
                # The network address is the person's only when they signed themselves.
                "ip_address": entry.ip_address if entry.actor_id == person.pk else None,
                "figures": entry.details,
            }
        )
    return {
        "timesheet_months": [
            {
                "id": m.pk,
                "programme": m.programme.name,
                "city": m.city.name,
                "month": m.month,
                "status": m.status,
                "signed_by_you_at": m.submitted_at,
                "imported_from_paper": (
                    {"file": m.imported_from, "at": m.imported_at} if m.imported_at else None
                ),
                "approved_by_the_city_supervisor_at": m.approved_at,
                "supervisor_comment": m.return_comment,
                "approved_hours": m.hours,
                "cost_model": m.cost_model,
                "annual_costs": m.annual_costs,
                "working_time_share": m.working_time_share,
                "costs_currency": m.costs_currency,
                "exchange_rate": m.exchange_rate,
                "rate": m.exact_rate,
                "log": logs.get(m.pk, []),
            }
            for m in months
        ],
        "time_entries": [
            {
                "timesheet_month_id": e["timesheet_id"],
                "day": e["day"],
                "activity": e["activity"],
                "hours": e["hours"],
                "description": e["description"],
                "event": e["event__title"],
                "city": e["city__name"],
            }
            for e in TimeEntry.objects.filter(person=person)
            .order_by("day", "activity", "pk")
            .values(
                "timesheet_id",
                "day",
                "activity",
                "hours",
                "description",
                "event__title",
                "city__name",
            )
        ],
        "staff_rates": [
            {
                "city": r.city.name,
                "year": r.year,
                "annual_costs": r.annual_costs,
                "working_time_share": r.working_time_share,
                "last_changed_at": r.updated_at,
            }
            for r in StaffRate.objects.filter(person=person)
            .select_related("city")
            .order_by("year", "city__name")
        ],
        "hours_in_other_grants": [
            {
                "year": r.year,
                "project": r.project,
                "hours": r.hours,
                "note": r.note,
                "last_changed_by_you": r.updated_by_id == person.pk,
                "last_changed_at": r.updated_at,
            }
            for r in OtherGrantHours.objects.filter(person=person).order_by("year", "project")
        ],
    }


def _months_never_approved(person: User) -> QuerySet:
    """Months that never reached a supervisor's approval: open, submitted or returned, and not
    approved-then-reopened. They were never claimed in a staff-cost report."""
    return (
        TimesheetMonth.objects.filter(person=person)
        .exclude(status=MonthStatus.APPROVED)
        .exclude(log__action=TimesheetAction.APPROVED)
    )


def _months_kept(person: User) -> QuerySet:
    return TimesheetMonth.objects.filter(person=person).exclude(
        pk__in=_months_never_approved(person).values("pk")
    )


def _rates_deleted(person: User) -> QuerySet:
    """Rates that priced no kept month (each kept month was priced with its city's and year's)."""
    kept_keys = _months_kept(person).values_list("city_id", "month__year").distinct()
    keep = Q(pk__in=[])
    for city_id, year in kept_keys:
        keep |= Q(city_id=city_id, year=year)
    return StaffRate.objects.filter(person=person).exclude(keep)


def _other_grant_hours_deleted(person: User) -> QuerySet:
    """Hours in other grants of years without a kept month: they capped no signature an audit
    looks at."""
    kept_years = _months_kept(person).values_list("month__year", flat=True)
    return OtherGrantHours.objects.filter(person=person).exclude(year__in=kept_years)


def programmes(person: User, *, city_ids: set[int]) -> set[int]:
    return set(TimesheetMonth.objects.filter(person=person).values_list("programme_id", flat=True))


def deleted(person: User) -> dict[str, int]:
    never_approved = _months_never_approved(person)
    return {
        "timesheet_months": never_approved.count(),
        "time_entries": TimeEntry.objects.filter(timesheet__in=never_approved).count(),
        "staff_rates": _rates_deleted(person).count(),
        "other_grant_hours": _other_grant_hours_deleted(person).count(),
    }


def kept(person: User) -> dict[str, int]:
    kept_months = _months_kept(person)
    return {
        "timesheet_months": kept_months.count(),
        "time_entries": TimeEntry.objects.filter(timesheet__in=kept_months).count(),
        "staff_rates": StaffRate.objects.filter(person=person).count()
        - _rates_deleted(person).count(),
        "other_grant_hours": OtherGrantHours.objects.filter(person=person).count()
        - _other_grant_hours_deleted(person).count(),
        "signatures_on_others_months": TimesheetLog.objects.filter(actor=person)
        .exclude(month__person=person)
        .count(),
    }


def erase(person: User, *, old_email: str) -> None:
    # The months laid out for reports show the person's name (as signer or approver): they go,
    # and a report lays the kept months out again as they read now.
    forget(TimesheetMonth.objects.filter(Q(person=person) | Q(approved_by=person)).values("pk"))
    never_approved = list(_months_never_approved(person).values_list("pk", flat=True))
    TimeEntry.objects.filter(timesheet__in=never_approved).delete()
    TimesheetMonth.objects.filter(pk__in=never_approved).delete()
    _rates_deleted(person).delete()
    _other_grant_hours_deleted(person).delete()


register(
    PersonalDataPart(
        name="reporting",
        order=10,
        export=export,
        programmes=programmes,
        deleted=deleted,
        kept=kept,
        erase=erase,
        deleted_rows=(
            Row("timesheet_months", _("Timesheet months never approved by a supervisor"), 60),
            Row("time_entries", _("Time entries of those months"), 70),
            Row("staff_rates", _("Staff rates that priced no approved month"), 80),
            Row(
                "other_grant_hours",
                _("Hours in other grants of years without an approved month"),
                85,
            ),
        ),
        kept_rows=(
            Row("timesheet_months", _("Approved timesheet months"), 10),
            Row("time_entries", _("Time entries of the approved months"), 20),
            Row("staff_rates", _("Staff rates the approved months were costed with"), 30),
            Row(
                "other_grant_hours",
                _("Hours in other grants declared for the years of the approved months"),
                35,
            ),
            Row(
                "signatures_on_others_months",
                _("Their signatures on other people's timesheets"),
                40,
            ),
        ),
    )
)
