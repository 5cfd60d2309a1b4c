"""What the claim page's verification panel shows (templates/claims/_verification_panel)."""

from django import template

from .. import permissions
from ..models import LineKind, Verification

register = template.Library()


@register.simple_tag
def verification_of(claim, figures, user) -> dict:
    """The claim's verification as the panel shows it: whether the person is its assigned
    controller, the verification (if started) and the sample's counts, from the lines already
    read for the page."""
    lines = [line for line in figures.lines if line.kind != LineKind.FLAT_RATE]
    return {
        "controls": permissions.controls(user, claim),
        "verification": Verification.objects.filter(claim=claim)
        .select_related("controller", "certified_by")
        .first(),
        "sampled": sum(1 for line in lines if line.sampled),
        "checked": sum(
            1 for line in lines if line.sampled and line.verified_at and not line.parked
        ),
        "parked": sum(1 for line in lines if line.parked),
    }
