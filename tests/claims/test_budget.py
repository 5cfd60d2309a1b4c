"""Budget burn: per city and category, the budget against what was claimed (submitted claims)
and certified (less corrections) to date, with the programme's warning."""

from decimal import Decimal

import pytest

from accounts.selectors import today_for
from claims.models import Category, LineKind
from claims.overview import budget_burn, programme_overview
from claims.services.audits import audit_record, correction_add
from claims.services.setup import budgets_save, rules_save

from .factories import build_claim_world, open_claim
from .setup_helpers import certify, submitted_claim

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world():
    world = build_claim_world()
    budgets_save(
        programme=world.programme,
        amounts={
            (world.city.pk, Category.STAFF): D("1000.00"),
            (world.city.pk, Category.OFFICE): D("100.00"),
            (world.city.pk, Category.TRAVEL): D("300.00"),
            (world.other_city.pk, Category.TRAVEL): D("500.00"),
        },
        by=world.coordinator,
    )
    return world


def rows(burn):
    return {
        row.category: (row.burn.budget, row.burn.claimed, row.burn.certified, row.burn.warning)
        for row in burn.categories
    }


def test_drafts_do_not_count(world):
    open_claim(world)
    ghent, gdansk = budget_burn(world.programme, [world.city, world.other_city])
    assert rows(ghent) == {
        "staff": (D("1000.00"), D(0), D(0), False),
        "office": (D("100.00"), D(0), D(0), False),
        "travel": (D("300.00"), D(0), D(0), False),
    }
    assert rows(gdansk) == {"travel": (D("500.00"), D(0), D(0), False)}


def test_claimed_certified_and_the_warning(world):
    claim = submitted_claim(world)
    (ghent,) = budget_burn(world.programme, [world.city])
    # Claimed: staff 562.50 (56 %), office 84.38 (84 %: past the 80 % default), travel 250.00
    # (83 %); nothing certified yet.
    assert rows(ghent) == {
        "staff": (D("1000.00"), D("562.50"), D(0), False),
        "office": (D("100.00"), D("84.38"), D(0), True),
        "travel": (D("300.00"), D("250.00"), D(0), True),
    }
    assert ghent.total.claimed == D("896.88")
    assert ghent.total.budget == D("1400.00")
    assert ghent.warning  # by its categories; the total is at 64 %
    assert not ghent.total.warning
    rules_save(
        programme=world.programme,
        burn_warning_percent=90,
        sample_percent=100,
        by=world.coordinator,
    )
    (ghent,) = budget_burn(world.programme, [world.city])
    assert not ghent.warning
    ticket = claim.lines.get(kind=LineKind.REAL)
    claim = certify(claim, {ticket: D("50.00")})
    audit = audit_record(
        claim=claim,
        body="Body",
        held_on=today_for(world.coordinator),
        findings="F.",
        by=world.coordinator,
    )
    correction_add(
        audit=audit,
        category=Category.TRAVEL,
        line=None,
        amount=D("30.00"),
        description="x",
        by=world.coordinator,
    )
    (ghent,) = budget_burn(world.programme, [world.city])
    assert rows(ghent)["travel"] == (D("300.00"), D("250.00"), D("170.00"), False)
    assert ghent.total.certified == D("562.50") + D("84.38") + D("170.00")


def test_the_overview_side_by_side(world):
    claim = submitted_claim(world)
    ticket = claim.lines.get(kind=LineKind.REAL)
    claim = certify(claim, {ticket: D("50.00")})
    audit = audit_record(
        claim=claim,
        body="Body",
        held_on=today_for(world.coordinator),
        findings="F.",
        by=world.coordinator,
    )
    correction_add(
        audit=audit,
        category=Category.STAFF,
        line=None,
        amount=D("12.50"),
        description="x",
        by=world.coordinator,
    )
    open_claim(world, world.next_period)  # a draft: shown, not counted
    overview = programme_overview(world.programme)
    cell = overview.cells[world.city.pk, world.period.pk]
    assert (cell.claimed_total, cell.certified_total, cell.corrected_total, cell.final_total) == (
        D("896.88"),
        D("846.88"),
        D("12.50"),
        D("834.38"),
    )
    draft = overview.cells[world.city.pk, world.next_period.pk]
    assert draft.certified_total is None
    assert overview.by_city[world.city.pk].claimed == D("896.88")
    assert overview.by_period[world.period.pk].certified == D("846.88")
    assert overview.by_period[world.next_period.pk].claimed == D(0)
    assert overview.total.final == D("834.38")
