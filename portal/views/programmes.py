"""The programme dashboard and a pairing's page: mentoring's objects with their action plans
and, for those who may see it, the staff time recorded for them."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from actionplans import permissions as actionplan_permissions
from actionplans import selectors as actionplan_selectors
from actionplans.models import ActionPlan
from config.views import add_service_errors, get_visible_or_404, render_form
from mentoring.forms.programmes import PairingStatusForm
from mentoring.models import Pairing, PairingStatus, Programme, Scheme
from mentoring.permissions import (
    can_create_event,
    can_manage_pairing,
    can_manage_programme,
    can_view_event,
    can_view_pairing,
    can_view_programme,
)
from mentoring.selectors import programme_context
from mentoring.selectors.events import upcoming_events
from mentoring.selectors.pairings import (
    map_data,
    next_statuses,
    pairing_counts_by_scheme,
    schemes_with_pairings,
)
from mentoring.services.programmes import programme_choose
from reporting.permissions import can_view_programme_staff_time

from ..forms import ProgrammeSwitchForm


@login_required
def programme_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The programme dashboard: schemes, pairings by scheme and status, a map, the cities."""
    programme = get_visible_or_404(Programme.objects.select_related("framework"), slug=slug)
    if not can_view_programme(request.user, programme):
        raise PermissionDenied
    schemes = list(schemes_with_pairings(programme))
    context = {
        "programme": programme,
        "schemes": schemes,
        "cities": [p.city for p in programme.participations.select_related("city")],
        "status_table": pairing_counts_by_scheme(programme, schemes),
        "map": map_data(programme),
        "upcoming": [
            (event, can_view_event(request.user, event)) for event in upcoming_events(programme)
        ],
        "can_manage": can_manage_programme(request.user, programme),
        "can_view_staff_time": can_view_programme_staff_time(request.user, programme),
        "map_tiles_url": settings.TANDEM_MAP_TILES_URL,
        "map_attribution": settings.TANDEM_MAP_ATTRIBUTION,
        "plan_rows": _plan_rows(request.user, programme, schemes),
    }
    return render(request, "portal/programme_detail.html", context)


def _plan_rows(user, programme: Programme, schemes: list[Scheme]) -> list[dict]:
    """Every pairing's action plan the person may see, with its stage and progress: three
    queries whatever the number of plans (plans, their actions, their indicators)."""
    plans = {
        plan.pairing_id: plan
        for plan in actionplan_selectors.with_progress_data(
            actionplan_selectors.visible_plans(user).filter(pairing__scheme__programme=programme)
        )
    }
    rows = []
    for scheme in schemes:
        for pairing in scheme.pairings.all():
            plan = plans.get(pairing.pk)
            if plan is None and not actionplan_permissions.can_view(
                user, ActionPlan(pairing=pairing)
            ):
                continue
            rows.append(
                {
                    "pairing": pairing,
                    "plan": plan,
                    "progress": actionplan_selectors.progress(plan) if plan else None,
                }
            )
    return rows


@login_required
def pairing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    pairing = get_object_or_404(
        Pairing.objects.select_related(
            "scheme__programme", "scheme__facilitator", "mentor", "implementing", "created_by"
        ),
        pk=pk,
    )
    if not can_view_pairing(request.user, pairing):
        raise PermissionDenied
    can_manage = can_manage_pairing(request.user, pairing)
    allowed = next_statuses(pairing)
    context = {
        "pairing": pairing,
        "can_manage": can_manage,
        "status_form": PairingStatusForm(allowed=allowed) if can_manage and allowed else None,
        "can_plan": can_create_event(request.user, pairing.scheme.programme, pairing),
        "action_plan": _action_plan_panel(request.user, pairing),
    }
    return render(request, "mentoring/pairing_detail.html", context)


def _action_plan_panel(user, pairing: Pairing) -> dict | None:
    """The pairing's plan with its progress, for those who may see it (or would, once it is
    started); two queries."""
    plan = actionplan_selectors.with_progress_data(
        ActionPlan.objects.filter(pairing=pairing)
    ).first()
    if plan is not None:
        plan.pairing = pairing  # loaded with its scheme and cities already
    if not actionplan_permissions.can_view(user, plan or ActionPlan(pairing=pairing)):
        return None
    return {
        "plan": plan,
        "progress": actionplan_selectors.progress(plan) if plan else None,
        "can_start": plan is None
        and pairing.status != PairingStatus.WITHDRAWN
        and actionplan_permissions.can_create_for(user, pairing),
    }


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def programme_switch(request: HttpRequest) -> HttpResponse:
    """Choose the programme to work in: the header's switcher posts here (it works without
    JavaScript), and this page shows the same form on its own, with what went wrong."""
    context = programme_context(request.user)
    if not context.programmes:
        raise PermissionDenied
    form = ProgrammeSwitchForm(
        request.POST if request.method == "POST" else None,
        programmes=context.programmes,
        initial={"programme": context.current, "next": request.GET.get("next", "")},
    )
    if request.method == "POST" and form.is_valid():
        programme = form.cleaned_data["programme"]
        try:
            programme_choose(user=request.user, programme=programme)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("You now work in %(programme)s.") % {"programme": programme}
            )
            return redirect(_safe_next(request, form.cleaned_data["next"], programme))
    return render_form(request, "portal/programme_switch.html", {"form": form})


# Pages about one programme: switching from one leads to the same page of the new programme.
PROGRAMME_PAGES = {"portal:programme": "slug", "reporting:programme_dashboard": "programme"}


def _safe_next(request: HttpRequest, url: str, programme: Programme) -> str:
    """Back to the page the person switched from, if it is one of ours (the same page of the
    new programme if it was about the old one); else home."""
    if not url or not url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return reverse("home")
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404:
        return reverse("home")
    kwarg = PROGRAMME_PAGES.get(match.view_name)
    if kwarg is not None:
        return reverse(match.view_name, kwargs={**match.kwargs, kwarg: programme.slug})
    return url
