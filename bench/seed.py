"""Seeding shared by the benchmarks: officers who record one time entry on every working day of a
two-year programme, their yearly rates, and monthly timesheets approved and priced exactly as
``reporting.services.month_approve`` prices them.

This is a fixture, not the services: rows go in with bulk_create and the entries with COPY, but
they are consistent (hours of an approved month = the sum of its entries, rate frozen from the
officer's rate of that year).
"""

import io
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

FIRST_MONTH, LAST_MONTH = date(2016, 10, 1), date(2018, 9, 1)
APPROVED_THROUGH, SUBMITTED_THROUGH = date(2018, 6, 1), date(2018, 8, 1)
BATCH = 5000
COPY_BATCH = 50_000
DESCRIPTIONS = [
    "Needs analysis with the employment service",
    "Preparing the questions for the visit",
    "Notes and follow-up of the meeting",
    "Action plan: actions and indicators",
    "Local group meeting with employers",
    "Timesheets and progress report",
    "Call with the partner city",
    "",
]
ENTRY_COLUMNS = (
    "timesheet_id, person_id, programme_id, city_id, day, activity, hours, description, "
    "created_at, updated_at"
)


def months() -> list[date]:
    result, month = [], FIRST_MONTH
    while month <= LAST_MONTH:
        result.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return result


def working_days(month: date) -> list[date]:
    from reporting.services import days_of_month

    return [day for day in days_of_month(month) if day.weekday() < 5]


def entry_hours(officer_no: int, day: date) -> Decimal:
    """1 to 6 hours in half-hour steps, 3.5 on average: under the productive hours of a 0.8
    share (1,376 a year) with room to spare."""
    return Decimal(2 + (officer_no * 7 + day.toordinal() * 3) % 11) / 2


def annual_costs(city_no: int, officer_no: int, year: int) -> Decimal:
    base = Decimal(18000 + (city_no * 3217 + officer_no * 1931) % 52000)
    return (base * Decimal("1.02") ** (year - 2016)).quantize(Decimal("0.01"))


def signed_at(month: date, days: int, hour: int) -> datetime:
    last_day = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return datetime.combine(last_day + timedelta(days=days), datetime.min.time(), UTC).replace(
        hour=hour
    )


def entries_for(n_cities: int, officers_per_city: int) -> int:
    return n_cities * officers_per_city * sum(len(working_days(m)) for m in months())


def frame_rows(programme) -> None:
    """Give a bench programme the demo's frame: the Integrating Cities Charter (from its preset)
    and CITIES-GROW's target groups."""
    from mentoring.services.frames import preset_framework
    from toolkits.demo import TARGET_GROUPS
    from toolkits.models import TargetGroup

    programme.framework = preset_framework("integrating-cities-charter")
    programme.save(update_fields=["framework"])
    TargetGroup.objects.bulk_create(
        TargetGroup(programme=programme, name=name, position=position)
        for position, name in enumerate(TARGET_GROUPS)
    )


def seed_time(programme, cities, supervisors, *, officers_per_city: int, password: str) -> dict:
    """Officers of every city (``bench.officer.NNNN.K@example.org``) with their memberships,
    rates, monthly timesheets and logs, and one entry per officer and working day. Call it inside
    a transaction; returns the officers and counts."""
    from django.db import connection
    from django.utils import timezone
    from tqdm import tqdm

    from accounts.models import Membership, Role, User
    from reporting.costs import CostFigures, rate_for
    from reporting.models import (
        Activity,
        MonthStatus,
        StaffRate,
        TimesheetAction,
        TimesheetLog,
        TimesheetMonth,
    )

    activities = [a for a in Activity.values if a != Activity.TRAVEL]
    all_months = months()
    days = {month: working_days(month) for month in all_months}
    officers = User.objects.bulk_create(
        (
            User(
                email=f"bench.officer.{n:04d}.{k}@example.org",
                full_name=f"Officer {k} of city {n:04d}",
                password=password,
            )
            for n in range(len(cities))
            for k in range(officers_per_city)
        ),
        batch_size=BATCH,
    )
    Membership.objects.bulk_create(
        (
            Membership(user=user, role=Role.OFFICER, city=cities[i // officers_per_city])
            for i, user in enumerate(officers)
        ),
        batch_size=BATCH,
    )

    rates = {}
    for i, officer in enumerate(officers):
        city_no, officer_no = divmod(i, officers_per_city)
        share = Decimal("0.8") if officer_no == officers_per_city - 1 else Decimal(1)
        for year in (2016, 2017, 2018):
            rates[(officer.pk, year)] = StaffRate(
                person=officer,
                city=cities[city_no],
                year=year,
                annual_costs=annual_costs(city_no, officer_no, year),
                working_time_share=share,
                updated_by=supervisors[city_no],
            )
    StaffRate.objects.bulk_create(rates.values(), batch_size=BATCH)

    # One timesheet per officer and month, priced as month_approve prices it.
    sheets, logs, sheet_hours = [], [], []
    for i, officer in tqdm(
        list(enumerate(officers)), desc="Timesheets", unit="officer", leave=False
    ):
        city_no = i // officers_per_city
        for month in all_months:
            hours = sum((entry_hours(i, day) for day in days[month]), Decimal(0))
            sheet = TimesheetMonth(
                person=officer, programme=programme, city=cities[city_no], month=month
            )
            if month <= SUBMITTED_THROUGH:
                sheet.status = MonthStatus.SUBMITTED
                sheet.submitted_at = signed_at(month, 2, 9)
            if month <= APPROVED_THROUGH:
                rate = rates[(officer.pk, month.year)]
                sheet.status = MonthStatus.APPROVED
                sheet.approved_at = signed_at(month, 5, 15)
                sheet.approved_by = supervisors[city_no]
                sheet.hours = hours
                sheet.cost_model = programme.cost_model
                sheet.annual_costs = rate.annual_costs
                sheet.working_time_share = rate.working_time_share
                sheet.rate = rate_for(
                    programme.cost_model,
                    rate.annual_costs,
                    rate.working_time_share,
                    CostFigures.of(programme),
                )
            sheets.append(sheet)
            sheet_hours.append(hours)
    TimesheetMonth.objects.bulk_create(sheets, batch_size=BATCH)
    for sheet, hours in zip(sheets, sheet_hours, strict=True):
        if sheet.submitted_at:
            logs.append(
                TimesheetLog(
                    month=sheet,
                    action=TimesheetAction.SUBMITTED,
                    actor_id=sheet.person_id,
                    details={"hours": str(hours)},
                )
            )
        if sheet.status == MonthStatus.APPROVED:
            logs.append(
                TimesheetLog(
                    month=sheet,
                    action=TimesheetAction.APPROVED,
                    actor_id=sheet.approved_by_id,
                    details={
                        "hours": str(sheet.hours),
                        "cost_model": sheet.cost_model,
                        "annual_costs": str(sheet.annual_costs),
                        "working_time_share": str(sheet.working_time_share),
                        "rate": str(sheet.rate),
                    },
                )
            )
    TimesheetLog.objects.bulk_create(logs, batch_size=BATCH)

    # The entries go in with COPY: about ten times faster than bulk_create.
    sheet_ids = {(s.person_id, s.month): s.pk for s in sheets}
    total = len(officers) * sum(len(d) for d in days.values())
    progress = tqdm(total=total, desc="Time entries", unit="entry", unit_scale=True)
    now = timezone.now().isoformat()
    buffer, rows = io.StringIO(), 0

    def flush_rows() -> None:
        nonlocal buffer, rows
        buffer.seek(0)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY reporting_timeentry ({ENTRY_COLUMNS}) FROM STDIN", buffer
            )
        progress.update(rows)
        buffer, rows = io.StringIO(), 0

    for i, officer in enumerate(officers):
        city_id = cities[i // officers_per_city].pk
        for month in all_months:
            timesheet_id = sheet_ids[(officer.pk, month)]
            for day in days[month]:
                ordinal = day.toordinal()
                buffer.write(
                    f"{timesheet_id}\t{officer.pk}\t{programme.pk}\t{city_id}\t{day.isoformat()}\t"
                    f"{activities[(i + ordinal) % len(activities)]}\t{entry_hours(i, day)}\t"
                    f"{DESCRIPTIONS[(i * 3 + ordinal) % len(DESCRIPTIONS)]}\t{now}\t{now}\n"
                )
                rows += 1
        if rows >= COPY_BATCH:
            flush_rows()
    if rows:
        flush_rows()
    progress.close()
    return {
        "officers": officers,
        "entries": total,
        "months": len(sheets),
        "approved_months": sum(s.status == MonthStatus.APPROVED for s in sheets),
    }


def vacuum_analyze(tables: tuple[str, ...] = ()) -> None:
    """VACUUM ANALYZE the given tables (or the whole database): fresh statistics for the planner
    and a visibility map for index-only scans, as autovacuum would leave them after a while."""
    from django.db import connection

    with connection.cursor() as cursor:
        if not tables:
            cursor.execute("VACUUM ANALYZE")
        for table in tables:
            cursor.execute(f"VACUUM ANALYZE {table}")  # fixed table names
