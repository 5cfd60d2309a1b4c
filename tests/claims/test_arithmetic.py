"""Claims arithmetic by hand (claims.arithmetic): every figure worked out on paper first."""

from decimal import Decimal as D

from claims import arithmetic as a
from reporting.costs import EU_FIGURES


def line(category, kind, claimed, **kw):
    return a.LineFigures(category=category, kind=kind, claimed=D(claimed), **kw)


def test_a_real_cost_adds_the_vat_the_city_cannot_recover_and_converts_exactly():
    assert a.real_cost(D("100.00"), D("23.00")) == D("123.00")
    # 123 PLN at 0.2301 EUR: 28.3023 EUR, shown as 28.30.
    assert a.real_cost(D("100.00"), D("23.00"), D("0.2301")) == D("28.3023")


def test_unit_costs_lump_sums_and_flat_rates():
    assert a.unit_cost(D(3), D("180.00")) == D("540.00")
    assert a.unit_cost(D(1), D("2500.00")) == D("2500.00")
    # 15 % of 562.50 is 84.375: kept whole, shown as 84.38.
    assert a.flat_rate(D("0.15"), D("562.50")) == D("84.375")


def test_a_staff_month_is_priced_from_its_frozen_figures():
    # 43,000 a year at 1,720 productive hours: 25 an hour; 10 h cost 250.
    assert a.staff_cost(
        cost_model="hourly",
        annual_costs=D("43000"),
        working_time_share=D(1),
        hours=D(10),
        figures=EU_FIGURES,
    ) == D(250)
    # 80,000 PLN at 0.2301: 80,000 × 10 × 0.2301 / 1,720 = 107.0232558… EUR.
    cost = a.staff_cost(
        cost_model="hourly",
        annual_costs=D("80000"),
        working_time_share=D(1),
        hours=D(10),
        figures=EU_FIGURES,
        exchange_rate=D("0.2301"),
    )
    assert str(cost).startswith("107.02325581")


def test_totals_round_each_category_once_not_each_line():
    # Three invoices of 10.01 at 0.5: 5.005 each. Rounded one by one they would make 15.03;
    # the category's exact sum, 15.015, is shown as 15.02.
    lines = [line("travel", "real", a.real_cost(D("10.01"), D(0), D("0.5"))) for _ in range(3)]
    totals = a.totals(lines, "EUR")
    assert totals.claimed == {"travel": D("15.02")}
    assert totals.certified == {"travel": D("15.02")}
    assert totals.total_deducted == 0


def test_half_a_cent_rounds_up():
    totals = a.totals([line("other", "real", "5.025")], "EUR")
    assert totals.claimed["other"] == D("5.03")  # half-even would give 5.02


def world_lines(staff_deduction=None, travel_deduction=None, travel_parked=False):
    """The factory world's claim: 250.00 and 312.50 of staff costs, 15 % office flat rate,
    a 250.00 train ticket."""
    return [
        line("staff", "staff", "250", deducted=staff_deduction),
        line("staff", "staff", "312.5"),
        line("office", "flat_rate", "0", flat_rate=D("0.15")),
        line("travel", "real", "250.00", deducted=travel_deduction, parked=travel_parked),
    ]


def test_a_claim_without_findings_is_certified_as_claimed():
    totals = a.totals(world_lines(), "EUR")
    assert totals.claimed == {"staff": D("562.50"), "office": D("84.38"), "travel": D("250.00")}
    assert totals.total_claimed == D("896.88")
    assert totals.total_certified == D("896.88")


def test_deductions_and_the_flat_rate_that_follows_staff_costs():
    totals = a.totals(world_lines(staff_deduction=D("100.00"), travel_deduction=D("50.00")), "EUR")
    assert totals.certified == {"staff": D("462.50"), "office": D("69.38"), "travel": D("200.00")}
    # 15 % of 462.50 is 69.375 → 69.38; the office flat rate loses 84.38 − 69.38 = 15.00.
    assert totals.deducted == {"staff": D("100.00"), "office": D("15.00"), "travel": D("50.00")}
    assert totals.total_certified == D("731.88")
    assert totals.total_deducted == D("165.00")
    assert totals.total_parked == 0


def test_a_parked_line_is_neither_certified_nor_deducted():
    totals = a.totals(world_lines(travel_parked=True), "EUR")
    assert totals.certified["travel"] == 0
    assert totals.deducted["travel"] == 0
    assert totals.parked("travel") == D("250.00")
    assert totals.total_claimed == totals.total_certified + totals.total_deducted + D("250.00")


def test_a_currency_without_cents():
    totals = a.totals([line("travel", "real", "12345.5")], "KRW")
    assert totals.claimed["travel"] == D("12346")


def test_co_financing_splits_the_total_and_adds_up():
    split = a.CoFinancing(D("896.88"), D("0.10"), "EUR")
    assert split.own_contribution == D("89.69")  # 89.688
    assert split.grant == D("807.19")
    assert split.own_contribution + split.grant == D("896.88")


def test_budget_burn_and_its_warning():
    burn = a.Burn(
        budget=D("1000.00"), claimed=D("850.00"), certified=D("700.00"), warning_percent=80
    )
    assert burn.claimed_percent == 85
    assert burn.certified_percent == 70
    assert burn.remaining == D("150.00")
    assert burn.warning
    assert not a.Burn(D("1000.00"), D("799.99"), D(0), 80).warning
    assert a.Burn(D(0), D("1.00"), D(0), 80).warning  # claiming without a budget
    assert not a.Burn(D(0), D(0), D(0), 80).warning


def test_cumulative_figures_period_after_period():
    assert a.cumulative([D("100.00"), D("200.50"), D(0)]) == [D("100.00"), D("300.50"), D("300.50")]


def test_certified_amount_of_a_line():
    assert a.certified(line("travel", "real", "250.004", deducted=D("50.00")), "EUR") == D("200.00")
    assert a.certified(line("travel", "real", "250", parked=True), "EUR") == 0
