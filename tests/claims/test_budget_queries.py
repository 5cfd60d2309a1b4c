"""The budget burn page and the programme's claims overview cost as many queries with few
claims, cities and corrections as with more (pattern: tests/test_query_counts.py)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.selectors import today_for
from claims.models import Category, ClaimLine, LineKind
from claims.services import claim_open, claim_submit, line_save
from claims.services.audits import audit_record, correction_add
from claims.services.setup import budgets_save
from tests.cities.factories import CityFactory
from tests.mentoring.factories import ParticipationFactory
from tests.reporting.factories import fresh

from .factories import build_claim_world, receipt
from .setup_helpers import certify, submitted_claim

pytestmark = pytest.mark.django_db

BUDGET_QUERIES = 10
CITY_BUDGET_QUERIES = 11
OVERVIEW_QUERIES = 9


def measure(client, url: str) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured), response.content.decode()


def assert_pinned(client, url: str, grow, pinned: int) -> None:
    small, few = measure(client, url)
    grow()
    large, many = measure(client, url)
    assert (small, large) == (pinned, pinned), f"{url}: {small} queries, then {large} with more"
    assert len(many) > len(few), f"{url}: the added rows do not show"


def ticket(claim, by, number: str) -> ClaimLine:
    line = ClaimLine(
        kind=LineKind.REAL,
        category=Category.TRAVEL,
        supplier="Rail company",
        invoice_number=number,
        net_amount=Decimal("120.00"),
        vat=Decimal(0),
        currency=claim.programme.currency,
        description="Train",
        receipt=receipt(),
    )
    return line_save(claim=claim, line=line, by=by)


@pytest.fixture
def world():
    world = build_claim_world()
    claim = submitted_claim(world)
    budgets_save(
        programme=world.programme,
        amounts={(world.city.pk, Category.TRAVEL): Decimal("1000")},
        by=world.coordinator,
    )
    world.first_claim = claim
    return world


def grow(world):
    """Gdańsk's claim, Ghent's second one, a certified claim with an audit and corrections,
    more cities with budgets."""

    def more():
        programme = world.programme
        certified = certify(world.first_claim)
        audit = audit_record(
            claim=certified,
            body="Audit body",
            held_on=today_for(world.coordinator),
            findings="F.",
            by=world.coordinator,
        )
        for category, amount in ((Category.TRAVEL, "10"), (Category.STAFF, "5")):
            correction_add(
                audit=audit,
                category=category,
                line=None,
                amount=Decimal(amount),
                description="x",
                by=world.coordinator,
            )
        gdansk = claim_open(
            period=world.period, city=world.other_city, by=fresh(world.other_officer)
        )
        for number in ("G-1", "G-2", "G-3"):
            ticket(gdansk, fresh(world.other_officer), number)
        claim_submit(gdansk, by=fresh(world.other_supervisor))
        second = claim_open(period=world.next_period, city=world.city, by=fresh(world.officer))
        ticket(second, fresh(world.officer), "T-9")
        claim_submit(second, by=fresh(world.supervisor))
        amounts = {}
        for name in ("Porto", "Tampere", "Utrecht"):
            city = CityFactory(name=name)
            ParticipationFactory(programme=programme, city=city)
            amounts[(city.pk, Category.TRAVEL)] = Decimal("700")
            amounts[(city.pk, Category.STAFF)] = Decimal("9000")
        budgets_save(programme=programme, amounts=amounts, by=world.coordinator)

    return more


def test_the_budget_burn_page_does_not_query_more_with_more_claims(client, world):
    client.force_login(world.coordinator)
    url = reverse("claims:budget", kwargs={"programme": world.programme.slug})
    assert_pinned(client, url, grow(world), BUDGET_QUERIES)


def test_a_citys_budget_burn_does_not_query_more_with_more_claims(client, world):
    client.force_login(world.officer)
    url = reverse(
        "claims:budget_city",
        kwargs={"programme": world.programme.slug, "city": world.city.slug},
    )

    def more():
        grow(world)()
        claim = claim_open(period=world.next_period, city=world.city, by=fresh(world.officer))
        assert claim.status == "submitted"

    small, few = measure(client, url)
    more()
    large, many = measure(client, url)
    assert (small, large) == (CITY_BUDGET_QUERIES, CITY_BUDGET_QUERIES)
    assert len(many) > len(few)


def test_the_overview_does_not_query_more_with_more_claims(client, world):
    client.force_login(world.coordinator)
    url = reverse("claims:overview", kwargs={"programme": world.programme.slug})
    assert_pinned(client, url, grow(world), OVERVIEW_QUERIES)
