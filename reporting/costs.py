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


def hourly_rate(annual_costs: Decimal, working_time_share: Decimal) -> Decimal:
    return annual_costs / (PRODUCTIVE_HOURS_PER_YEAR * working_time_share)


def daily_rate(annual_costs: Decimal, working_time_share: Decimal) -> Decimal:
    return annual_costs / (WORKING_DAYS_PER_YEAR * working_time_share)


def rate_for(cost_model: str, annual_costs: Decimal, working_time_share: Decimal) -> Decimal:
    if cost_model == CostModel.DAILY:
        return daily_rate(annual_costs, working_time_share)
    return hourly_rate(annual_costs, working_time_share)


def day_equivalents(hours: Decimal) -> Decimal:
    """8 hours make a day; the result is rounded to the nearest half-day (half-up)."""
    halves = (hours / HOURS_PER_DAY_EQUIVALENT / HALF).quantize(Decimal(1), ROUND_HALF_UP)
    return halves * HALF


def staff_cost(cost_model: str, rate: Decimal, hours: Decimal) -> Decimal:
    """The cost of ``hours`` at ``rate``: per hour, or per day-equivalent in the daily model."""
    if cost_model == CostModel.DAILY:
        return rate * day_equivalents(hours)
    return rate * hours


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
    def own_contribution(self) -> Decimal:
        return self.total - self.eu_share
