"""Demo staff time of ICP AGIR under its daily cost model (illustrative figures): Cape Town's
officer, whose annual costs are in rand, with the programme's monthly ZAR→EUR rates recorded by
the coordinator, and Seoul's, whose costs are in won (KRW→EUR rates likewise). Months are filled
in on their last working day, signed the next working day and approved two days later, through
the reporting services (stamps moved with accounts.demo.dated). Registered by
``reporting.demo``; an officer who already has a timesheet in ICP AGIR is skipped."""

from datetime import date, timedelta
from decimal import Decimal

from accounts.demo import DemoRun, dated, demo_at
from accounts.models import User
from mentoring.models import Programme

from . import services
from .models import (
    Activity,
    ExchangeRate,
    StaffRate,
    TimeEntry,
    TimesheetLog,
    TimesheetMonth,
)

COORDINATOR_EMAIL = "coordinator.agir@example.org"

# city: currency, annual personnel costs 2021, 2022, 2023 (in that currency), working-time
# share, last month approved, last month signed.
CITY_PLANS = {
    "Cape Town": ("ZAR", (610000, 640000, 672000), "1", (2022, 9), (2022, 11)),
    "서울": ("KRW", (58000000, 60400000, 62800000), "1", (2022, 10), (2022, 12)),
}

# One unit of the currency in euros, per month of the programme (illustrative, near the
# published reference rates of the time).
EXCHANGE_START = {"ZAR": Decimal("0.0575"), "KRW": Decimal("0.000730")}
EXCHANGE_STEP = {"ZAR": Decimal("-0.0003"), "KRW": Decimal("-0.000002")}
SOURCE = "ECB reference rate, monthly average (illustrative)"

# Days of each month the officer works for the programme, by activity: (weekday of the first
# week it falls on, activity, hours). Two days a month, a half day on project management.
MONTH_PATTERN = [
    (1, Activity.NEEDS_ANALYSIS, Decimal(8)),
    (8, Activity.ACTION_PLANNING, Decimal(8)),
    (15, Activity.PROJECT_MANAGEMENT, Decimal(4)),
]


def _months(first: date, last: date) -> list[date]:
    months, month = [], first.replace(day=1)
    while month <= last:
        months.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return months


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _last_working_day(month: date) -> date:
    day = services.days_of_month(month)[-1]
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _working_day(month: date, day: int) -> date:
    at = month.replace(day=day)
    while at.weekday() >= 5:
        at += timedelta(days=1)
    return at


def _exchange_rates(programme: Programme, coordinator: User) -> None:
    """The coordinator records each month's rate at the start of the month."""
    have = set(ExchangeRate.objects.filter(programme=programme).values_list("currency", "month"))
    for currency, start in EXCHANGE_START.items():
        for n, month in enumerate(_months(programme.starts_on, programme.ends_on)):
            if (currency, month) in have:
                continue
            with dated(demo_at(month), (ExchangeRate, "updated_at")):
                services.exchange_rate_save(
                    programme=programme,
                    currency=currency,
                    month=month,
                    rate=start + EXCHANGE_STEP[currency] * n,
                    source=SOURCE,
                    by=coordinator,
                )


def seed_agir_time(run: DemoRun) -> int:
    """Rates, entries and signed months of the two officers; returns how many entries."""
    programme, cities = run.made["agir"], run.made["agir_cities"]
    coordinator = User.objects.get(email=COORDINATOR_EMAIL)
    _exchange_rates(programme, coordinator)
    created = 0
    for name, (currency, costs, share, approved, submitted) in CITY_PLANS.items():
        city = cities[name]
        officer = User.objects.get(email=f"officer.{city.slug}@example.org")
        supervisor = User.objects.get(email=f"supervisor.{city.slug}@example.org")
        existing = set(
            StaffRate.objects.filter(person=officer, city=city).values_list("year", flat=True)
        )
        for year, annual in zip((2021, 2022, 2023), costs, strict=True):
            if year not in existing:
                entered = max(programme.starts_on, date(year, 1, 10))
                with dated(demo_at(entered), (StaffRate, "updated_at")):
                    services.staff_rate_save(
                        person=officer,
                        city=city,
                        year=year,
                        annual_costs=Decimal(annual),
                        working_time_share=Decimal(share),
                        currency=currency,
                        by=supervisor,
                    )
        if TimesheetMonth.objects.filter(person=officer, programme=programme).exists():
            continue
        for month in _months(programme.starts_on, programme.ends_on):
            hours = {(_working_day(month, d), a): h for d, a, h in MONTH_PATTERN}
            stamps = ("created_at", "updated_at")
            with dated(demo_at(_last_working_day(month), 17), *((TimeEntry, s) for s in stamps)):
                services.month_grid_save(
                    person=officer,
                    programme=programme,
                    city=city,
                    month=month,
                    hours=hours,
                    descriptions={day: "ICP AGIR cluster work" for day, _a in hours},
                    today=programme.ends_on,
                )
            created += len(hours)
        sheets = TimesheetMonth.objects.filter(person=officer, programme=programme, city=city)
        for sheet in sheets.order_by("month"):
            if sheet.month > date(*submitted, 1):
                break
            signed = _next_working_day(services.days_of_month(sheet.month)[-1])
            with dated(demo_at(signed, 9), (TimesheetMonth, "submitted_at"), (TimesheetLog, "at")):
                services.month_submit(sheet, by=officer, today=programme.ends_on)
            if sheet.month <= date(*approved, 1):
                countersigned = demo_at(_next_working_day(signed + timedelta(days=1)), 11)
                with dated(countersigned, (TimesheetMonth, "approved_at"), (TimesheetLog, "at")):
                    services.month_approve(sheet, by=supervisor)
    return created
