"""Claims in later states for the set-up, audit and budget tests: submitted through the city's
services, then verified and certified through the controller's (a controller assigned to the
claim's city and period is found, or made)."""

from datetime import date
from decimal import Decimal

from accounts.models import User
from claims.models import Claim, ClaimLine, ControlAssignment, ErrorType, LineKind
from claims.services import claim_submit
from claims.services.verification import (
    claim_certify,
    line_verify,
    sample_draw,
    verification_start,
)
from tests.reporting.factories import fresh

from .factories import ClaimWorld, controller_user, open_claim, travel_line


def submitted_claim(world: ClaimWorld, period=None, **travel) -> Claim:
    claim = open_claim(world, period)
    travel_line(world, claim, **travel)
    return claim_submit(claim, by=fresh(world.supervisor))


def _controller_of(claim: Claim) -> User:
    assignment = ControlAssignment.objects.filter(city=claim.city, period=claim.period).first()
    if assignment is not None:
        return fresh(assignment.controller)
    controller = controller_user(
        claim.programme, "Carla Certifier", f"certifier.{claim.pk}@example.com"
    )
    ControlAssignment.objects.create(
        controller=controller,
        programme=claim.programme,
        city=claim.city,
        period=claim.period,
        starts_on=date(2016, 1, 1),
        ends_on=date(2099, 12, 31),
        assigned_by=controller,
    )
    return fresh(controller)


def certify(claim: Claim, deductions: dict[ClaimLine, Decimal] | None = None) -> Claim:
    """Verify every line (deducting what ``deductions`` says, for want of a proof of payment)
    and certify the claim, as its controller would."""
    controller = _controller_of(claim)
    deductions = {line.pk: amount for line, amount in (deductions or {}).items()}
    verification_start(claim, by=controller)
    sample_draw(claim, by=controller, method="all")
    for line in claim.lines.exclude(kind=LineKind.FLAT_RATE).order_by("pk"):
        amount = deductions.get(line.pk, Decimal(0))
        line_verify(
            line,
            by=controller,
            deducted=amount,
            error_type=ErrorType.NO_PROOF_OF_PAYMENT if amount else "",
        )
    claim_certify(claim, by=controller, conclusion="Verified.")
    return Claim.objects.select_related("programme", "city", "period").get(pk=claim.pk)
