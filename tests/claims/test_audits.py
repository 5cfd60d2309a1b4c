"""Audits of certified claims and their corrections, with hand-checked figures.

The claim: Olga's approved months, 250.00 (November) and 312.50 (December) of staff costs; the
flat rate of 15 % on them, 84.375, shown 84.38; a train ticket of 250.00. The controller takes
50.00 off the ticket. Certified: staff 562.50, office 84.38, travel 200.00."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from accounts.selectors import today_for
from claims import arithmetic
from claims.models import Category, ClaimAction, ClaimLine, LineKind
from claims.selectors import claim_figures
from claims.services.audits import audit_record, correction_add
from tests.reporting.factories import fresh

from .setup_helpers import certify, submitted_claim

pytestmark = pytest.mark.django_db
D = Decimal


def test_corrected_takes_corrections_off_the_certified_amounts():
    totals = arithmetic.Totals(
        currency="EUR",
        claimed={"staff": D("562.50"), "office": D("84.38"), "travel": D("250.00")},
        certified={"staff": D("562.50"), "office": D("84.38"), "travel": D("200.00")},
        deducted={"staff": D(0), "office": D(0), "travel": D("50.00")},
    )
    final = arithmetic.corrected(totals, {"travel": D("30.00"), "staff": D("12.50")})
    assert final == {"staff": D("550.00"), "office": D("84.38"), "travel": D("170.00")}
    # A negative correction gives back; a category only the corrections name starts at zero.
    final = arithmetic.corrected(totals, {"travel": D("-10.00"), "other": D("5.00")})
    assert final["travel"] == D("210.00")
    assert final["other"] == D("-5.00")
    assert arithmetic.corrected(totals, {}) == totals.certified


@pytest.fixture
def audited():
    from .factories import build_claim_world

    world = build_claim_world()
    claim = submitted_claim(world)
    ticket = claim.lines.get(kind=LineKind.REAL)
    claim = certify(claim, {ticket: D("50.00")})
    return world, claim, ticket


def test_an_audit_is_recorded_on_a_certified_claim_and_logged(audited):
    world, claim, _ticket = audited
    totals = claim_figures(claim).totals
    assert totals.certified == {
        "staff": D("562.50"),
        "office": D("84.38"),
        "travel": D("200.00"),
    }
    audit = audit_record(
        claim=claim,
        body="National audit authority",
        held_on=today_for(world.coordinator),
        findings="One invoice was paid after the period.",
        by=world.coordinator,
    )
    entry = claim.log.get(action=ClaimAction.AUDITED)
    assert entry.actor == world.coordinator
    assert entry.details["audit"] == audit.pk


def test_only_coordinators_record_audits_and_only_of_certified_claims(audited):
    world, claim, _ticket = audited
    fields = {"body": "Commission", "held_on": today_for(world.coordinator), "findings": "None."}
    for person in (world.officer, world.supervisor, world.controller, world.outsider_coordinator):
        with pytest.raises(ValidationError):
            audit_record(claim=claim, by=fresh(person), **fields)
    draft = world.next_period
    from .factories import open_claim

    other = open_claim(world, draft)
    with pytest.raises(ValidationError, match="certified"):
        audit_record(claim=other, by=world.coordinator, **fields)
    with pytest.raises(ValidationError) as error:
        audit_record(claim=claim, by=world.coordinator, **fields | {"held_on": date(2099, 1, 1)})
    assert set(error.value.message_dict) == {"held_on"}


def test_corrections_with_hand_checked_figures(audited):
    world, claim, ticket = audited
    audit = audit_record(
        claim=claim,
        body="National audit authority",
        held_on=today_for(world.coordinator),
        findings="Findings.",
        by=world.coordinator,
    )
    correction_add(
        audit=audit,
        category=Category.TRAVEL,
        line=ticket,
        amount=D("30.00"),
        description="Paid after the period",
        by=world.coordinator,
    )
    correction_add(
        audit=audit,
        category=Category.STAFF,
        line=None,
        amount=D("12.50"),
        description="Half an hour too many",
        by=world.coordinator,
    )
    from claims.overview import claim_corrections

    corrections = claim_corrections(claim)
    assert corrections == {"travel": D("30.00"), "staff": D("12.50")}
    final = arithmetic.corrected(claim_figures(claim).totals, corrections)
    assert final == {"staff": D("550.00"), "office": D("84.38"), "travel": D("170.00")}
    assert sum(final.values()) == D("804.38")


def test_a_correction_is_checked_field_by_field(audited):
    world, claim, ticket = audited
    audit = audit_record(
        claim=claim,
        body="Body",
        held_on=today_for(world.coordinator),
        findings="F.",
        by=world.coordinator,
    )

    def refused(**fields) -> set[str]:
        values = {
            "audit": audit,
            "category": Category.TRAVEL,
            "line": None,
            "amount": D("10"),
            "description": "x",
            "by": world.coordinator,
        } | fields
        with pytest.raises(ValidationError) as error:
            correction_add(**values)
        return set(error.value.message_dict)

    assert refused(amount=D(0)) == {"amount"}
    assert refused(line=ticket, category=Category.STAFF) == {"category"}
    assert refused(amount=D("200.01")) == {"amount"}  # more than the 200.00 certified
    staff_line = claim.lines.filter(kind=LineKind.STAFF).first()
    other = submitted_claim(world, world.next_period, invoice_number="T-2")
    other_line = ClaimLine.objects.filter(claim=other, kind=LineKind.REAL).first()
    assert refused(line=other_line) == {"line"}
    assert staff_line is not None
