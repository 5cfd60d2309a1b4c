"""Pairings: the filtered list with exports, a pairing's page, and its management."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cities.models import City
from config import stale
from config.views import (
    add_service_errors,
    paginate_keys_first,
    query_without_page,
    render_form,
)
from documents.exports import FORMATS, export_response

from ..filters import PairingFilter
from ..forms.programmes import PairingCitiesForm, PairingForm, PairingStatusForm
from ..models import Pairing, Programme, Scheme
from ..permissions import can_manage_pairing, can_manage_pairings_in
from ..selectors.pairings import next_statuses, pairings_for
from ..selectors.programmes import current_programme, programme_context, programmes_for
from ..services.pairings import pairing_create, pairing_transition, pairing_update
from .scoping import filters_for_current_programme
from .suggestions import programme_city_suggestions


def _visible_schemes(user):
    return Scheme.objects.filter(programme__in=programmes_for(user)).select_related("programme")


def _visible_cities(user):
    return City.objects.filter(participations__programme__in=programmes_for(user)).distinct()


@login_required
def pairing_list(request: HttpRequest) -> HttpResponse:
    filterset = PairingFilter(
        filters_for_current_programme(request),
        queryset=pairings_for(request.user),
        schemes=_visible_schemes(request.user),
        cities=_visible_cities(request.user),
        programmes=programme_context(request.user).programmes,
        suggest_url=reverse("mentoring:city_suggestions"),
    )
    pairings = filterset.qs
    fmt = request.GET.get("format")
    if fmt in FORMATS and filterset.is_valid():
        return export_response(
            fmt,
            headers=[
                _("Programme"),
                _("Scheme"),
                _("Mentor city"),
                _("Mentor country"),
                _("Implementing city"),
                _("Implementing country"),
                _("Status"),
                _("Reason for withdrawal"),
                _("Created"),
            ],
            rows=(
                (
                    p.scheme.programme.name,
                    p.scheme.code,
                    p.mentor.name,
                    p.mentor.country.code,
                    p.implementing.name,
                    p.implementing.country.code,
                    p.get_status_display(),
                    p.withdrawal_reason,
                    p.created_at.date(),
                )
                for p in pairings.iterator(chunk_size=500)
            ),
            filename="pairings",
            title=_("Pairings"),
        )
    context = {
        "filter": filterset,
        "page": paginate_keys_first(request, pairings),
        "query": query_without_page(request),
        "several_programmes": programme_context(request.user).several,
        "programme": filterset.form.cleaned_data.get("programme") if filterset.is_valid() else None,
        "can_create": any(
            can_manage_pairings_in(request.user, s) for s in filterset.filters["scheme"].queryset
        ),
    }
    return render(request, "mentoring/pairing_list.html", context)


def _pairing_programme(request: HttpRequest, schemes: list[Scheme]) -> Programme | None:
    """The programme whose schemes the pairing form offers: the one asked for (``?programme=``
    from a programme's page, or ``?scheme=``) if the person manages pairings in it, else the one
    they work in, else the first where they may."""
    programmes = {s.programme.slug: s.programme for s in schemes}
    asked = request.POST.get("programme") or request.GET.get("programme")
    if asked in programmes:
        return programmes[asked]
    asked_scheme = request.GET.get("scheme")
    for scheme in schemes:
        if str(scheme.pk) == asked_scheme:
            return scheme.programme
    current = current_programme(request.user)
    if current is not None and current.slug in programmes:
        return current
    return schemes[0].programme if schemes else None


@login_required
def pairing_create_view(request: HttpRequest) -> HttpResponse:
    manageable = [
        s for s in _visible_schemes(request.user) if can_manage_pairings_in(request.user, s)
    ]
    programme = _pairing_programme(request, manageable)
    if programme is None:
        raise PermissionDenied
    scheme_ids = [s.pk for s in manageable if s.programme_id == programme.pk]
    form = PairingForm(
        request.POST or None,
        initial={"scheme": request.GET.get("scheme")},
        schemes=Scheme.objects.filter(pk__in=scheme_ids).select_related("programme"),
        cities=City.objects.filter(participations__programme=programme),
        suggest_url=programme_city_suggestions(programme),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pairing = pairing_create(
                scheme=data["scheme"],
                mentor=data["mentor"],
                implementing=data["implementing"],
                by=request.user,
                programme=programme,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pairing %(pairing)s proposed.") % {"pairing": pairing})
            return redirect(pairing)
    context = {"form": form, "programme": programme}
    return render_form(request, "mentoring/pairing_form.html", context)


@login_required
def pairing_edit(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_object_or_404(
        Pairing.objects.select_related("scheme__programme", "mentor", "implementing"), pk=pk
    )
    if not can_manage_pairing(request.user, pairing):
        raise PermissionDenied
    programme = pairing.scheme.programme
    form = PairingCitiesForm(
        request.POST or None,
        cities=City.objects.filter(participations__programme=programme),
        suggest_url=programme_city_suggestions(programme),
        initial={"mentor": pairing.mentor, "implementing": pairing.implementing},
    )
    stale.track(form, pairing)
    if request.method == "POST" and form.is_valid():
        try:
            pairing_update(
                pairing=pairing,
                mentor=form.cleaned_data["mentor"],
                implementing=form.cleaned_data["implementing"],
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Pairing saved."))
            return redirect(pairing)
    return render_form(request, "mentoring/pairing_edit.html", {"form": form, "pairing": pairing})


@login_required
def pairing_status(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_object_or_404(
        Pairing.objects.select_related("scheme__programme", "mentor", "implementing"), pk=pk
    )
    if not can_manage_pairing(request.user, pairing):
        raise PermissionDenied
    if request.method != "POST":
        return redirect(pairing)
    form = PairingStatusForm(request.POST, allowed=next_statuses(pairing))
    if form.is_valid():
        try:
            pairing = pairing_transition(
                pairing=pairing,
                to=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            status = pairing.get_status_display().lower()
            messages.success(request, _("The pairing is now %(status)s.") % {"status": status})
            return redirect(pairing)
    context = {"pairing": pairing, "can_manage": True, "status_form": form}
    return render(request, "mentoring/pairing_detail.html", context, status=400)
