"""The city's claim pages: the claims a person may see, one claim with its lines and figures, its
expenditure lines with their receipts, its signature (supervisors) and reopening
(coordinators), and its lines as CSV or XLSX.

Views look up what the person may see (404 beyond that: ``selectors.claims_for``), ask
``claims.permissions`` (403 with the reason where the claim is visible but the step is not
theirs), call one service and turn its ValidationError into messages on the page (400, or 409
for a save from an outdated page)."""

from collections import defaultdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role, User
from accounts.selectors import scopes_of, today_for
from cities.models import City
from config import stale
from config.views import add_service_errors, get_visible_or_404, paginate, query_without_page
from documents.exports import XLSX_TYPE
from documents.responses import file_response
from mentoring.models import Participation

from .. import exports, permissions, selectors
from ..forms.lines import ClaimFilterForm, LineForm, ReopenForm, SignForm
from ..models import (
    EDITABLE,
    Category,
    Claim,
    ClaimLine,
    ClaimStatus,
    LineKind,
    ReportingPeriod,
)
from ..services import claim_open, claim_reopen, claim_submit, line_delete
from ..services.lines import line_save_with_receipt


class AuthedRequest(HttpRequest):
    """A request of a signed-in person (every view here is behind login_required)."""

    user: User


GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])
CLAIMS_PER_PAGE = 50
EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}
EXPENDITURE_KINDS = (LineKind.REAL, LineKind.UNIT, LineKind.LUMP_SUM)


def _client_ip(request: AuthedRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def _refused(request: AuthedRequest, claim: Claim | None, reason: str) -> HttpResponse:
    """403 with the reason, for someone who may see the claim but not take this step."""
    context = {"claim": claim, "reason": reason}
    return render(request, "claims/refused.html", context, status=403)


def _visible_claim(request: AuthedRequest, pk: int) -> Claim:
    """The claim if the person may see it (404 otherwise: to them it does not exist)."""
    return get_visible_or_404(
        selectors.claims_for(request.user),
        may_see=lambda claim: permissions.can_view_claim(request.user, claim),
        pk=pk,
    )


# The list ----------------------------------------------------------------------------------------


def _startable(request: AuthedRequest, claims_by_pair: set[tuple[int, int]]) -> list[dict]:
    """Periods (begun) of the programmes of the person's cities whose claim is not started."""
    user = request.user
    city_ids = scopes_of(user).city_ids(Role.OFFICER, Role.SUPERVISOR)
    if not city_ids:
        return []
    today = today_for(user)
    participations = Participation.objects.filter(city_id__in=city_ids).select_related("city")
    cities_of_programme: dict[int, list[City]] = defaultdict(list)
    for participation in participations:
        cities_of_programme[participation.programme_id].append(participation.city)
    periods = ReportingPeriod.objects.filter(
        programme_id__in=list(cities_of_programme), starts_on__lte=today
    ).select_related("programme")
    return [
        {"period": period, "city": city, "overdue": period.deadline < today}
        for period in periods.order_by("programme__name", "number")
        for city in sorted(cities_of_programme[period.programme_id], key=lambda c: c.name)
        if (city.pk, period.pk) not in claims_by_pair
    ]


@login_required
@require_safe
def claim_list(request: AuthedRequest) -> HttpResponse:
    user = request.user
    visible = selectors.claims_for(user)
    scopes = scopes_of(user)
    programme_ids = set(scopes.coordinated) | set(
        Participation.objects.filter(
            city_id__in=scopes.city_ids(Role.OFFICER, Role.SUPERVISOR)
        ).values_list("programme_id", flat=True)
    )
    filter_form = ClaimFilterForm(
        request.GET or None,
        periods=ReportingPeriod.objects.filter(
            Q(programme_id__in=programme_ids) | Q(pk__in=visible.values("period_id"))
        )
        .select_related("programme")
        .order_by("programme__name", "number"),
        cities=City.objects.filter(pk__in=visible.values("city_id")).order_by("name"),
    )
    listed = filter_form.narrow(visible).order_by(
        "programme__name", "period__number", "city__name", "pk"
    )
    page = paginate(request, listed, CLAIMS_PER_PAGE)
    claims = list(page)
    figures = selectors.figures_of_claims(claims)
    today = today_for(user)
    groups: list[dict] = []
    for claim in claims:
        if not groups or groups[-1]["period"].pk != claim.period_id:
            groups.append({"period": claim.period, "programme": claim.programme, "rows": []})
        groups[-1]["rows"].append(
            {
                "claim": claim,
                "figures": figures[claim.pk],
                "overdue": claim.status in EDITABLE and claim.period.deadline < today,
                "certified": claim.status == ClaimStatus.CERTIFIED,
            }
        )
    pairs = set(
        selectors.claims_for(user).values_list("city_id", "period_id")
        if scopes.city_ids(Role.OFFICER, Role.SUPERVISOR)
        else []
    )
    context = {
        "filter_form": filter_form,
        "groups": groups,
        "page": page,
        "query": query_without_page(request),
        "startable": _startable(request, pairs),
    }
    status = 400 if filter_form.is_bound and filter_form.errors else 200
    return render(request, "claims/list.html", context, status=status)


@login_required
@require_POST
def claim_start(request: AuthedRequest, period: int, city: int) -> HttpResponse:
    """Start (or open) the city's claim for the period: the city's officers and supervisors."""
    user = request.user
    period_obj = get_object_or_404(ReportingPeriod.objects.select_related("programme"), pk=period)
    city_obj = get_object_or_404(
        City.objects.filter(participations__programme_id=period_obj.programme_id), pk=city
    )
    ok, reason = permissions.can_start_claim(user, city_obj.pk, period_obj.programme_id)
    if not ok:
        if permissions.coordinates(user, period_obj.programme_id):
            return _refused(request, None, reason)
        raise Http404
    try:
        claim = claim_open(period=period_obj, city=city_obj, by=user)
    except ValidationError as error:
        return _refused(request, None, " ".join(error.messages))
    return redirect(claim)


# One claim ---------------------------------------------------------------------------------------


def _sections(figures: selectors.ClaimFigures) -> list[dict]:
    """The claim's lines by category, each category's lines by what they are (staff months,
    expenditure, flat rates), with the category's totals."""
    labels = dict(Category.choices)
    by_category: dict[str, dict[str, list]] = {}
    for line in figures.lines:
        group = (
            "staff"
            if line.kind == LineKind.STAFF
            else "flat"
            if line.kind == LineKind.FLAT_RATE
            else "expenditure"
        )
        by_category.setdefault(line.category, {}).setdefault(group, []).append(
            {"line": line, "amount": figures.shown(line), "certified": figures.certified(line)}
        )
    totals = figures.totals
    return [
        {
            "category": category,
            "label": labels[category],
            "staff": by_category[category].get("staff", []),
            "expenditure": by_category[category].get("expenditure", []),
            "flat": by_category[category].get("flat", []),
            "claimed": totals.claimed[category],
            "certified": totals.certified[category],
            "deducted": totals.deducted[category],
        }
        for category in selectors.CATEGORY_ORDER
        if category in by_category
    ]


def _claim_context(request: AuthedRequest, claim: Claim) -> dict:
    user = request.user
    figures = selectors.claim_figures(claim)
    workflow = permissions.CLAIM_WORKFLOW
    city_person = permissions.acts_for_city(user, claim.city_id)
    coordinator = permissions.coordinates(user, claim.programme_id)
    can_edit, edit_refusal = permissions.can_edit_claim(user, claim)
    actions = []
    for name, concerns in (("submit", city_person), ("reopen", coordinator)):
        transition = workflow[name]
        if claim.status not in transition.source and not (name == "submit" and city_person):
            continue
        if not concerns:
            continue
        allowed, reason = workflow.allowed(user, claim, name)
        actions.append(
            {
                "name": name,
                "label": transition.label,
                "help": transition.help,
                "allowed": allowed,
                "reason": reason,
                "url": f"claims:{name}",
            }
        )
    staff_total = figures.totals.claimed.get(Category.STAFF)
    return {
        "claim": claim,
        "figures": figures,
        "sections": _sections(figures),
        "staff_total": staff_total,
        "own_percent": figures.co_financing.own_rate * 100,
        "cumulative": selectors.cumulative_of(figures),
        "actions": actions,
        "can_edit": can_edit,
        "edit_refusal": edit_refusal if city_person else "",
        "overdue": claim.status in EDITABLE and claim.period.deadline < today_for(user),
        "log": list(claim.log.select_related("actor")),
        "certified_shown": claim.status == ClaimStatus.CERTIFIED,
    }


@login_required
@require_safe
def claim_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    claim = _visible_claim(request, pk)
    return render(request, "claims/claim.html", _claim_context(request, claim))


@login_required
@require_safe
def claim_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """The claim's lines with their figures and totals, as on the page."""
    if fmt not in EXPORT_TYPES:
        raise Http404
    claim = _visible_claim(request, pk)
    figures = selectors.claim_figures(claim)
    content = exports.write_xlsx(figures) if fmt == "xlsx" else exports.write_csv(figures)
    response = HttpResponse(content, content_type=EXPORT_TYPES[fmt])
    name = f"claim-{claim.city.slug}-period-{claim.period.number}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# Expenditure lines -------------------------------------------------------------------------------


def _editable_claim(request: AuthedRequest, pk: int) -> tuple[Claim, HttpResponse | None]:
    claim = _visible_claim(request, pk)
    ok, reason = permissions.can_edit_claim(request.user, claim)
    return claim, None if ok else _refused(request, claim, reason)


def _line_page(request, claim: Claim, form: LineForm, line: ClaimLine | None) -> HttpResponse:
    status = 200
    if form.is_bound and form.errors:
        status = 409 if stale.was_refused(form) else 400
    context = {"claim": claim, "form": form, "line": line}
    return render(request, "claims/line_form.html", context, status=status)


def _save_line(request, claim: Claim, form: LineForm, line: ClaimLine) -> HttpResponse:
    line = form.fill(line)
    try:
        saved = line_save_with_receipt(
            claim=claim,
            line=line,
            by=request.user,
            version=stale.expected(form),
            receipt=form.cleaned_data.get("receipt") or None,
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _line_page(request, claim, form, line if line.pk else None)
    messages.success(request, _("Saved the line “%(line)s”.") % {"line": saved})
    return redirect(claim)


@login_required
@GET_AND_POST
def line_create(request: AuthedRequest, pk: int) -> HttpResponse:
    claim, refused = _editable_claim(request, pk)
    if refused:
        return refused
    form = LineForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        claim=claim,
    )
    if request.method == "POST" and form.is_valid():
        return _save_line(request, claim, form, ClaimLine(claim=claim))
    return _line_page(request, claim, form, None)


def _expenditure_line(request: AuthedRequest, pk: int) -> ClaimLine:
    line = get_object_or_404(ClaimLine.objects.select_related("receipt"), pk=pk)
    _visible_claim(request, line.claim_id)
    if line.kind not in EXPENDITURE_KINDS:
        raise Http404
    return line


@login_required
@GET_AND_POST
def line_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    line = _expenditure_line(request, pk)
    claim, refused = _editable_claim(request, line.claim_id)
    if refused:
        return refused
    form = LineForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        claim=claim,
        line=line,
    )
    stale.track(form, line)
    if request.method == "POST" and form.is_valid():
        return _save_line(request, claim, form, line)
    return _line_page(request, claim, form, line)


@login_required
@GET_AND_POST
def line_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    line = _expenditure_line(request, pk)
    claim, refused = _editable_claim(request, line.claim_id)
    if refused:
        return refused
    if request.method == "POST":
        try:
            line_delete(line=line, by=request.user, version=request.POST.get("version") or None)
        except ValidationError as error:
            if not stale.is_stale(error):
                return _refused(request, claim, " ".join(error.messages))
            # Changed since the page was drawn: show the line as it is now, to confirm again.
            line.refresh_from_db()
            context = {
                "claim": claim,
                "line": line,
                "version": stale.version_of(line),
                "stale": " ".join(error.messages),
            }
            return render(request, "claims/line_delete.html", context, status=409)
        messages.success(request, _("Removed the line “%(line)s”.") % {"line": line})
        return redirect(claim)
    context = {"claim": claim, "line": line, "version": stale.version_of(line)}
    return render(request, "claims/line_delete.html", context)


@login_required
@require_safe
def receipt(request: AuthedRequest, pk: int) -> HttpResponseBase:
    """A line's receipt, for whoever may see its claim."""
    line = get_object_or_404(ClaimLine.objects.select_related("receipt"), pk=pk)
    _visible_claim(request, line.claim_id)
    if line.receipt is None:
        raise Http404
    stored = line.receipt
    try:
        response = file_response(
            stored.file,
            filename=line.receipt_name or stored.filename,
            content_type=stored.content_type,
        )
    except FileNotFoundError:
        raise Http404 from None
    response["X-Content-SHA256"] = stored.sha256
    return response


# Signing and reopening ---------------------------------------------------------------------------


def _submit_context(request: AuthedRequest, claim: Claim, form: SignForm, errors: list) -> dict:
    figures = selectors.claim_figures(claim)
    return {
        "can_sign": permissions.CLAIM_WORKFLOW.allowed(request.user, claim, "submit")[0],
        "claim": claim,
        "figures": figures,
        "sections": _sections(figures),
        "form": form,
        "errors": errors,
        "lines": len(figures.lines),
    }


@login_required
@GET_AND_POST
def claim_submit_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """What the supervisor signs, and the signature (a POST of the claim's version)."""
    claim = _visible_claim(request, pk)
    ok, reason = permissions.CLAIM_WORKFLOW["submit"].allowed(request.user, claim)
    if not ok:
        return _refused(request, claim, reason)
    if request.method != "POST":
        state_ok, state_reason = permissions.CLAIM_WORKFLOW.allowed(request.user, claim, "submit")
        if state_ok:
            # What is shown is what is signed: the approved months as they are now.
            claim = claim_open(period=claim.period, city=claim.city, by=request.user)
        form = SignForm(initial={"version": claim.version})
        errors = [] if state_ok else [state_reason]
        context = _submit_context(request, claim, form, errors)
        return render(request, "claims/submit.html", context)
    form = SignForm(request.POST)
    form.is_valid()
    try:
        claim_submit(
            claim,
            by=request.user,
            ip_address=_client_ip(request),
            version=form.cleaned_data.get("version") or None,
        )
    except ValidationError as error:
        claim.refresh_from_db()
        form = SignForm(initial={"version": claim.version})
        context = _submit_context(request, claim, form, error.messages)
        status = 409 if stale.is_stale(error) else 400
        return render(request, "claims/submit.html", context, status=status)
    messages.success(request, str(permissions.CLAIM_WORKFLOW["submit"].done))
    return redirect(claim)


@login_required
@GET_AND_POST
def claim_reopen_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """A coordinator reopens a claim, saying why."""
    claim = _visible_claim(request, pk)
    ok, reason = permissions.CLAIM_WORKFLOW["reopen"].allowed(request.user, claim)
    if not ok:
        return _refused(request, claim, reason)
    form = ReopenForm(request.POST if request.method == "POST" else None)
    state_ok, state_reason = permissions.CLAIM_WORKFLOW.allowed(request.user, claim, "reopen")
    if request.method == "POST" and form.is_valid():
        try:
            claim_reopen(
                claim,
                by=request.user,
                reason=form.cleaned_data["reason"],
                ip_address=_client_ip(request),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, str(permissions.CLAIM_WORKFLOW["reopen"].done))
            return redirect(claim)
    context = {"claim": claim, "form": form, "state_refusal": "" if state_ok else state_reason}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "claims/reopen.html", context, status=status)
