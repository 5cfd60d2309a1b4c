"""Reads of claims: what each person may see, and every figure of a claim, computed once by
``claims.arithmetic`` from the lines' own inputs (pages, PDFs, CSV and XLSX all ask here)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet

from accounts.models import Role, User
from accounts.selectors import scopes_of, today_for
from mentoring.models import Programme
from reporting.costs import CostFigures, cents

from . import arithmetic
from .models import (
    EDITABLE,
    Category,
    CityBudget,
    Claim,
    ClaimLine,
    ClaimRules,
    ClaimStatus,
    ControlAssignment,
    LineKind,
)


def rules_of(programme: Programme) -> ClaimRules:
    """The programme's claim rules (defaults until a coordinator saves them; not saved here)."""
    try:
        return programme.claim_rules
    except ClaimRules.DoesNotExist:
        return ClaimRules(programme=programme)


def running_assignments(user: User, today: date | None = None) -> QuerySet:
    """The controller's assignments that run today."""
    today = today or today_for(user)
    return ControlAssignment.objects.filter(
        controller=user,
        starts_on__lte=today,
        ends_on__gte=today,
        programme_id__in=scopes_of(user).programme_ids(Role.CONTROLLER),
    )


def claims_for(user: User, *, today: date | None = None) -> QuerySet:
    """The claims a person may see: their cities' (officers and supervisors), their
    programmes' (coordinators), and those a running assignment gives a controller."""
    if not user.is_authenticated:
        return Claim.objects.none()
    scopes = scopes_of(user)
    condition = Q(city_id__in=scopes.city_ids(Role.OFFICER, Role.SUPERVISOR)) | Q(
        programme_id__in=scopes.coordinated
    )
    if scopes.programme_ids(Role.CONTROLLER):
        pairs = list(running_assignments(user, today).values_list("city_id", "period_id"))
        for city_id, period_id in pairs:
            condition |= Q(city_id=city_id, period_id=period_id)
    return Claim.objects.filter(condition).select_related("programme", "city", "period")


def lines_of(claim: Claim) -> QuerySet:
    return claim.lines.select_related(
        "person", "cost_option", "event", "attendance", "receipt", "timesheet_month"
    ).order_by("category", "kind", "month", "person__full_name", "invoice_date", "pk")


def _d(value: Decimal | None) -> Decimal:
    return Decimal(0) if value is None else value


def line_amount(line: ClaimLine, figures: CostFigures, programme_currency: str) -> Decimal:
    """A line's exact amount claimed, in the programme's currency (flat rates: see totals)."""
    if line.kind == LineKind.STAFF:
        if not line.working_time_share:
            return Decimal(0)
        return arithmetic.staff_cost(
            cost_model=line.cost_model,
            annual_costs=_d(line.annual_costs),
            working_time_share=line.working_time_share,
            hours=_d(line.hours),
            figures=figures,
            exchange_rate=line.exchange_rate,
        )
    if line.kind == LineKind.REAL:
        rate = None if line.currency == programme_currency else line.exchange_rate
        if line.currency != programme_currency and rate is None:
            return Decimal(0)  # converted when the claim is submitted
        return arithmetic.real_cost(_d(line.net_amount), line.vat, rate)
    if line.kind in (LineKind.UNIT, LineKind.LUMP_SUM):
        return arithmetic.unit_cost(_d(line.quantity), _d(line.unit_amount))
    return Decimal(0)


@dataclass
class ClaimFigures:
    """A claim's lines with their amounts, and its totals."""

    claim: Claim
    lines: list[ClaimLine]
    amounts: dict[int, Decimal]
    totals: arithmetic.Totals
    co_financing: arithmetic.CoFinancing
    certified_co_financing: arithmetic.CoFinancing

    @property
    def currency(self) -> str:
        return self.totals.currency

    def shown(self, line: ClaimLine) -> Decimal:
        return cents(self.amounts[line.pk], self.currency)

    def certified(self, line: ClaimLine) -> Decimal | None:
        """What is certified of a line: once checked (or parked); once the claim is certified,
        also of a line outside the sample, certified as claimed (as the totals count it)."""
        if line.kind == LineKind.FLAT_RATE:
            return None
        checked = line.deducted is not None or line.parked
        if not checked and self.claim.status != ClaimStatus.CERTIFIED:
            return None
        return arithmetic.certified(self.figures_of(line), self.currency)

    def figures_of(self, line: ClaimLine) -> arithmetic.LineFigures:
        return arithmetic.LineFigures(
            category=line.category,
            kind=line.kind,
            claimed=self.amounts[line.pk],
            deducted=line.deducted,
            parked=line.parked,
            flat_rate=line.flat_rate,
        )


def claim_figures(claim: Claim, lines: list[ClaimLine] | None = None) -> ClaimFigures:
    programme = claim.programme
    currency = claim.currency or programme.currency
    figures = CostFigures.of(programme)
    lines = list(lines_of(claim)) if lines is None else lines
    amounts = {line.pk: line_amount(line, figures, currency) for line in lines}
    staff_total = sum((amounts[x.pk] for x in lines if x.kind == LineKind.STAFF), Decimal(0))
    for line in lines:
        if line.kind == LineKind.FLAT_RATE:
            amounts[line.pk] = arithmetic.flat_rate(_d(line.flat_rate), staff_total)
    line_figures = [
        arithmetic.LineFigures(
            category=line.category,
            kind=line.kind,
            claimed=amounts[line.pk],
            deducted=line.deducted,
            parked=line.parked,
            flat_rate=line.flat_rate,
        )
        for line in lines
    ]
    totals = arithmetic.totals(line_figures, currency)
    own_rate = (
        claim.co_financing_rate
        if claim.co_financing_rate is not None
        else programme.co_financing_rate
    )
    return ClaimFigures(
        claim=claim,
        lines=lines,
        amounts=amounts,
        totals=totals,
        co_financing=arithmetic.CoFinancing(totals.total_claimed, own_rate, currency),
        certified_co_financing=arithmetic.CoFinancing(totals.total_certified, own_rate, currency),
    )


def budgets_of(programme: Programme, city_id: int | None = None) -> QuerySet:
    budgets = CityBudget.objects.filter(programme=programme).select_related("city")
    return budgets if city_id is None else budgets.filter(city_id=city_id)


CATEGORY_ORDER = [c.value for c in Category]


# The city's claim pages ------------------------------------------------------------------------


def figures_of_claims(claims: list[Claim]) -> dict[int, ClaimFigures]:
    """The figures of several claims (a list page), their lines read in one query."""
    by_claim: dict[int, list[ClaimLine]] = {claim.pk: [] for claim in claims}
    lines = ClaimLine.objects.filter(claim_id__in=list(by_claim)).order_by(
        "category", "kind", "month", "invoice_date", "pk"
    )
    for line in lines:
        by_claim[line.claim_id].append(line)
    return {claim.pk: claim_figures(claim, by_claim[claim.pk]) for claim in claims}


@dataclass(frozen=True)
class CumulativeRow:
    """One category of a city's budget: what the earlier claims and this one claimed of it."""

    category: str
    label: str
    budget: Decimal | None
    earlier: Decimal
    this_claim: Decimal
    burn: arithmetic.Burn

    @property
    def to_date(self) -> Decimal:
        return self.burn.claimed


def cumulative_of(figures: ClaimFigures) -> list[CumulativeRow]:
    """Per category: the city's budget, what its earlier claims of the programme claimed, this
    claim, and the running total against the budget. Earlier claims count once submitted (as
    on the budget burn page: a draft or a reopened claim is not claimed yet); this one as it
    stands. Certified to date: the certified claims among them, this one included."""
    claim = figures.claim
    earlier = list(
        Claim.objects.filter(
            programme_id=claim.programme_id,
            city_id=claim.city_id,
            period__number__lt=claim.period.number,
        )
        .exclude(status__in=EDITABLE)
        .select_related("programme")
        .order_by("period__number")
    )
    earlier_figures = figures_of_claims(earlier)
    budgets = {
        budget.category: budget.amount for budget in budgets_of(claim.programme, claim.city_id)
    }
    warning = rules_of(claim.programme).burn_warning_percent
    labels = dict(Category.choices)
    rows = []
    for category in CATEGORY_ORDER:
        claimed = [earlier_figures[c.pk].totals.claimed.get(category, Decimal(0)) for c in earlier]
        certified = [
            earlier_figures[c.pk].totals.certified.get(category, Decimal(0))
            for c in earlier
            if c.status == ClaimStatus.CERTIFIED
        ]
        this = figures.totals.claimed.get(category, Decimal(0))
        if claim.status == ClaimStatus.CERTIFIED:
            certified.append(figures.totals.certified.get(category, Decimal(0)))
        running = arithmetic.cumulative([*claimed, this])
        if category not in budgets and not running[-1]:
            continue
        budget = budgets.get(category)
        rows.append(
            CumulativeRow(
                category=category,
                label=str(labels[category]),
                budget=budget,
                earlier=running[-2] if len(running) > 1 else Decimal(0),
                this_claim=this,
                burn=arithmetic.Burn(
                    budget=budget or Decimal(0),
                    claimed=running[-1],
                    certified=sum(certified, Decimal(0)),
                    warning_percent=warning,
                ),
            )
        )
    return rows
