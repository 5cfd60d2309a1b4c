"""Staff-cost arithmetic under the EU rules (see DOMAIN.md). Pure functions on Decimals.

Everything is kept at full precision; only amounts a person reads are rounded, to cents and
half-up, by ``cents()``.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from mentoring.models import CostModel

from .models import HOURS_PER_DAY_EQUIVALENT, PRODUCTIVE_HOURS_PER_YEAR, WORKING_DAYS_PER_YEAR

CENT = Decimal("0.01")
HALF = Decimal("0.5")


def cents(amount: Decimal) -> Decimal:
    """Round an amount for display: to the cent, half-up."""
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def rate_divisor(cost_model: str, working_time_share: Decimal) -> Decimal:
    """What the annual costs are divided by: 215 working days or 1,720 productive hours, at
    the person's working-time share."""
    if cost_model == CostModel.DAILY:
        return WORKING_DAYS_PER_YEAR * working_time_share
    return PRODUCTIVE_HOURS_PER_YEAR * working_time_share


def hourly_rate(annual_costs: Decimal, working_time_share: Decimal) -> Decimal:
    return annual_costs / rate_divisor(CostModel.HOURLY, working_time_share)


def daily_rate(annual_costs: Decimal, working_time_share: Decimal) -> Decimal:
    return annual_costs / rate_divisor(CostModel.DAILY, working_time_share)


def rate_for(cost_model: str, annual_costs: Decimal, working_time_share: Decimal) -> Decimal:
    return annual_costs / rate_divisor(cost_model, working_time_share)


def days(hours: Decimal) -> Decimal:
    """Hours as days of 8 hours, unrounded: the days used against an allowance."""
    return hours / HOURS_PER_DAY_EQUIVALENT


def day_equivalents(hours: Decimal) -> Decimal:
    """8 hours make a day; the result is rounded to the nearest half-day (half-up)."""
    halves = (days(hours) / HALF).quantize(Decimal(1), ROUND_HALF_UP)
    return halves * HALF


def billed_quantity(cost_model: str, hours: Decimal) -> Decimal:
    """What the rate is multiplied by: hours, or day-equivalents in the daily model."""
    if cost_model == CostModel.DAILY:
        return day_equivalents(hours)
    return hours


def staff_cost(cost_model: str, rate: Decimal, hours: Decimal) -> Decimal:
    """The cost of ``hours`` at ``rate``: per hour, or per day-equivalent in the daily model."""
    return rate * billed_quantity(cost_model, hours)


def share_of_allowance(used_days: Decimal, allowance_days: Decimal | int) -> Decimal:
    """Days used as a percentage of the allowance (0 without an allowance)."""
    return used_days / allowance_days * 100 if allowance_days else Decimal(0)


@dataclass(frozen=True)
class Rates:
    """A person's rates for a year, from their annual costs and working-time share."""

    annual_costs: Decimal
    working_time_share: Decimal

    @property
    def productive_hours(self) -> Decimal:
        return rate_divisor(CostModel.HOURLY, self.working_time_share)

    @property
    def hourly(self) -> Decimal:
        return hourly_rate(self.annual_costs, self.working_time_share)

    @property
    def daily(self) -> Decimal:
        return daily_rate(self.annual_costs, self.working_time_share)


@dataclass(frozen=True)
class PricedHours:
    """Hours priced at a rate under a cost model: the figures of one approved month."""

    cost_model: str
    rate: Decimal
    hours: Decimal

    @property
    def is_daily(self) -> bool:
        return self.cost_model == CostModel.DAILY

    @property
    def day_equivalents(self) -> Decimal:
        return day_equivalents(self.hours)

    @property
    def quantity(self) -> Decimal:
        return billed_quantity(self.cost_model, self.hours)

    @property
    def cost(self) -> Decimal:
        return staff_cost(self.cost_model, self.rate, self.hours)


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
