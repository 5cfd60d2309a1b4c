"""A programme's claims as a whole: every city and period side by side (coordinators), and the
budget burn (coordinators for every city; a city's officers and supervisors for theirs)."""

from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from accounts.models import Role
from accounts.selectors import scopes_of
from cities.models import City
from config.views import get_visible_or_404
from mentoring.models import Programme

from .. import permissions
from ..overview import budget_burn, programme_overview
from ..selectors import rules_of
from .setup import for_coordinators, refused

CHART_WIDTH = 640
CHART_LABEL_WIDTH = 170
CHART_VALUE_WIDTH = 120
CHART_ROW_HEIGHT = 34
CHART_BAR_HEIGHT = 20
CHART_TOP = 8


def _number(value) -> str:
    """SVG geometry, never localised."""
    return f"{float(value):.2f}"


def burn_chart(rows: list[dict], threshold: int) -> dict:
    """Horizontal bars of the share of each budget used: claimed (light) with certified (dark)
    over it, the programme's warning threshold as a line. Geometry in SVG attributes (no inline
    style, as the content security policy wants)."""
    scale = max([Decimal(100), *(Decimal(row["burn"].claimed_percent) for row in rows)])
    area = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH

    def width(percent) -> Decimal:
        return Decimal(percent) / scale * area

    bars = []
    for index, row in enumerate(rows):
        y = CHART_TOP + index * CHART_ROW_HEIGHT
        claimed = width(row["burn"].claimed_percent)
        bars.append(
            {
                "row": row,
                "y": _number(y),
                "text_y": _number(y + CHART_BAR_HEIGHT * 0.75),
                "claimed_width": _number(claimed),
                "certified_width": _number(width(row["burn"].certified_percent)),
                "value_x": _number(CHART_LABEL_WIDTH + claimed + 6),
            }
        )
    height = CHART_TOP * 2 + max(len(rows), 1) * CHART_ROW_HEIGHT
    return {
        "bars": bars,
        "width": str(CHART_WIDTH),
        "height": str(height),
        "bar_x": str(CHART_LABEL_WIDTH),
        "label_x": str(CHART_LABEL_WIDTH - 8),
        "bar_height": str(CHART_BAR_HEIGHT),
        "threshold_x": _number(CHART_LABEL_WIDTH + width(threshold)),
        "bottom": _number(height - CHART_TOP),
    }


@for_coordinators
@require_safe
def overview(request, programme: Programme) -> HttpResponse:
    """Every city and period: the claim's state, claimed, certified, corrected and what stays."""
    context = {"programme": programme, "overview": programme_overview(programme)}
    return render(request, "claims/overview.html", context)


def _city_of(request, programme: Programme, slug: str | None) -> City | None:
    cities = City.objects.filter(participations__programme=programme).distinct()
    if slug is not None:
        return get_visible_or_404(cities, slug=slug)
    param = request.GET.get("city", "").strip()
    if not param:
        return None
    if not param.isdigit():
        raise Http404
    return get_object_or_404(cities, pk=param)


@login_required
@require_safe
def budget(request, programme: str, city: str | None = None) -> HttpResponse:
    """The budget burn of every city (coordinators) or of one (its people too)."""
    found = get_visible_or_404(Programme.objects.all(), slug=programme)
    one = _city_of(request, found, city)
    user = request.user
    if not permissions.can_view_budget(user, found.pk, one.pk if one else None):
        if one is None:
            own = (
                City.objects.filter(
                    participations__programme=found,
                    pk__in=scopes_of(user).city_ids(Role.OFFICER, Role.SUPERVISOR),
                )
                .order_by("name")
                .first()
            )
            if own is not None:
                return redirect("claims:budget_city", programme=found.slug, city=own.slug)
            return refused(request, _("Only the programme's coordinators see its budgets."))
        return refused(
            request,
            _("Only the programme's coordinators and the people of %(city)s see its budget.")
            % {"city": one},
        )
    cities = (
        [one]
        if one is not None
        else list(City.objects.filter(participations__programme=found).order_by("name").distinct())
    )
    threshold = rules_of(found).burn_warning_percent
    burns = budget_burn(found, cities, threshold)
    if one is not None:
        rows = [{"label": row.label, "burn": row.burn} for burn in burns for row in burn.categories]
    else:
        rows = [{"label": str(burn.city), "burn": burn.total} for burn in burns]
    context = {
        "programme": found,
        "city": one,
        "burns": burns,
        "threshold": threshold,
        "currency": found.currency,
        "chart": burn_chart(rows, threshold),
        "coordinates": permissions.coordinates(user, found.pk),
        "warned": [burn for burn in burns if burn.warning],
    }
    return render(request, "claims/budget.html", context)
