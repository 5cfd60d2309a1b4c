"""Reads for staff time: what each person may see, and the figures reports and dashboards show.

Totals come from the figures frozen on approved months: the staff costs priced by the database
(reporting.pricing), the days used from their hours. Entries are read only where nothing is
frozen yet (months not approved), for a report's hours by activity and its day-by-day lines. A
report's person-months are streamed, one priced row per approved month.
"""

from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear
from django.utils.translation import gettext

from accounts.models import Role, User
from accounts.selectors import scopes_of
from cities.models import City
from cities.selectors import cities_matching
from mentoring.models import Programme

from . import pricing
from .costs import (
    EU_FIGURES,
    CostFigures,
    CostSplit,
    PricedHours,
    Rates,
    days_used,
    rate_divisor,
    rate_for,
    share_of_allowance,
)
from .models import (
    Activity,
    ExchangeRate,
    MonthStatus,
    OtherGrantHours,
    StaffCostReport,
    StaffRate,
    TimeEntry,
    TimesheetMonth,
)


def months_visible_to(user: User) -> QuerySet:
    """Timesheets the person may open: their own, their supervised cities', their programmes'."""
    if not user.is_authenticated:
        return TimesheetMonth.objects.none()
    scopes = scopes_of(user)
    return TimesheetMonth.objects.filter(
        Q(person=user)
        | Q(city__in=scopes.city_ids(Role.SUPERVISOR))
        | Q(programme__in=scopes.coordinated)
    ).select_related("person", "programme", "city", "approved_by", "imported_by")


def approval_queue(user: User) -> QuerySet:
    """Submitted months waiting for this supervisor: their cities, not their own."""
    return (
        TimesheetMonth.objects.filter(
            status=MonthStatus.SUBMITTED, city__in=scopes_of(user).city_ids(Role.SUPERVISOR)
        )
        .exclude(person=user)
        .select_related("person", "programme", "city")
        .annotate(entry_hours=Sum("entries__hours"))
        .order_by("month", "city__name", "person__full_name")
    )


def rates_visible_to(user: User) -> QuerySet:
    """Their own rates; every rate of the cities they supervise or whose programme they
    coordinate."""
    if not user.is_authenticated:
        return StaffRate.objects.none()
    scopes = scopes_of(user)
    return (
        StaffRate.objects.filter(
            Q(person=user)
            | Q(city__in=scopes.city_ids(Role.SUPERVISOR))
            | Q(city__participations__programme__in=scopes.coordinated)
        )
        .distinct()
        .select_related("person", "city", "updated_by")
    )


def reports_visible_to(user: User) -> QuerySet:
    if not user.is_authenticated:
        return StaffCostReport.objects.none()
    scopes = scopes_of(user)
    return StaffCostReport.objects.filter(
        Q(programme__in=scopes.coordinated) | Q(city__in=scopes.city_ids(Role.SUPERVISOR))
    ).select_related("programme", "city", "requested_by", "pdf", "csv", "xlsx")


def imported_entries(city: City) -> QuerySet:
    """The entries of the city's months imported from paper, as the import reads them back."""
    return (
        TimeEntry.objects.filter(city=city, timesheet__imported_at__isnull=False)
        .select_related("person", "programme")
        .order_by("person__email", "programme__slug", "day", "activity", "pk")
    )


def month_entries(sheet: TimesheetMonth) -> QuerySet:
    return sheet.entries.select_related("event").order_by("day", "activity", "pk")


# Staff-cost figures ------------------------------------------------------------------------------

# Rows fetched at a time while a report streams its person-months.
ROWS_PER_FETCH = 2000


@dataclass
class PersonMonth:
    """One approved timesheet, priced with the rate stored on it."""

    sheet_id: int
    person_id: int
    person: str
    city_id: int
    city: str
    month: date
    hours: Decimal
    cost_model: str
    annual_costs: Decimal
    working_time_share: Decimal
    rate: Decimal
    submitted_at: object
    approved_at: object
    approved_by: str
    figures: CostFigures
    costs_currency: str = ""
    # A month signed on paper and imported: from which file, by whom, when.
    imported_from: str = ""
    imported_by: str = ""
    imported_at: object = None
    exchange_rate: Decimal | None = None

    @cached_property
    def priced(self) -> PricedHours:
        return PricedHours(
            self.cost_model,
            self.annual_costs,
            self.working_time_share,
            self.hours,
            self.figures,
            self.exchange_rate if self.costs_currency else None,
        )

    @property
    def is_daily(self) -> bool:
        return self.priced.is_daily

    @cached_property
    def day_equivalents(self) -> Decimal:
        return self.priced.day_equivalents

    @property
    def quantity(self) -> Decimal:
        """What the rate was multiplied by: hours, or day-equivalents in the daily model."""
        return self.priced.quantity

    @property
    def rate_divisor(self) -> Decimal:
        return rate_divisor(self.cost_model, self.working_time_share, self.figures)

    @cached_property
    def cost(self) -> Decimal:
        return self.priced.cost


@dataclass
class CityFigures:
    city_id: int
    city: str
    figures: CostFigures
    hours: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    allowance_days: int = 0

    @property
    def days(self) -> Decimal:
        """Days used (reporting.costs.days_used), as every file and dashboard shows them."""
        return days_used(self.hours, self.figures)

    @property
    def days_left(self) -> Decimal:
        return Decimal(self.allowance_days) - self.days


@dataclass
class StaffCostSummary:
    """The figures of a staff-cost report, priced in the database (reporting.pricing). The rows
    they add up are ``person_months()``, the months left out ``months_not_counted()``, the hours
    by activity ``hours_by_activity()``: the report streams them."""

    programme: Programme
    city: City | None
    first_month: date
    last_month: date
    by_month: list[tuple[date, Decimal, Decimal]]
    by_city: list[CityFigures]
    split: CostSplit
    total_hours: Decimal = Decimal(0)
    total_day_equivalents: Decimal = Decimal(0)
    person_months: int = 0

    @property
    def currency(self) -> str:
        return self.programme.currency

    @property
    def figures(self) -> CostFigures:
        return CostFigures.of(self.programme)

    @property
    def total_days(self) -> Decimal:
        return days_used(self.total_hours, self.figures)


def _period(programme, city, first_month, last_month) -> QuerySet:
    sheets = TimesheetMonth.objects.filter(
        programme=programme, month__gte=first_month, month__lte=last_month
    )
    return sheets.filter(city=city) if city is not None else sheets


def _approved(programme, city, first_month, last_month) -> QuerySet:
    return _period(programme, city, first_month, last_month).filter(status=MonthStatus.APPROVED)


def staff_cost_summary(
    programme: Programme, *, city: City | None, first_month: date, last_month: date
) -> StaffCostSummary:
    """The totals of a staff-cost report, from approved months only: by city, by month and in
    all, priced in the database from the figures frozen on each month: one query however many
    months (on SQLite, added up in Python from ``person_months()``)."""
    if connection.vendor == "postgresql":
        totals = pricing.priced_totals(
            programme, city=city, first_month=first_month, last_month=last_month
        )
    else:
        totals = pricing.add_up(
            person_months(programme, city=city, first_month=first_month, last_month=last_month)
        )
    figures = CostFigures.of(programme)
    total = totals.total
    return StaffCostSummary(
        programme=programme,
        city=city,
        first_month=first_month,
        last_month=last_month,
        by_month=[(month, s.hours, s.cost) for month, s in sorted(totals.by_month.items())],
        by_city=sorted(
            (
                CityFigures(
                    city_id,
                    name,
                    figures,
                    hours=s.hours,
                    cost=s.cost,
                    allowance_days=programme.staff_days_allowance,
                )
                for city_id, (name, s) in totals.by_city.items()
            ),
            key=lambda c: c.city,
        ),
        split=CostSplit(
            direct=total.cost,
            indirect_rate=programme.indirect_cost_rate,
            reimbursement_rate=programme.reimbursement_rate,
            grant_cap=programme.budget * programme.reimbursement_rate,
        ),
        total_hours=total.hours,
        total_day_equivalents=total.day_equivalents,
        person_months=total.person_months,
    )


def person_months(
    programme: Programme, *, city: City | None, first_month: date, last_month: date
) -> Iterator[PersonMonth]:
    """Every approved month of the period, priced with the figures frozen on it, by city,
    person and month: streamed from the database, for the report's pages and tables."""
    figures = CostFigures.of(programme)
    approved = _approved(programme, city, first_month, last_month)
    for s in (
        # The city's id after its name: two cities of one name (Valencia, Spain and Venezuela)
        # stay apart, each city's months one after the other.
        approved.order_by("city__name", "city_id", "person__full_name", "person_id", "month")
        .values(
            "pk",
            "person_id",
            "person__full_name",
            "person__email",
            "person__erased_at",
            "city_id",
            "city__name",
            "month",
            "hours",
            "cost_model",
            "annual_costs",
            "working_time_share",
            "costs_currency",
            "exchange_rate",
            "submitted_at",
            "approved_at",
            "approved_by_id",
            "approved_by__full_name",
            "approved_by__email",
            "approved_by__erased_at",
            "imported_from",
            "imported_at",
            "imported_by_id",
            "imported_by__full_name",
            "imported_by__email",
            "imported_by__erased_at",
        )
        .iterator(chunk_size=ROWS_PER_FETCH)
    ):
        yield PersonMonth(
            sheet_id=s["pk"],
            person_id=s["person_id"],
            person=_person_label(s),
            city_id=s["city_id"],
            city=s["city__name"],
            month=s["month"],
            hours=s["hours"],
            cost_model=s["cost_model"],
            annual_costs=s["annual_costs"],
            working_time_share=s["working_time_share"],
            # From the exact frozen figures, not the stored rate column (see exact_rate).
            rate=_exact_rate(s, figures),
            submitted_at=s["submitted_at"],
            approved_at=s["approved_at"],
            approved_by=_person_label(s, "approved_by"),
            figures=figures,
            costs_currency=s["costs_currency"],
            exchange_rate=s["exchange_rate"],
            imported_from=s["imported_from"],
            imported_by=_person_label(s, "imported_by") if s["imported_by_id"] else "",
            imported_at=s["imported_at"],
        )


def people_count(
    programme: Programme, *, city: City | None, first_month: date, last_month: date
) -> int:
    """How many people have approved months in the period (one of two cities counts twice)."""
    approved = _approved(programme, city, first_month, last_month)
    return approved.values("city_id", "person_id").distinct().count()


def hours_by_activity(
    programme: Programme, *, city: City | None, first_month: date, last_month: date
) -> list[tuple[str, str, Decimal]]:
    """(activity, its label, approved hours) of the period: the one report figure that needs the
    entries, as approved months freeze no hours per activity."""
    labels = dict(Activity.choices)
    approved = _approved(programme, city, first_month, last_month)
    return [
        (a["activity"], str(labels.get(a["activity"], a["activity"])), a["hours"])
        for a in TimeEntry.objects.filter(timesheet__in=approved)
        .values("activity")
        .annotate(hours=Sum("hours"))
        .order_by("activity")
    ]


def months_not_counted(
    programme: Programme, *, city: City | None, first_month: date, last_month: date
) -> QuerySet:
    """Months of the period with time recorded but not approved: left out of the figures."""
    return (
        _period(programme, city, first_month, last_month)
        .exclude(status=MonthStatus.APPROVED)
        .filter(Exists(TimeEntry.objects.filter(timesheet=OuterRef("pk"))))
        .select_related("person", "city")
        .order_by("month", "city__name", "person__full_name")
    )


@dataclass(frozen=True)
class ReportCity:
    """A city a staff-cost report speaks of, and how many of its months it leaves out."""

    city_id: int
    name: str
    approved: int
    not_counted: int


def report_cities(
    programme: Programme, *, city: City | None, first_month: date, last_month: date
) -> list[ReportCity]:
    """The cities with approved months or months not counted in the period, by name (in the
    database's order, as ``person_months()`` gives their rows): one row per city, so a report
    of every city can give each its section without holding every month at once."""
    recorded = Exists(TimeEntry.objects.filter(timesheet=OuterRef("pk")))
    approved = Q(status=MonthStatus.APPROVED)
    rows = (
        _period(programme, city, first_month, last_month)
        .filter(approved | (~approved & recorded))
        .values("city_id", "city__name")
        .annotate(
            approved_months=Count("pk", filter=approved),
            open_months=Count("pk", filter=~approved),
        )
        .order_by("city__name", "city_id")
    )
    return [
        ReportCity(r["city_id"], r["city__name"], r["approved_months"], r["open_months"])
        for r in rows
    ]


def _exact_rate(sheet: Mapping[str, Any], figures: CostFigures) -> Decimal:
    """TimesheetMonth.exact_rate from values() rows: in the programme's currency."""
    rate = rate_for(
        sheet["cost_model"], sheet["annual_costs"], sheet["working_time_share"], figures
    )
    return rate * sheet["exchange_rate"] if sheet["costs_currency"] else rate


def timesheet_days(sheet_ids: list[int]) -> dict[int, list[Mapping[str, Any]]]:
    """The day-by-day lines of the given timesheets, for printing: sheet id → entries."""
    lines: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for entry in (
        TimeEntry.objects.filter(timesheet__in=sheet_ids)
        .order_by("timesheet_id", "day", "activity", "pk")
        .values("timesheet_id", "day", "activity", "hours", "description", "event__title")
        .iterator(chunk_size=5000)
    ):
        lines[entry["timesheet_id"]].append(entry)
    return lines


# Dashboards -------------------------------------------------------------------------------------
#
# Approved hours are those frozen on approved months; recorded hours are those and the entries of
# the months not approved yet (an approved month's entries are locked and add up to its hours).
# Only the months not approved are read entry by entry, through the entries' timesheet index.

NOT_APPROVED = (MonthStatus.OPEN, MonthStatus.SUBMITTED, MonthStatus.RETURNED)


def _hours_by(months: QuerySet, key: str) -> dict[int, tuple[Decimal, Decimal]]:
    """(approved, recorded) hours of these months per ``key`` (city_id or person_id), for those
    with any: two queries."""
    approved = {
        row[key]: row["hours"]
        for row in months.filter(status=MonthStatus.APPROVED)
        .values(key)
        .annotate(hours=Sum("hours"))
        .order_by()
    }
    pending = {
        row[key]: row["hours"]
        for row in TimeEntry.objects.filter(timesheet__in=months.filter(status__in=NOT_APPROVED))
        .values(key)
        .annotate(hours=Sum("hours"))
        .order_by()
    }
    return {
        k: (approved.get(k) or Decimal(0), (approved.get(k) or Decimal(0)) + pending.get(k, 0))
        for k in approved.keys() | pending.keys()
    }


def programme_cities(programme: Programme, *, search: str = "") -> QuerySet:
    """The cities taking part in the programme, by name; with ``search``, those whose name
    contains it, whatever its accents or script (``cities_matching``: gdansk finds Gdańsk)."""
    cities = City.objects.filter(participations__programme=programme).order_by("name", "pk")
    return cities_matching(cities, search) if search else cities


def days_by_city(programme: Programme, cities: list[City]) -> list[dict]:
    """Approved and recorded hours and days of each of these cities of the programme."""
    if not cities:
        return []
    hours = _hours_by(
        TimesheetMonth.objects.filter(programme=programme, city__in=[c.pk for c in cities]),
        "city_id",
    )
    figures = CostFigures.of(programme)
    return [
        _days_row(city.pk, city.name, hours.get(city.pk), programme.staff_days_allowance, figures)
        for city in cities
    ]


def programme_days(programme: Programme) -> dict:
    """The approved days of all the programme's cities against all their allowances: from the
    hours frozen on its approved months (recorded days would need every open month's entries)."""
    hours = TimesheetMonth.objects.filter(
        programme=programme, status=MonthStatus.APPROVED
    ).aggregate(hours=Sum("hours"))["hours"] or Decimal(0)
    approved = days_used(hours, CostFigures.of(programme))
    allowance = programme.staff_days_allowance * programme.participations.count()
    return {
        "approved_hours": hours,
        "approved_days": approved,
        "allowance_days": allowance,
        "share_of_allowance": share_of_allowance(approved, allowance),
    }


def days_by_person(programme: Programme, city: City) -> list[dict]:
    """The same per person of one city; the allowance is the city's, shared by its people."""
    hours = _hours_by(TimesheetMonth.objects.filter(programme=programme, city=city), "person_id")
    people = User.objects.filter(pk__in=hours).order_by("full_name", "email")
    figures = CostFigures.of(programme)
    return [
        _days_row(person.pk, str(person), hours[person.pk], programme.staff_days_allowance, figures)
        for person in people
    ]


def _person_label(row: dict, field: str = "person") -> str:
    """A person's name in a report row, as ``User.__str__`` gives it, from values() rows."""
    if row[f"{field}__erased_at"] is not None:
        return gettext("Erased person #%(pk)s") % {"pk": row[f"{field}_id"]}
    return row[f"{field}__full_name"] or row[f"{field}__email"] or ""


def _days_row(
    key: int,
    label: str,
    hours: tuple[Decimal, Decimal] | None,
    allowance: int,
    figures: CostFigures,
) -> dict:
    approved, recorded = hours or (Decimal(0), Decimal(0))
    return _days_figures(recorded, approved, allowance, figures) | {"id": key, "label": label}


def _days_figures(
    recorded_hours: Decimal, approved_hours: Decimal, allowance: int, figures: CostFigures
) -> dict:
    approved = days_used(approved_hours, figures)
    return {
        "recorded_hours": recorded_hours,
        "approved_hours": approved_hours,
        "recorded_days": days_used(recorded_hours, figures),
        "approved_days": approved,
        "allowance_days": allowance,
        "share_of_allowance": share_of_allowance(approved, allowance),
    }


def days_totals(rows: list[dict], allowance: int, figures: CostFigures = EU_FIGURES) -> dict:
    """The total of days_by_city or days_by_person rows against a total allowance: the days
    used of the hours added up (reporting.costs.days_used), not a sum of rounded days."""
    return _days_figures(
        sum((row["recorded_hours"] for row in rows), Decimal(0)),
        sum((row["approved_hours"] for row in rows), Decimal(0)),
        allowance,
        figures,
    )


# Costs on pages ---------------------------------------------------------------------------------


def month_costs(sheet: TimesheetMonth) -> PricedHours:
    """An approved month's figures, from the exact figures frozen on it (see exact_rate)."""
    if sheet.annual_costs is None or sheet.working_time_share is None or sheet.hours is None:
        raise ValueError("Only an approved month has costs.")
    return PricedHours(
        sheet.cost_model,
        sheet.annual_costs,
        sheet.working_time_share,
        sheet.hours,
        CostFigures.of(sheet.programme),
        sheet.exchange_rate if sheet.costs_currency else None,
    )


def rate_figures(rate: StaffRate, figures: CostFigures = EU_FIGURES) -> Rates:
    """The hourly and daily rates and productive hours of a person's annual costs."""
    return Rates(rate.annual_costs, rate.working_time_share, figures)


def cost_figures_of_cities(city_ids) -> dict[int, tuple[CostFigures, str]]:
    """Per city, the cost model and currency of its latest programme (one query): what the rates
    page prices a city's annual costs with."""
    result: dict[int, tuple[CostFigures, str]] = {}
    for programme in (
        Programme.objects.filter(participations__city__in=city_ids)
        .annotate(city_id=F("participations__city_id"))
        .order_by("starts_on", "pk")
    ):
        result[programme.city_id] = (CostFigures.of(programme), programme.currency)
    return result


def programme_has_approved_months(programme: Programme) -> bool:
    """Whether anything of the programme is priced: its currency and cost model then stay."""
    return TimesheetMonth.objects.filter(programme=programme, status=MonthStatus.APPROVED).exists()


def exchange_rates_of(programme: Programme) -> QuerySet:
    return ExchangeRate.objects.filter(programme=programme).select_related("updated_by")


# Hours across grants ----------------------------------------------------------------------------

# A month counts against the year's productive hours once the person has signed it.
SIGNED = (MonthStatus.SUBMITTED, MonthStatus.APPROVED)


def hours_signed_by_year(
    person: User, *, years: Iterable[int] | None = None, excluding: TimesheetMonth | None = None
) -> dict[int, Decimal]:
    """The hours of the person's months signed in Tandem, per year, in every programme and city:
    submitted (imported paper months included) or approved. The sum of their entries, which
    cannot change while a month is signed (an approved month's frozen hours are that sum)."""
    entries = TimeEntry.objects.filter(person=person, timesheet__status__in=SIGNED)
    if years is not None:
        entries = entries.filter(timesheet__month__year__in=list(years))
    if excluding is not None:
        entries = entries.exclude(timesheet=excluding)
    rows = (
        entries.values(year=ExtractYear("timesheet__month")).annotate(total=Sum("hours")).order_by()
    )
    return {row["year"]: Decimal(row["total"]) for row in rows}


def other_grant_hours_in(person: User, year: int) -> Decimal:
    """The hours the person declared in other grants for the year."""
    total = OtherGrantHours.objects.filter(person=person, year=year).aggregate(total=Sum("hours"))[
        "total"
    ]
    return Decimal(total or 0)


def other_grant_rows(person: User) -> QuerySet:
    """The person's declared hours in other grants, latest year first."""
    return OtherGrantHours.objects.filter(person=person).select_related("updated_by")


@dataclass
class GrantYear:
    """One year of a person's hours: their productive hours (None without a rate for the year),
    the hours signed in Tandem, those declared in other grants and what remains."""

    year: int
    productive: Decimal | None
    signed: Decimal
    other: Decimal

    @property
    def remaining(self) -> Decimal | None:
        """Hours left to sign: never below nought (``over`` says by how much it is over)."""
        if self.productive is None:
            return None
        return max(self.productive - self.signed - self.other, Decimal(0))

    @property
    def over(self) -> Decimal:
        """How far signed and other-grant hours go beyond the productive hours: hours in other
        grants declared after the months were signed."""
        if self.productive is None:
            return Decimal(0)
        return max(self.signed + self.other - self.productive, Decimal(0))


def grant_years(person: User, rows: list[OtherGrantHours]) -> list[GrantYear]:
    """Each year the person has a rate, signed hours or hours in other grants (``rows``), latest
    first, in three queries however many years. Productive hours are those the rates page shows
    (the rate under its city's latest programme); a person with rates in several cities that
    year gets the fewest, the strictest cap their signatures meet."""
    rates = list(StaffRate.objects.filter(person=person))
    figures = cost_figures_of_cities({rate.city_id for rate in rates})
    productive: dict[int, Decimal] = {}
    for rate in rates:
        hours = rate.productive_hours(figures.get(rate.city_id, (EU_FIGURES, ""))[0])
        productive[rate.year] = min(hours, productive.get(rate.year, hours))
    signed = hours_signed_by_year(person)
    other: dict[int, Decimal] = defaultdict(Decimal)
    for row in rows:
        other[row.year] += row.hours
    years = sorted(set(productive) | set(signed) | set(other), reverse=True)
    return [
        GrantYear(
            year=year,
            productive=productive.get(year),
            signed=signed.get(year, Decimal(0)),
            other=other.get(year, Decimal(0)),
        )
        for year in years
    ]
