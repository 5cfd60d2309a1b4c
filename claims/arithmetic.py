"""Claim arithmetic: pure functions on Decimals, the one place a claim's figures are computed.

Every amount is kept at full precision and rounded once, half-up to the minor unit of the
programme's currency, only where a person reads it (``cents``, which is reporting's rule). A
claim's totals add up exact line amounts and are rounded after the sum; a deduction is what the
controller takes off a line's rounded amount, in the currency's minor unit.

- Staff line: reporting's ``staff_cost`` on the month's frozen figures (annual costs × billed
  quantity × exchange rate ÷ the year's productive hours or working days).
- Real cost: (amount + VAT not recoverable) × the exchange rate frozen at submission (1 in the
  programme's currency).
- Unit cost: quantity × amount per unit; lump sum: 1 × the sum.
- Flat rate: rate × the claim's staff costs (claimed: the staff lines claimed; certified: the
  staff lines certified), so a deduction on staff costs carries to the flat rates on them.
- Co-financing: the city's own share is the programme's co-financing rate of the total; the
  grant pays the rest.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, localcontext

from reporting.costs import CostFigures, PricedHours, cents

ZERO = Decimal(0)
EXACT_DIGITS = 60


def real_cost(net: Decimal, vat: Decimal = ZERO, exchange_rate: Decimal | None = None) -> Decimal:
    """An invoice's eligible amount in the programme's currency, exactly."""
    with localcontext(prec=EXACT_DIGITS):
        amount = Decimal(net) + Decimal(vat)
        return amount if exchange_rate is None else amount * Decimal(exchange_rate)


def unit_cost(quantity: Decimal, unit_amount: Decimal) -> Decimal:
    with localcontext(prec=EXACT_DIGITS):
        return Decimal(quantity) * Decimal(unit_amount)


def flat_rate(rate: Decimal, staff_costs: Decimal) -> Decimal:
    with localcontext(prec=EXACT_DIGITS):
        return Decimal(rate) * Decimal(staff_costs)


def staff_cost(
    *,
    cost_model: str,
    annual_costs: Decimal,
    working_time_share: Decimal,
    hours: Decimal,
    figures: CostFigures,
    exchange_rate: Decimal | None = None,
) -> Decimal:
    return PricedHours(
        cost_model, annual_costs, working_time_share, hours, figures, exchange_rate
    ).cost


def converted(amount: Decimal, exchange_rate: Decimal | None) -> Decimal:
    """An amount in another currency, at a rate frozen at submission."""
    if exchange_rate is None:
        return Decimal(amount)
    with localcontext(prec=EXACT_DIGITS):
        return Decimal(amount) * Decimal(exchange_rate)


@dataclass(frozen=True)
class LineFigures:
    """One line as the arithmetic sees it: its category and kind, the exact amount claimed, and
    what verification did to it. ``deducted`` is None while the line is unchecked; a parked line
    is neither certified nor deducted (it is claimed again later)."""

    category: str
    kind: str
    claimed: Decimal
    deducted: Decimal | None = None
    parked: bool = False
    flat_rate: Decimal | None = None


def certified(line: LineFigures, currency: str) -> Decimal:
    """What is certified of a line (not a flat-rate one): its rounded amount less the
    deduction; nothing of a parked line."""
    if line.parked:
        return ZERO
    return cents(line.claimed, currency) - (line.deducted or ZERO)


@dataclass
class Totals:
    """Claimed, certified, deducted and parked amounts by category, each rounded once; in every
    category claimed = certified + deducted + parked."""

    currency: str
    claimed: dict[str, Decimal] = field(default_factory=dict)
    certified: dict[str, Decimal] = field(default_factory=dict)
    deducted: dict[str, Decimal] = field(default_factory=dict)

    @property
    def categories(self) -> list[str]:
        return list(self.claimed)

    def parked(self, category: str) -> Decimal:
        return self.claimed[category] - self.certified[category] - self.deducted[category]

    @property
    def total_claimed(self) -> Decimal:
        return sum(self.claimed.values(), ZERO)

    @property
    def total_certified(self) -> Decimal:
        return sum(self.certified.values(), ZERO)

    @property
    def total_deducted(self) -> Decimal:
        return sum(self.deducted.values(), ZERO)

    @property
    def total_parked(self) -> Decimal:
        return self.total_claimed - self.total_certified - self.total_deducted


def totals(lines: Iterable[LineFigures], currency: str) -> Totals:
    """A claim's totals per category (the grand total is the sum of the rounded categories, as
    every page, PDF and sheet shows it).

    Claimed: the exact amounts of a category added up, rounded once. Deducted: the controller's
    deductions (already in the minor unit). Certified: the exact amounts of the lines not
    parked, rounded once, less the deductions. Parked: what is left. A flat rate is computed on
    the staff costs: claimed on those claimed, certified on those certified (so a deduction on
    staff costs carries to it, and shows as deducted there too)."""
    lines = list(lines)
    claimed: dict[str, Decimal] = {}
    kept: dict[str, Decimal] = {}
    deducted: dict[str, Decimal] = {}
    staff = [x for x in lines if x.kind == "staff"]
    staff_claimed = sum((x.claimed for x in staff), ZERO)
    staff_certified = sum((x.claimed for x in staff if not x.parked), ZERO) - sum(
        (x.deducted or ZERO for x in staff if not x.parked), ZERO
    )
    flat: dict[str, tuple[Decimal, Decimal]] = {}
    for line in lines:
        for table in (claimed, kept, deducted):
            table.setdefault(line.category, ZERO)
        if line.kind == "flat_rate":
            rate = line.flat_rate or ZERO
            before = flat.get(line.category, (ZERO, ZERO))
            flat[line.category] = (
                before[0] + flat_rate(rate, staff_claimed),
                before[1] + flat_rate(rate, staff_certified),
            )
            continue
        claimed[line.category] += line.claimed
        if not line.parked:
            kept[line.category] += line.claimed
            deducted[line.category] += line.deducted or ZERO
    result = Totals(currency=currency)
    for category in claimed:
        if category in flat:
            # A category covered by a flat rate holds nothing else (claims.services refuses it).
            on_claimed, on_certified = flat[category]
            result.claimed[category] = cents(on_claimed, currency)
            result.certified[category] = cents(on_certified, currency)
            result.deducted[category] = result.claimed[category] - result.certified[category]
            continue
        result.claimed[category] = cents(claimed[category], currency)
        result.certified[category] = cents(kept[category], currency) - deducted[category]
        result.deducted[category] = deducted[category]
    return result


@dataclass(frozen=True)
class CoFinancing:
    """Who pays what of an amount: the city's own share at the co-financing rate, the grant the
    rest. Both rounded once; they add up to the amount."""

    amount: Decimal
    own_rate: Decimal
    currency: str

    @property
    def own_contribution(self) -> Decimal:
        return cents(self.amount * self.own_rate, self.currency)

    @property
    def grant(self) -> Decimal:
        return self.amount - self.own_contribution


@dataclass(frozen=True)
class Burn:
    """A budget against what has been claimed and certified of it so far."""

    budget: Decimal
    claimed: Decimal
    certified: Decimal
    warning_percent: int

    @property
    def claimed_percent(self) -> Decimal:
        return self.claimed / self.budget * 100 if self.budget else ZERO

    @property
    def certified_percent(self) -> Decimal:
        return self.certified / self.budget * 100 if self.budget else ZERO

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.claimed

    @property
    def warning(self) -> bool:
        """Past the programme's threshold (or over budget, or claiming without a budget)."""
        if not self.budget:
            return self.claimed > 0
        return self.claimed_percent >= self.warning_percent


def cumulative(per_period: Iterable[Decimal]) -> list[Decimal]:
    """Running totals of rounded amounts, period after period."""
    running = ZERO
    out = []
    for amount in per_period:
        running += amount
        out.append(running)
    return out


def corrected(totals: Totals, corrections_by_category: dict[str, Decimal]) -> dict[str, Decimal]:
    """What stays of a claim after its audits, per category: certified less the corrections
    (amounts already in the minor unit, so nothing is rounded again). A category only the
    corrections name counts from nothing certified."""
    final = {category: totals.certified.get(category, ZERO) for category in totals.categories}
    for category, amount in corrections_by_category.items():
        final[category] = final.get(category, ZERO) - amount
    return final


def sample_size(count: int, percent: int) -> int:
    """How many of ``count`` lines a sample of ``percent`` % takes: the share rounded up, at
    least one line (none of none), never more than there are."""
    if count <= 0:
        return 0
    share = -(-count * int(percent) // 100)  # ceiling, in integers
    return max(1, min(count, share))
