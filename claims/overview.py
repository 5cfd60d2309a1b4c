"""Reads of a programme's claims as a whole, for its coordinators (and a city's own budget for
its people): every city and period side by side, and the budget burn. Every figure comes from
``selectors.claim_figures`` and ``arithmetic``; the lines and corrections of all the claims are
read in one query each, whatever their number.

What counts: a claim counts as claimed once submitted (drafts, and claims reopened to be
changed, do not); as certified once certified, less its audits' corrections."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from cities.models import City
from mentoring.models import Programme

from . import arithmetic
from .models import (
    Category,
    CityBudget,
    Claim,
    ClaimLine,
    ClaimStatus,
    Correction,
    ReportingPeriod,
)
from .selectors import CATEGORY_ORDER, ClaimFigures, claim_figures, rules_of

ZERO = Decimal(0)
COUNTED = (ClaimStatus.SUBMITTED, ClaimStatus.VERIFICATION, ClaimStatus.CERTIFIED)


@dataclass
class ClaimSums:
    """One claim's figures as the overview shows them: claimed, certified (once certified),
    corrected by audits, and what stays (certified less the corrections), per category too."""

    claim: Claim
    figures: ClaimFigures
    corrections: dict[str, Decimal]

    @property
    def counted(self) -> bool:
        return self.claim.status in COUNTED

    @property
    def certified(self) -> bool:
        return self.claim.status == ClaimStatus.CERTIFIED

    @property
    def claimed_total(self) -> Decimal:
        return self.figures.totals.total_claimed

    @property
    def certified_total(self) -> Decimal | None:
        return self.figures.totals.total_certified if self.certified else None

    @property
    def corrected_total(self) -> Decimal:
        return sum(self.corrections.values(), ZERO)

    @property
    def final(self) -> dict[str, Decimal]:
        return arithmetic.corrected(self.figures.totals, self.corrections)

    @property
    def final_total(self) -> Decimal | None:
        return sum(self.final.values(), ZERO) if self.certified else None


def claim_sums(claims: list[Claim]) -> dict[int, ClaimSums]:
    """The figures of many claims (of one programme, with programme, city and period
    selected): two queries for all of them."""
    by_claim: dict[int, list[ClaimLine]] = defaultdict(list)
    ids = [claim.pk for claim in claims]
    lines = ClaimLine.objects.filter(claim_id__in=ids).order_by(
        "category", "kind", "month", "invoice_date", "pk"
    )
    for line in lines:
        by_claim[line.claim_id].append(line)
    corrections: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = (
        Correction.objects.filter(audit__claim_id__in=ids)
        .values("audit__claim_id", "category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    for row in rows:
        corrections[row["audit__claim_id"]][row["category"]] = row["total"]
    return {
        claim.pk: ClaimSums(
            claim, claim_figures(claim, by_claim.get(claim.pk, [])), corrections.get(claim.pk, {})
        )
        for claim in claims
    }


def claim_corrections(claim: Claim) -> dict[str, Decimal]:
    rows = (
        Correction.objects.filter(audit__claim=claim)
        .values("category")
        .annotate(total=Sum("amount"))
        .order_by()
    )
    return {row["category"]: row["total"] for row in rows}


@dataclass
class Sums:
    claimed: Decimal = ZERO
    certified: Decimal = ZERO
    corrected: Decimal = ZERO
    final: Decimal = ZERO

    def add(self, sums: ClaimSums) -> None:
        if sums.counted:
            self.claimed += sums.claimed_total
        if sums.certified:
            self.certified += sums.certified_total or ZERO
            self.corrected += sums.corrected_total
            self.final += sums.final_total or ZERO


@dataclass
class Overview:
    programme: Programme
    periods: list[ReportingPeriod]
    cities: list[City]
    cells: dict[tuple[int, int], ClaimSums]
    by_period: dict[int, Sums] = field(default_factory=dict)
    by_city: dict[int, Sums] = field(default_factory=dict)
    total: Sums = field(default_factory=Sums)

    @property
    def currency(self) -> str:
        return self.programme.currency

    def rows(self) -> list[dict]:
        """Per city: a cell per period, then the city's totals."""
        return [
            {
                "city": city,
                "cells": [
                    {"period": period, "sums": self.cells.get((city.pk, period.pk))}
                    for period in self.periods
                ],
                "total": self.by_city[city.pk],
            }
            for city in self.cities
        ]

    def period_totals(self) -> list[tuple[ReportingPeriod, Sums]]:
        return [(period, self.by_period[period.pk]) for period in self.periods]


def programme_overview(programme: Programme) -> Overview:
    periods = list(ReportingPeriod.objects.filter(programme=programme).order_by("number"))
    cities = list(
        City.objects.filter(participations__programme=programme).order_by("name").distinct()
    )
    claims = list(
        Claim.objects.filter(programme=programme).select_related("programme", "city", "period")
    )
    sums = claim_sums(claims)
    overview = Overview(
        programme,
        periods,
        cities,
        {(claim.city_id, claim.period_id): sums[claim.pk] for claim in claims},
        by_period={period.pk: Sums() for period in periods},
        by_city={city.pk: Sums() for city in cities},
    )
    for claim in claims:
        one = sums[claim.pk]
        for table, key in (
            (overview.by_period, claim.period_id),
            (overview.by_city, claim.city_id),
        ):
            if key in table:
                table[key].add(one)
        overview.total.add(one)
    return overview


# Budget burn -----------------------------------------------------------------------------------


@dataclass
class CategoryBurn:
    category: str
    burn: arithmetic.Burn

    @property
    def label(self) -> str:
        return str(Category(self.category).label)


@dataclass
class CityBurn:
    city: City
    categories: list[CategoryBurn]
    total: arithmetic.Burn

    @property
    def warnings(self) -> list[CategoryBurn]:
        return [row for row in self.categories if row.burn.warning]

    @property
    def warning(self) -> bool:
        return self.total.warning or bool(self.warnings)


def budget_burn(
    programme: Programme, cities: list[City], threshold: int | None = None
) -> list[CityBurn]:
    """Per city and category: the budget, what the city claimed to date and what was certified
    to date (less corrections), against the programme's warning threshold (its rules' unless
    given)."""
    if threshold is None:
        threshold = rules_of(programme).burn_warning_percent
    city_ids = [city.pk for city in cities]
    budgets: dict[tuple[int, str], Decimal] = {
        (b.city_id, b.category): b.amount
        for b in CityBudget.objects.filter(programme=programme, city_id__in=city_ids)
    }
    claims = list(
        Claim.objects.filter(
            programme=programme, city_id__in=city_ids, status__in=COUNTED
        ).select_related("programme", "city", "period")
    )
    claimed: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    certified: dict[tuple[int, str], Decimal] = defaultdict(lambda: ZERO)
    for one in claim_sums(claims).values():
        city_id = one.claim.city_id
        for category, amount in one.figures.totals.claimed.items():
            claimed[city_id, category] += amount
        if one.certified:
            for category, amount in one.final.items():
                certified[city_id, category] += amount
    result = []
    for city in cities:
        rows = []
        for category in CATEGORY_ORDER:
            key = (city.pk, category)
            if key not in budgets and key not in claimed and key not in certified:
                continue
            burn = arithmetic.Burn(budgets.get(key, ZERO), claimed[key], certified[key], threshold)
            rows.append(CategoryBurn(category, burn))
        total = arithmetic.Burn(
            sum((row.burn.budget for row in rows), ZERO),
            sum((row.burn.claimed for row in rows), ZERO),
            sum((row.burn.certified for row in rows), ZERO),
            threshold,
        )
        result.append(CityBurn(city, rows, total))
    return result
