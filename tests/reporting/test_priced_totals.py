"""Staff-cost totals are priced in the database (reporting.pricing), in one query however many
months, and equal to the cent what reporting.costs gives for each approved month, added up: on
the demo, and on random approved months of programmes of each cost model and of currencies with
0, 2 and 3 decimals (seeded, so that a failure comes back the same). Many of the random months
cost an amount on a half-cent exactly, which rounds up."""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.db import connection

from mentoring.models import CostModel, Programme
from reporting import pricing
from reporting.costs import CostFigures, cents, day_equivalents, rate_for, staff_cost
from reporting.models import MonthStatus, TimesheetMonth
from reporting.selectors import StaffCostSummary, person_months, staff_cost_summary
from tests.accounts.factories import UserFactory
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory, ProgrammeFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="only PostgreSQL prices in SQL"),
]

MONTHS = [date(2016 + (9 + n) // 12, (9 + n) % 12 + 1, 1) for n in range(24)]


@dataclass
class Sums:
    hours: Decimal = Decimal(0)
    day_equivalents: Decimal = Decimal(0)
    cost: Decimal = Decimal(0)
    months: int = 0


def per_row(programme: Programme, *, city=None, first_month: date, last_month: date) -> dict:
    """The totals as reporting.costs prices each approved month, added up in Python."""
    figures = CostFigures.of(programme)
    sheets = TimesheetMonth.objects.filter(
        programme=programme,
        status=MonthStatus.APPROVED,
        month__gte=first_month,
        month__lte=last_month,
    )
    if city is not None:
        sheets = sheets.filter(city=city)
    by_city: dict[int, Sums] = defaultdict(Sums)
    by_month: dict[date, Sums] = defaultdict(Sums)
    total = Sums()
    for sheet in sheets:
        cost = staff_cost(
            sheet.cost_model,
            sheet.annual_costs,
            sheet.working_time_share,
            sheet.hours,
            figures,
            sheet.exchange_rate if sheet.costs_currency else None,
        )
        for sums in (by_city[sheet.city_id], by_month[sheet.month], total):
            sums.hours += sheet.hours
            sums.day_equivalents += day_equivalents(sheet.hours, figures)
            sums.cost += cost
            sums.months += 1
    return {"by_city": by_city, "by_month": by_month, "total": total}


def as_shown(programme: Programme, figures: dict) -> dict:
    """Hours as they are, amounts rounded to the currency's minor unit."""
    currency = programme.currency
    return {
        "by_city": {
            key: (s.hours, cents(s.cost, currency)) for key, s in figures["by_city"].items()
        },
        "by_month": {
            key: (s.hours, cents(s.cost, currency)) for key, s in figures["by_month"].items()
        },
        "total": (
            figures["total"].hours,
            figures["total"].day_equivalents,
            figures["total"].months,
            cents(figures["total"].cost, currency),
        ),
    }


def summary_as_shown(summary: StaffCostSummary) -> dict:
    currency = summary.currency
    return {
        "by_city": {c.city_id: (c.hours, cents(c.cost, currency)) for c in summary.by_city},
        "by_month": {
            month: (hours, cents(cost, currency)) for month, hours, cost in summary.by_month
        },
        "total": (
            summary.total_hours,
            summary.total_day_equivalents,
            summary.person_months,
            cents(summary.split.direct, currency),
        ),
    }


def assert_equal_to_the_cent(programme, django_assert_num_queries, **period) -> dict:
    with django_assert_num_queries(1):
        summary = staff_cost_summary(programme, **period)
    expected = as_shown(programme, per_row(programme, **period))
    assert summary_as_shown(summary) == expected
    # The same totals added up from the streamed rows, as SQLite does.
    rows = pricing.add_up(person_months(programme, **period))
    added_up = {
        "by_city": {key: subtotal for key, (_name, subtotal) in rows.by_city.items()},
        "by_month": rows.by_month,
        "total": Sums(
            rows.total.hours, rows.total.day_equivalents, rows.total.cost, rows.total.person_months
        ),
    }
    assert as_shown(programme, added_up) == expected
    return expected


def test_the_demo_totals_equal_the_per_row_arithmetic(
    demo_with_staff_time, django_assert_num_queries
):
    programme = demo_with_staff_time
    whole = {"first_month": programme.starts_on, "last_month": programme.ends_on}
    everything = assert_equal_to_the_cent(programme, django_assert_num_queries, city=None, **whole)
    assert len(everything["by_city"]) == 16
    assert everything["total"][2] > 50
    for participation in programme.participations.select_related("city"):
        assert_equal_to_the_cent(
            programme, django_assert_num_queries, city=participation.city, **whole
        )
    assert_equal_to_the_cent(
        programme,
        django_assert_num_queries,
        city=None,
        first_month=date(2017, 1, 1),
        last_month=date(2017, 12, 1),
    )


def random_programme(rng: random.Random, **fields) -> Programme:
    """A programme with cities, people and approved months whose figures are frozen as
    services.month_approve freezes them (bulk-created: the pricing reads only those)."""
    programme = ProgrammeFactory(**fields)
    figures = CostFigures.of(programme)
    supervisor = UserFactory()
    months = []
    for _ in range(rng.randint(3, 6)):
        city = CityFactory()
        ParticipationFactory(programme=programme, city=city)
        for _ in range(rng.randint(1, 4)):
            person = UserFactory()
            share = rng.choice(
                [
                    Decimal(1),
                    Decimal("0.8"),
                    Decimal("0.5"),
                    Decimal(rng.randint(100, 9999)) / 10000,
                ]
            )
            for month in rng.sample(MONTHS, rng.randint(1, 12)):
                sheet = random_month(rng, programme, figures, person, city, month, share)
                sheet.approved_by = supervisor
                months.append(sheet)
    TimesheetMonth.objects.bulk_create(months)
    return programme


def random_month(rng, programme, figures, person, city, month, share) -> TimesheetMonth:
    annual = Decimal(rng.randint(100_000, 15_000_000)) / 100
    if rng.random() < 0.3:  # 4.3 hours are a 400th of 1,720: costs on half-cents
        hours = Decimal(43 * rng.randint(1, 50)) / 10
    else:
        hours = Decimal(rng.randint(1, 2000)) / 10
    currency, exchange = "", None
    if rng.random() < 0.25:
        currency = "USD"
        exchange = Decimal(rng.randint(1, 5 * 10**12)) / 10**12
    rate = rate_for(programme.cost_model, annual, share, figures) * (exchange or 1)
    return TimesheetMonth(
        person=person,
        programme=programme,
        city=city,
        month=month,
        status=MonthStatus.APPROVED,
        submitted_at=datetime(month.year, month.month, 2, tzinfo=UTC),
        approved_at=datetime(month.year, month.month, 3, tzinfo=UTC),
        hours=hours,
        cost_model=programme.cost_model,
        annual_costs=annual,
        working_time_share=share,
        costs_currency=currency,
        exchange_rate=exchange,
        rate=rate.quantize(Decimal("1e-20")),
    )


PROGRAMMES = [
    {},  # hourly, EUR, the EU's figures
    {
        "cost_model": CostModel.DAILY,
        "hours_per_day": Decimal("7.5"),
        "working_days_per_year": Decimal("220.5"),
    },
    {"currency": "KRW", "productive_hours_per_year": Decimal("1584.5")},
    {
        "currency": "BHD",
        "cost_model": CostModel.DAILY,
        "hours_per_day": Decimal("7.6"),
        "working_days_per_year": Decimal(215),
    },
]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_random_totals_equal_the_per_row_arithmetic(seed, django_assert_num_queries):
    rng = random.Random(seed)  # noqa: S311 - test data, seeded to come back the same
    programmes = [random_programme(rng, **fields) for fields in PROGRAMMES]
    for programme in programmes:
        whole = {"first_month": MONTHS[0], "last_month": MONTHS[-1]}
        assert_equal_to_the_cent(programme, django_assert_num_queries, city=None, **whole)
        city = rng.choice(list(programme.participations.all())).city
        assert_equal_to_the_cent(programme, django_assert_num_queries, city=city, **whole)
        first, last = sorted(rng.sample(MONTHS, 2))
        assert_equal_to_the_cent(
            programme, django_assert_num_queries, city=None, first_month=first, last_month=last
        )


def test_months_that_cost_a_half_cent_round_up(django_assert_num_queries):
    """10,946 a year for 150.5 hours cost exactly 957.775, shown as 957.78 (the rate, rounded to
    28 digits, times the hours would make 957.774999… and 957.77). So do twenty other months
    that cost a half-cent exactly, each a city of its own."""
    programme = ProgrammeFactory()
    figures = CostFigures.of(programme)
    supervisor = UserFactory()
    rng = random.Random(0)  # noqa: S311 - test data
    # n/1000 with n ending in 5: a year's costs of 0.4 n for 4.3 hours (a 400th of 1,720).
    figures_of_months = [(Decimal(10946), Decimal("150.5"))] + [
        (Decimal(2 * rng.randrange(5, 10**7, 10)) / 5, Decimal("4.3")) for _ in range(20)
    ]
    months = []
    for annual, hours in figures_of_months:
        city = CityFactory()
        ParticipationFactory(programme=programme, city=city)
        sheet = random_month(rng, programme, figures, UserFactory(), city, MONTHS[0], Decimal(1))
        sheet.annual_costs, sheet.hours = annual, hours
        sheet.costs_currency, sheet.exchange_rate, sheet.approved_by = "", None, supervisor
        months.append(sheet)
    TimesheetMonth.objects.bulk_create(months)
    period = {"city": None, "first_month": MONTHS[0], "last_month": MONTHS[0]}
    summary = staff_cost_summary(programme, **period)
    costs = {c.city_id: c.cost for c in summary.by_city}
    assert costs[months[0].city_id] == Decimal("957.775")
    for sheet in months:
        exact = sheet.annual_costs * sheet.hours / 1720
        assert exact * 1000 % 10 == 5  # a half-cent
        assert costs[sheet.city_id] == exact
    shown = assert_equal_to_the_cent(programme, django_assert_num_queries, **period)
    assert shown["by_city"][months[0].city_id] == (Decimal("150.5"), Decimal("957.78"))


def test_no_approved_month_gives_zeros(django_assert_num_queries):
    programme = ProgrammeFactory()
    summary = staff_cost_summary(programme, city=None, first_month=MONTHS[0], last_month=MONTHS[-1])
    assert (summary.by_city, summary.by_month, summary.total_hours, summary.split.direct) == (
        [],
        [],
        0,
        0,
    )
    assert summary.person_months == 0
