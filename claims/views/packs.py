"""Evidence-pack pages: ask for a claim's pack, follow its job, download the ZIP, build it
again after a failure.

Who may: coordinators of the programme, the controller assigned to the claim's city and period
(while the assignment runs) and the city's supervisors (``permissions.can_request_pack``). To
anyone else a pack and its claim's pack request do not exist (404). The ZIP is the stored one,
never built again for a download: what an auditor downloads twice has the same checksum.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from documents.models import JobStatus
from documents.responses import stored_file_response
from documents.views import job_status, queue_again

from .. import permissions
from ..models import Claim, EvidencePack
from ..services.packs import pack_request as request_pack
from ..services.packs import pack_retry as retry_pack


def may_pack(user: User, claim: Claim) -> bool:
    """Whether the person is one of those who may have the claim's packs, whatever its state
    (``permissions.can_request_pack`` adds the state)."""
    return (
        permissions.coordinates(user, claim.programme_id)
        or permissions.controls(user, claim)
        or permissions.is_supervisor_of(user, claim.city_id)
    )


def _pack(request, pk: int) -> EvidencePack:
    pack = get_object_or_404(
        EvidencePack.objects.select_related(
            "claim__programme", "claim__city", "claim__period", "file", "requested_by"
        ),
        pk=pk,
    )
    if not may_pack(request.user, pack.claim):
        raise Http404
    return pack


def _files(pack: EvidencePack) -> list[dict]:
    if pack.status != JobStatus.DONE or pack.file is None:
        return []
    return [
        {
            "label": _("ZIP"),
            "url": reverse("claims:pack_download", args=[pack.pk]),
            "file": pack.file,
        }
    ]


@login_required
@require_POST
def pack_request(request, pk: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("programme", "city", "period"), pk=pk)
    if not may_pack(request.user, claim):
        raise Http404
    try:
        pack = request_pack(claim, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(claim)
    if getattr(pack, "reused", False):
        messages.info(
            request,
            _("The claim has not changed since this pack was built: here it is, ready."),
        )
    elif pack.joined:
        messages.info(
            request,
            _("The same pack is already being built; this page shows how far it has got."),
        )
    else:
        messages.success(
            request, _("The evidence pack is requested. This page shows how far it has got.")
        )
    return redirect(pack)


@login_required
@require_safe
def pack_detail(request, pk: int) -> HttpResponse:
    pack = _pack(request, pk)
    context = {
        "pack": pack,
        "claim": pack.claim,
        "files": _files(pack),
        "status_url": reverse("claims:pack_status", args=[pack.pk]),
        "retry_url": reverse("claims:pack_retry", args=[pack.pk]),
    }
    return render(request, "claims/pack.html", context)


@login_required
@require_safe
@never_cache
def pack_status(request, pk: int) -> JsonResponse:
    return job_status(_pack(request, pk))


@login_required
@require_POST
def pack_retry(request, pk: int) -> HttpResponse:
    pack = _pack(request, pk)
    queue_again(
        request,
        lambda: retry_pack(pack, by=request.user),
        done=_("The evidence pack is being built again."),
    )
    return redirect(pack)


@login_required
@require_safe
def pack_download(request, pk: int) -> HttpResponseBase:
    pack = _pack(request, pk)
    if pack.status != JobStatus.DONE or pack.file is None:
        raise Http404
    try:
        return stored_file_response(pack.file)
    except FileNotFoundError:  # the row outlived its file (storage restored from a backup)
        raise Http404 from None
