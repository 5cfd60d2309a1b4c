"""Staff-cost totals priced by the database: the arithmetic of ``reporting.costs`` on the
figures frozen on approved months, added up by city, by month and in all in one query, with no
Python object per month.

A month costs what ``costs.staff_cost`` gives at the rate of ``costs.rate_for``, multiplied out
so that its one division comes last::

    annual costs × billed quantity × exchange rate (when the costs are in another currency)
    ÷ (the programme's productive hours, or working days, of a year × working-time share)

The billed quantity is the approved hours, or in the daily model their day-equivalents (hours ÷
hours per day, to the nearest half-day, half-up: ``costs.day_equivalents``). PostgreSQL's
numeric multiplies and adds exactly and carries the division to ``SCALE`` decimal places, more
than the 28 significant digits of Python's Decimal. Nothing is rounded to the cent here: a total
is rounded where it is shown, once, by ``costs.cents``, as every total is (costs.py).

SQLite, for development only, has no exact decimal arithmetic in SQL: there ``add_up`` adds the
same figures in Python, from rows priced by ``reporting.costs``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Protocol

from django.db import connection

from cities.models import City
from mentoring.models import CostModel, Programme

from .costs import HALF, CostFigures
from .models import MonthStatus, TimesheetMonth

# Decimal places of a month's cost before it is added up: the one rounding of its division.
SCALE = 30
# What GROUPING(city_id, month) says of a row of the query.
CITY, MONTH, TOTAL = 1, 2, 3


@dataclass
class Subtotal:
    """Approved hours, day-equivalents (each month's, added up) and costs of some months."""

    hours: Decimal = Decimal(0)
    day_equivalents: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    person_months: int = 0


@dataclass
class Totals:
    by_city: dict[int, tuple[str, Subtotal]] = field(default_factory=dict)
    by_month: dict[date, Subtotal] = field(default_factory=dict)
    total: Subtotal = field(default_factory=Subtotal)


# One statement, written out rather than built by the ORM (for one city, building it would cost
# more than running it). GROUPING() tells the rows apart: 1 a city's, 2 a month's, 3 the total.
# Day-equivalents: hours ÷ hours per day ÷ ½ is written hours × 2 ÷ hours per day, one division.
_TOTALS = f"""
WITH months AS (
    SELECT m.city_id, m.month, m.hours,
           ROUND(m.hours * 2 / %(hours_per_day)s) / 2 AS day_equivalents,
           ROUND(
               m.annual_costs
               * CASE WHEN m.cost_model = %(daily)s
                      THEN ROUND(m.hours * 2 / %(hours_per_day)s) / 2
                      ELSE m.hours END
               * CASE WHEN m.costs_currency = '' THEN 1 ELSE m.exchange_rate END,
               {SCALE}
           ) / (
               CASE WHEN m.cost_model = %(daily)s
                    THEN %(working_days_per_year)s ELSE %(productive_hours_per_year)s END
               * m.working_time_share
           ) AS cost
    FROM {TimesheetMonth._meta.db_table} m
    WHERE m.programme_id = %(programme)s AND m.status = %(approved)s
      AND m.month >= %(first_month)s AND m.month <= %(last_month)s
      AND (%(city)s::bigint IS NULL OR m.city_id = %(city)s::bigint)
),
sums AS (
    SELECT GROUPING(city_id, month) AS level, city_id, month,
           SUM(hours) AS hours, SUM(day_equivalents) AS day_equivalents, SUM(cost) AS cost,
           COUNT(*) AS months
    FROM months
    GROUP BY GROUPING SETS ((city_id), (month), ())
)
SELECT sums.level, sums.city_id, city.name, sums.month, COALESCE(sums.hours, 0),
       COALESCE(sums.day_equivalents, 0), COALESCE(sums.cost, 0), sums.months
FROM sums LEFT JOIN {City._meta.db_table} city ON city.id = sums.city_id
"""  # noqa: S608 - table names and a constant from the code; every value is a parameter


def priced_totals(
    programme: Programme, *, city: City | None, first_month: date, last_month: date
) -> Totals:
    """The totals of the programme's approved months in the period (of one city, or all),
    priced by PostgreSQL."""
    if connection.vendor != "postgresql":
        raise NotImplementedError("Only PostgreSQL prices in SQL; elsewhere add_up() the rows.")
    figures = CostFigures.of(programme)
    params = {
        "programme": programme.pk,
        "city": city.pk if city is not None else None,
        "first_month": first_month,
        "last_month": last_month,
        "approved": MonthStatus.APPROVED.value,
        "daily": CostModel.DAILY.value,
        "half": HALF,
        "hours_per_day": figures.hours_per_day,
        "productive_hours_per_year": figures.productive_hours_per_year,
        "working_days_per_year": figures.working_days_per_year,
    }
    totals = Totals()
    with connection.cursor() as cursor:
        cursor.execute(_TOTALS, params)
        for level, city_id, name, month, *sums in cursor.fetchall():
            subtotal = Subtotal(*sums)
            if level == CITY:
                totals.by_city[city_id] = (name, subtotal)
            elif level == MONTH:
                totals.by_month[month] = subtotal
            else:
                totals.total = subtotal
    return totals


class PricedRow(Protocol):
    """A month priced by reporting.costs (selectors.PersonMonth)."""

    @property
    def city_id(self) -> int: ...
    @property
    def city(self) -> str: ...
    @property
    def month(self) -> date: ...
    @property
    def hours(self) -> Decimal: ...
    @property
    def day_equivalents(self) -> Decimal: ...
    @property
    def cost(self) -> Decimal: ...


def add_up(rows: Iterable[PricedRow]) -> Totals:
    """The same totals, added up in Python from rows priced by ``reporting.costs``."""
    totals = Totals()
    for row in rows:
        _name, city = totals.by_city.setdefault(row.city_id, (row.city, Subtotal()))
        month = totals.by_month.setdefault(row.month, Subtotal())
        for subtotal in (city, month, totals.total):
            subtotal.hours += row.hours
            subtotal.day_equivalents += row.day_equivalents
            subtotal.cost += row.cost
            subtotal.person_months += 1
    return totals
