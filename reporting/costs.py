"""Staff-cost arithmetic under the EU rules (see DOMAIN.md). Pure functions on Decimals.

Everything is kept at full precision; only amounts a person reads are rounded, half-up to the
minor unit of their currency (cents for EUR, none for KRW), by ``cents()``. A month's cost is
multiplied out before its one division (``staff_cost``), so that it is the exact amount rounded
once, to 28 significant digits: an amount that lies on a half-cent rounds up, as it should.
reporting.pricing does the same arithmetic in SQL for totals.

The cost model's figures (hours per day-equivalent, productive hours and working days of a
full-time year) are the programme's (``CostFigures.of(programme)``), not constants here.

**Days used** (against a city's allowance, on every page, PDF, CSV and XLSX): the approved hours
of whatever is counted (a person, a city, the programme) added up first, divided by the
programme's hours per day-equivalent, and rounded half-up to the nearest half-day, once:
``days_used()``. A city's figure is never a sum of its people's or months' rounded figures.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from typing import Any

from documents.money import DEFAULT_CURRENCY, round_amount
from mentoring.models import (
    HOURS_PER_DAY_EQUIVALENT,
    PRODUCTIVE_HOURS_PER_YEAR,
    WORKING_DAYS_PER_YEAR,
    CostModel,
)

HALF = Decimal("0.5")
# Digits enough to multiply annual costs, a quantity and an exchange rate exactly.
EXACT_DIGITS = 60


def cents(amount: Decimal, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """Round an amount for display: to the currency's minor unit (the cent), half-up."""
    return round_amount(amount, currency)


@dataclass(frozen=True)
class CostFigures:
    """A programme's cost model in numbers: what a day-equivalent and a full-time year are."""

    hours_per_day: Decimal
    productive_hours_per_year: Decimal
    working_days_per_year: Decimal

    @classmethod
    def of(cls, programme: Any) -> "CostFigures":
        return cls(
            Decimal(programme.hours_per_day),
            Decimal(programme.productive_hours_per_year),
            Decimal(programme.working_days_per_year),
        )


# The EU rules' figures, the defaults of a new programme (DOMAIN.md).
EU_FIGURES = CostFigures(HOURS_PER_DAY_EQUIVALENT, PRODUCTIVE_HOURS_PER_YEAR, WORKING_DAYS_PER_YEAR)


def rate_divisor(cost_model: str, working_time_share: Decimal, figures: CostFigures) -> Decimal:
    """What the annual costs are divided by: the working days or the productive hours of a
    year (215 or 1,720 under the EU rules), at the person's working-time share."""
    if cost_model == CostModel.DAILY:
        return figures.working_days_per_year * working_time_share
    return figures.productive_hours_per_year * working_time_share


def hourly_rate(
    annual_costs: Decimal, working_time_share: Decimal, figures: CostFigures
) -> Decimal:
    return annual_costs / rate_divisor(CostModel.HOURLY, working_time_share, figures)


def daily_rate(annual_costs: Decimal, working_time_share: Decimal, figures: CostFigures) -> Decimal:
    return annual_costs / rate_divisor(CostModel.DAILY, working_time_share, figures)


def rate_for(
    cost_model: str, annual_costs: Decimal, working_time_share: Decimal, figures: CostFigures
) -> Decimal:
    return annual_costs / rate_divisor(cost_model, working_time_share, figures)


def day_equivalents(hours: Decimal, figures: CostFigures) -> Decimal:
    """Hours as days of the programme's day length, rounded to the nearest half-day (half-up)."""
    halves = (hours / figures.hours_per_day / HALF).quantize(Decimal(1), ROUND_HALF_UP)
    return halves * HALF


def days_used(hours: Decimal, figures: CostFigures) -> Decimal:
    """The days used that every page and file shows (see the module's docstring): the total
    hours counted, as day-equivalents rounded half-up to the half-day. Pass the total hours,
    never add up rounded days."""
    return day_equivalents(Decimal(hours), figures)


def billed_quantity(cost_model: str, hours: Decimal, figures: CostFigures) -> Decimal:
    """What the rate is multiplied by: hours, or day-equivalents in the daily model."""
    if cost_model == CostModel.DAILY:
        return day_equivalents(hours, figures)
    return hours


def staff_cost(
    cost_model: str,
    annual_costs: Decimal,
    working_time_share: Decimal,
    hours: Decimal,
    figures: CostFigures,
    exchange_rate: Decimal | None = None,
) -> Decimal:
    """The cost of ``hours`` at the rate of ``rate_for`` (converted at ``exchange_rate`` when the
    annual costs are in another currency): annual costs × billed quantity × exchange rate ÷ the
    rate's divisor, the division last. The rate times the quantity would round twice: 10,946 a
    year for 150.5 hours cost exactly 957.775, which rounds to 957.78, but the rate, 6.36395…
    to 28 digits, times 150.5 makes 957.774999… and 957.77."""
    quantity = billed_quantity(cost_model, hours, figures)
    with localcontext(prec=EXACT_DIGITS):
        product = annual_costs * quantity
        if exchange_rate is not None:
            product *= exchange_rate
    return product / rate_divisor(cost_model, working_time_share, figures)


def share_of_allowance(used_days: Decimal, allowance_days: Decimal | int) -> Decimal:
    """Days used as a percentage of the allowance (0 without an allowance)."""
    return used_days / allowance_days * 100 if allowance_days else Decimal(0)


@dataclass(frozen=True)
class Rates:
    """A person's rates for a year, from their annual costs and working-time share."""

    annual_costs: Decimal
    working_time_share: Decimal
    figures: CostFigures

    @property
    def productive_hours(self) -> Decimal:
        return rate_divisor(CostModel.HOURLY, self.working_time_share, self.figures)

    @property
    def hourly(self) -> Decimal:
        return hourly_rate(self.annual_costs, self.working_time_share, self.figures)

    @property
    def daily(self) -> Decimal:
        return daily_rate(self.annual_costs, self.working_time_share, self.figures)


@dataclass(frozen=True)
class PricedHours:
    """Hours priced under a cost model from annual costs and a working-time share (and the
    exchange rate of costs in another currency): the figures frozen on one approved month."""

    cost_model: str
    annual_costs: Decimal
    working_time_share: Decimal
    hours: Decimal
    figures: CostFigures
    exchange_rate: Decimal | None = None

    @property
    def rate(self) -> Decimal:
        """The hourly or daily rate, in the programme's currency."""
        rate = rate_for(self.cost_model, self.annual_costs, self.working_time_share, self.figures)
        return rate if self.exchange_rate is None else rate * self.exchange_rate

    @property
    def is_daily(self) -> bool:
        return self.cost_model == CostModel.DAILY

    @property
    def day_equivalents(self) -> Decimal:
        return day_equivalents(self.hours, self.figures)

    @property
    def quantity(self) -> Decimal:
        return billed_quantity(self.cost_model, self.hours, self.figures)

    @property
    def cost(self) -> Decimal:
        return staff_cost(
            self.cost_model,
            self.annual_costs,
            self.working_time_share,
            self.hours,
            self.figures,
            self.exchange_rate,
        )


@dataclass(frozen=True)
class CostSplit:
    """Direct staff costs, the flat-rate indirect costs on top, and who pays what."""

    direct: Decimal
    indirect_rate: Decimal
    reimbursement_rate: Decimal
    grant_cap: Decimal | None = None

    @property
    def indirect(self) -> Decimal:
        return self.direct * self.indirect_rate

    @property
    def total(self) -> Decimal:
        return self.direct + self.indirect

    @property
    def eu_share(self) -> Decimal:
        share = self.total * self.reimbursement_rate
        if self.grant_cap is not None:
            share = min(share, self.grant_cap)
        return share

    @property
    def eu_share_capped(self) -> bool:
        """Whether the grant, not the reimbursement rate, set the EU share."""
        return self.grant_cap is not None and self.total * self.reimbursement_rate > self.grant_cap

    @property
    def own_contribution(self) -> Decimal:
        return self.total - self.eu_share

    @property
    def own_contribution_rate(self) -> Decimal:
        return Decimal(1) - self.reimbursement_rate
