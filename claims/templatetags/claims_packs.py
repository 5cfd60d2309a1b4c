"""``{% pack_panel claim request.user as panel %}``: what the claim page's evidence-pack panel
shows this person (templates/claims/_pack_panel.html)."""

from django import template

from documents.models import JobStatus

from ..models import EvidencePack
from ..permissions import can_request_pack
from ..services.packs import pack_fingerprint
from ..views.packs import may_pack

register = template.Library()


@register.simple_tag
def pack_panel(claim, user) -> dict:
    if not user.is_authenticated or not may_pack(user, claim):
        return {"allowed": False}
    can_request, reason = can_request_pack(user, claim)
    last = (
        EvidencePack.objects.filter(claim=claim)
        .select_related("file")
        .order_by("-requested_at", "-pk")
        .first()
    )
    current = (
        last is not None
        and last.status == JobStatus.DONE
        and last.fingerprint == pack_fingerprint(claim)
    )
    return {
        "allowed": True,
        "can_request": can_request,
        "reason": reason,
        "last": last,
        "current": current,
    }
