"""Claims in later states for the set-up, audit and budget tests: submitted through the city's
services, then certified as the controllers' area leaves them (deductions on lines, the status
certified), written here directly since those services are not this area's."""

from decimal import Decimal

from django.utils import timezone

from claims.models import Claim, ClaimLine, ClaimStatus, ErrorType
from claims.services import claim_submit
from tests.reporting.factories import fresh

from .factories import ClaimWorld, open_claim, travel_line


def submitted_claim(world: ClaimWorld, period=None, **travel) -> Claim:
    claim = open_claim(world, period)
    travel_line(world, claim, **travel)
    return claim_submit(claim, by=fresh(world.supervisor))


def certify(claim: Claim, deductions: dict[ClaimLine, Decimal] | None = None) -> Claim:
    for line, amount in (deductions or {}).items():
        ClaimLine.objects.filter(pk=line.pk).update(
            deducted=amount, error_type=ErrorType.NO_PROOF_OF_PAYMENT, verified_at=timezone.now()
        )
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.CERTIFIED)
    return Claim.objects.select_related("programme", "city", "period").get(pk=claim.pk)
