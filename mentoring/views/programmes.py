from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from accounts.permissions import can_view_pairing, can_view_programme
from accounts.selectors import programmes_for

from ..models import Pairing, Programme, Scheme
from ..selectors import pairing_counts_by_status, pairings_for, schemes_with_pairings


@login_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    programme = get_object_or_404(Programme, slug=slug)
    if not can_view_programme(request.user, programme):
        raise PermissionDenied
    context = {
        "programme": programme,
        "schemes": schemes_with_pairings(programme),
        "cities": [p.city for p in programme.participations.select_related("city")],
        "counts": pairing_counts_by_status(programme),
    }
    return render(request, "mentoring/programme_detail.html", context)


@login_required
def pairing_list(request: HttpRequest) -> HttpResponse:
    schemes = Scheme.objects.filter(programme__in=programmes_for(request.user)).select_related(
        "programme"
    )
    scheme = None
    if scheme_id := request.GET.get("scheme", "").strip():
        scheme = next((s for s in schemes if str(s.pk) == scheme_id), None)
    context = {
        "pairings": pairings_for(request.user, scheme=scheme),
        "schemes": schemes,
        "selected_scheme": scheme,
    }
    return render(request, "mentoring/pairing_list.html", context)


@login_required
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_object_or_404(
        Pairing.objects.select_related(
            "scheme__programme", "scheme__facilitator", "mentor", "implementing"
        ),
        pk=pk,
    )
    if not can_view_pairing(request.user, pairing):
        raise PermissionDenied
    return render(request, "mentoring/pairing_detail.html", {"pairing": pairing})
