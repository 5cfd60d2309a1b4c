"""The worked example of DOMAIN.md, to the cent: pure arithmetic, then through the services
and the report's figures."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from mentoring.models import CostModel
from reporting.costs import (
    EU_FIGURES,
    CostSplit,
    PricedHours,
    Rates,
    cents,
    daily_rate,
    day_equivalents,
    hourly_rate,
    rate_divisor,
    share_of_allowance,
    staff_cost,
)
from reporting.selectors import person_months, staff_cost_summary
from tests.accounts.factories import CityOfficerFactory
from tests.reporting.factories import approved_month, build_time_world, rate, record

EU = EU_FIGURES

PEOPLE = [  # annual costs, hours in the month, hourly rate to 4 places, cost shown
    ("52000", 120, Decimal("30.2326"), Decimal("3627.91")),
    ("41280", 200, Decimal("24.0000"), Decimal("4800.00")),
    ("60200", 30, Decimal("35.0000"), Decimal("1050.00")),
]


def test_hourly_rates_and_costs_of_the_worked_example():
    for annual, hours, shown_rate, shown_cost in PEOPLE:
        rate_ = hourly_rate(Decimal(annual), Decimal(1), EU)
        assert rate_.quantize(Decimal("0.0001")) == shown_rate
        cost = staff_cost(CostModel.HOURLY, Decimal(annual), Decimal(1), Decimal(hours), EU)
        assert cents(cost) == shown_cost


def test_rounding_the_rate_first_would_give_the_classic_discrepancy():
    full = staff_cost(CostModel.HOURLY, Decimal(52000), Decimal(1), Decimal(120), EU)
    early = cents(cents(hourly_rate(Decimal(52000), Decimal(1), EU)) * 120)
    assert cents(full) == Decimal("3627.91")
    assert early == Decimal("3627.60")


def test_an_amount_on_a_half_cent_rounds_up():
    """10,946 a year for 150.5 hours is exactly 957.775: the full-precision rate (rounded to 28
    digits) times the hours would make 957.774999…, shown as 957.77."""
    cost = staff_cost(CostModel.HOURLY, Decimal(10946), Decimal(1), Decimal("150.5"), EU)
    assert cost == Decimal("957.775")
    assert cents(cost) == Decimal("957.78")
    assert cents(hourly_rate(Decimal(10946), Decimal(1), EU) * Decimal("150.5")) == Decimal(
        "957.77"
    )
    # The same in another currency, and at a part-time share.
    converted = staff_cost(
        CostModel.HOURLY, Decimal(21892), Decimal(1), Decimal("150.5"), EU, Decimal("0.5")
    )
    part_time = staff_cost(CostModel.HOURLY, Decimal(5473), Decimal("0.5"), Decimal("150.5"), EU)
    assert converted == part_time == Decimal("957.775")


def test_split_of_the_worked_example():
    direct = sum(
        staff_cost(CostModel.HOURLY, Decimal(a), Decimal(1), Decimal(h), EU)
        for a, h, _, _ in PEOPLE
    )
    split = CostSplit(direct, Decimal("0.07"), Decimal("0.90"))
    assert cents(split.direct) == Decimal("9477.91")
    assert cents(split.indirect) == Decimal("663.45")
    assert cents(split.total) == Decimal("10141.36")
    assert cents(split.eu_share) == Decimal("9127.22")
    assert cents(split.own_contribution) == Decimal("1014.14")


def test_daily_model_check():
    rate_ = daily_rate(Decimal(52000), Decimal(1), EU)
    assert rate_.quantize(Decimal("0.0001")) == Decimal("241.8605")
    cost = staff_cost(CostModel.DAILY, Decimal(52000), Decimal(1), Decimal(120), EU)
    assert cents(cost) == Decimal("3627.91")


@pytest.mark.parametrize(
    ("hours", "days"),
    [
        ("8", "1"),
        ("4", "0.5"),
        ("6", "1"),
        ("5.9", "0.5"),
        ("10", "1.5"),
        ("2", "0.5"),
        ("1.5", "0"),
        ("120", "15"),
    ],
)
def test_day_equivalents_round_to_the_nearest_half_day(hours, days):
    assert day_equivalents(Decimal(hours), EU) == Decimal(days)


def test_part_time_rate_is_pro_rata():
    assert hourly_rate(Decimal(20640), Decimal("0.5"), EU) == Decimal(24)
    assert daily_rate(Decimal(21500), Decimal("0.5"), EU) == Decimal(200)


def test_the_divisor_and_the_billed_quantity_follow_the_cost_model():
    assert rate_divisor(CostModel.HOURLY, Decimal("0.5"), EU) == Decimal(860)
    assert rate_divisor(CostModel.DAILY, Decimal("0.5"), EU) == Decimal("107.5")
    daily = PricedHours(CostModel.DAILY, Decimal(52000), Decimal(1), Decimal(120), EU)
    assert (daily.is_daily, daily.quantity, daily.day_equivalents) == (True, 15, 15)
    assert daily.rate == daily_rate(Decimal(52000), Decimal(1), EU)
    assert cents(daily.cost) == Decimal("3627.91")
    hourly = PricedHours(CostModel.HOURLY, Decimal(41280), Decimal(1), Decimal("7.5"), EU)
    assert (hourly.is_daily, hourly.quantity, hourly.rate) == (False, Decimal("7.5"), 24)
    assert hourly.cost == 180
    converted = PricedHours(
        CostModel.HOURLY, Decimal(41280), Decimal(1), Decimal("7.5"), EU, Decimal("0.5")
    )
    assert (converted.rate, converted.cost) == (12, 90)


def test_rates_of_a_persons_annual_costs():
    rates = Rates(Decimal(20640), Decimal("0.5"), EU)
    assert (rates.productive_hours, rates.hourly) == (Decimal(860), Decimal(24))
    assert rates.daily == daily_rate(Decimal(20640), Decimal("0.5"), EU)


def test_the_split_says_when_the_grant_caps_the_eu_share():
    free = CostSplit(Decimal(1000), Decimal(0), Decimal("0.90"), grant_cap=Decimal(5000))
    capped = CostSplit(Decimal(1000), Decimal(0), Decimal("0.90"), grant_cap=Decimal(500))
    assert (free.eu_share, free.eu_share_capped) == (Decimal(900), False)
    assert (capped.eu_share, capped.eu_share_capped) == (Decimal(500), True)
    assert capped.own_contribution_rate == Decimal("0.10")


def test_share_of_an_allowance():
    assert share_of_allowance(Decimal(15), 60) == 25
    assert share_of_allowance(Decimal(15), 0) == 0


def _working_days(month: date, count: int) -> list[date]:
    days, day = [], month
    while len(days) < count:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


@pytest.mark.django_db
def test_worked_example_through_the_services_and_the_report_figures():
    world = build_time_world()
    finance = CityOfficerFactory(city=world.city, user__full_name="Fay Finance").user
    people = [world.officer, world.colleague, finance]
    month = date(2017, 3, 1)
    for person, (annual, hours, _, _) in zip(people, PEOPLE, strict=True):
        rate(world, person, 2017, annual)
        per_day = Decimal(10) if hours >= 100 else Decimal(6)
        left = Decimal(hours)
        for day in _working_days(month, 23):
            if not left:
                break
            record(world, person, day, min(per_day, left))
            left -= min(per_day, left)
        approved_month(world, person, month)

    period = {"city": world.city, "first_month": month, "last_month": month}
    summary = staff_cost_summary(world.programme, **period)
    by_person = {row.person: cents(row.cost) for row in person_months(world.programme, **period)}
    assert by_person == {
        "Olga Officer": Decimal("3627.91"),
        "Carl Colleague": Decimal("4800.00"),
        "Fay Finance": Decimal("1050.00"),
    }
    assert summary.total_hours == Decimal(350)
    assert cents(summary.split.direct) == Decimal("9477.91")
    assert cents(summary.split.indirect) == Decimal("663.45")
    assert cents(summary.split.total) == Decimal("10141.36")
    assert cents(summary.split.eu_share) == Decimal("9127.22")
    assert cents(summary.split.own_contribution) == Decimal("1014.14")
