"""What the coordinators' parts of the claim pages need: the audits of a claim with the claimed,
certified, corrected and final figures side by side, and links to their programmes' claims."""

from decimal import Decimal

from django import template

from accounts.selectors import scopes_of
from mentoring.models import Programme

from .. import arithmetic, permissions
from ..models import Category, Claim, ClaimStatus
from ..overview import claim_corrections
from ..selectors import CATEGORY_ORDER, ClaimFigures

register = template.Library()
ZERO = Decimal(0)


@register.simple_tag
def coordinator_panel(claim: Claim, figures: ClaimFigures, user) -> dict | None:
    """None for anyone who does not coordinate the claim's programme."""
    if not user.is_authenticated or not permissions.coordinates(user, claim.programme_id):
        return None
    certified = claim.status == ClaimStatus.CERTIFIED
    corrections = claim_corrections(claim)
    totals = figures.totals
    final = arithmetic.corrected(totals, corrections)
    categories = [c for c in CATEGORY_ORDER if c in totals.claimed or c in corrections]
    rows = [
        {
            "label": Category(category).label,
            "claimed": totals.claimed.get(category, ZERO),
            "certified": totals.certified.get(category, ZERO) if certified else None,
            "corrected": corrections.get(category, ZERO),
            "final": final.get(category, ZERO) if certified else None,
        }
        for category in categories
    ]
    return {
        "audits": list(
            claim.audits.prefetch_related("corrections__line__person").order_by("-held_on")
        ),
        "rows": rows,
        "total": {
            "claimed": totals.total_claimed,
            "certified": totals.total_certified if certified else None,
            "corrected": sum(corrections.values(), ZERO),
            "final": sum(final.values(), ZERO) if certified else None,
        },
        "can_audit": permissions.can_record_audit(user, claim)[0],
        "currency": figures.currency,
    }


@register.simple_tag
def coordinated_programmes(user) -> list[Programme]:
    """The programmes the person coordinates (one query, none for anyone else)."""
    if not user.is_authenticated:
        return []
    ids = scopes_of(user).coordinated
    if not ids:
        return []
    return list(Programme.objects.filter(pk__in=ids).order_by("name"))
