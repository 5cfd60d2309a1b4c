"""Asking for a claim's evidence pack, and asking again after a failure."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from documents import jobs
from documents.models import JobStatus

from .. import permissions
from ..models import Claim, EvidencePack, Verification


def pack_fingerprint(claim: Claim) -> str:
    """The claim's state as a pack shows it: its version (every change of its lines and every
    step counts), its status, and when its verification was certified."""
    certified_at = (
        Verification.objects.filter(claim=claim).values_list("certified_at", flat=True).first()
    )
    return jobs.fingerprint(
        "evidence pack",
        claim.pk,
        claim.version,
        claim.status,
        certified_at.isoformat() if certified_at else "",
    )


@transaction.atomic
def pack_request(claim: Claim, *, by: User) -> EvidencePack:
    """The evidence pack of the claim as it stands: a pack already built for this state is
    given back (``pack.reused``), a pack being built for it is joined (``pack.joined``);
    otherwise a new one is queued and built after the commit."""
    from ..tasks import build_evidence_pack

    ok, reason = permissions.can_request_pack(by, claim)
    if not ok:
        raise ValidationError(reason)
    fingerprint = pack_fingerprint(claim)
    built = (
        EvidencePack.objects.filter(
            claim=claim, fingerprint=fingerprint, status=JobStatus.DONE, file__isnull=False
        )
        .order_by("-finished_at", "-pk")
        .first()
    )
    if built is not None:
        built.reused = True  # type: ignore[attr-defined]
        return built
    pack, _created = jobs.request(
        EvidencePack,
        build_evidence_pack,
        fingerprint=fingerprint,
        claim=claim,
        requested_by=by,
    )
    pack.reused = False  # type: ignore[attr-defined]
    return pack


def pack_retry(pack: EvidencePack, *, by: User) -> None:
    from ..tasks import build_evidence_pack

    ok, reason = permissions.can_request_pack(by, pack.claim)
    if not ok:
        raise ValidationError(reason)
    if not pack.can_retry:
        raise ValidationError(_("Only a failed or interrupted pack can be built again."))
    jobs.retry(pack, build_evidence_pack)
