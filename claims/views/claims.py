"""The city's claim pages."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .. import permissions
from ..models import Claim
from ..selectors import claim_figures


@login_required
def claim_detail(request, pk: int):
    claim = get_object_or_404(Claim.objects.select_related("programme", "city", "period"), pk=pk)
    if not permissions.can_view_claim(request.user, claim):
        raise Http404
    return render(request, "claims/claim.html", {"claim": claim, "figures": claim_figures(claim)})
