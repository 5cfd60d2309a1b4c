"""Review pages of staff time: one month with its signatures, the supervisors' approval queue,
rates, and the days-used dashboards.

Views look up what the person may see (404 beyond that), ask reporting.permissions (403 where
the object is visible but the action is not theirs), call one service and turn its
ValidationError into messages on the page (400).
"""

from collections import defaultdict
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role, User
from accounts.selectors import scopes_of, today_for
from cities.models import City
from cities.selectors import cities_of
from config import stale
from config.views import (
    add_service_errors,
    get_visible_or_404,
    paginate,
    query_without_page,
    render_form,
)
from mentoring.models import CostModel, Programme
from mentoring.selectors.programmes import programme_context
from mentoring.views.scoping import filters_for_current_programme

from .. import permissions, selectors, services
from ..costs import EU_FIGURES, CostFigures
from ..forms.review import (
    ApprovalFilterForm,
    ApproveSelectedForm,
    CitySearchForm,
    ExchangeRateForm,
    RateFilterForm,
    ReopenForm,
    ReturnForm,
    SignForm,
    StaffRateForm,
)
from ..models import Activity, ExchangeRate, MonthStatus, StaffRate, TimesheetMonth

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])
APPROVALS_PER_PAGE = 100
RATES_PER_PAGE = 50
DASHBOARD_CITIES_PER_PAGE = 25


def _client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


# One month ---------------------------------------------------------------------------------------


def _visible_month(request: HttpRequest, pk: int) -> TimesheetMonth:
    """The timesheet if the person may open it (their own, their city's, their programme's)."""
    return get_visible_or_404(
        selectors.months_visible_to(request.user),
        may_see=lambda sheet: permissions.can_view_month(request.user, sheet),
        pk=pk,
    )


def _may(name: str):
    """Whether the person has the part in the month that this signature needs (403 if not); the
    month's state is the service's to refuse, with its message."""
    rule = permissions.MONTH_WORKFLOW[name].allowed
    return lambda user, sheet: rule(user, sheet)[0]


def _can(user: User, sheet: TimesheetMonth, name: str) -> bool:
    return permissions.MONTH_WORKFLOW.allowed(user, sheet, name)[0]


def _month_context(request: HttpRequest, sheet: TimesheetMonth, **forms) -> dict:
    user = request.user
    entries = list(selectors.month_entries(sheet))
    by_activity: dict[str, Decimal] = defaultdict(Decimal)
    for entry in entries:
        by_activity[entry.activity] += entry.hours
    labels = dict(Activity.choices)
    activity_totals = [
        (labels[value], by_activity[value]) for value in Activity.values if value in by_activity
    ]
    total = sum(by_activity.values(), Decimal(0))
    approved = sheet.status == MonthStatus.APPROVED
    # Rates and costs are personal data: the person, the city's supervisors and the
    # programme's coordinators, who are also the only ones who can open the month.
    show_costs = approved and permissions.can_view_month(user, sheet)
    costs = selectors.month_costs(sheet) if show_costs else None
    failed = next((form for form in forms.values() if form.errors), None)
    action_errors = (
        [message for messages_ in failed.errors.values() for message in messages_]
        if failed is not None
        else []
    )
    return {
        "sheet": sheet,
        "entries": entries,
        "activity_totals": activity_totals,
        "total_hours": total,
        "log": list(sheet.log.select_related("actor")),
        "is_person": sheet.person_id == user.pk,
        "show_costs": show_costs,
        "is_daily": sheet.cost_model == CostModel.DAILY,
        "share_percent": sheet.working_time_share * 100 if show_costs else None,
        "day_equivalents": costs.day_equivalents if costs else None,
        "cost": costs.cost if costs else None,
        "can_submit": _can(user, sheet, "submit"),
        "can_decide": _can(user, sheet, "approve"),
        "can_reopen": _can(user, sheet, "reopen"),
        "return_form": forms["return_form"] if "return_form" in forms else ReturnForm(),
        "reopen_form": forms["reopen_form"] if "reopen_form" in forms else ReopenForm(),
        "action_errors": action_errors,
    }


@login_required
@require_safe
def month_detail(request: HttpRequest, pk: int) -> HttpResponse:
    sheet = _visible_month(request, pk)
    return render(request, "reporting/review/month.html", _month_context(request, sheet))


def _month_action(request, pk, *, allowed, form_class, form_key, run, done) -> HttpResponse:
    """The shared shape of the four signatures: check, run the service, answer."""
    sheet = _visible_month(request, pk)
    if not allowed(request.user, sheet):
        raise PermissionDenied
    form = form_class(request.POST)
    if form.is_valid():
        try:
            run(sheet, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            month = date_format(sheet.month, "YEAR_MONTH_FORMAT")
            messages.success(request, done % {"person": sheet.person, "month": month})
            return redirect(sheet)
    context = _month_context(request, sheet, **{form_key: form})
    return render(request, "reporting/review/month.html", context, status=400)


@login_required
@require_POST
def month_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _month_action(
        request,
        pk,
        allowed=_may("submit"),
        form_class=SignForm,
        form_key="submit_form",
        run=lambda sheet, data: services.month_submit(
            sheet, by=request.user, ip_address=_client_ip(request), today=today_for(request.user)
        ),
        done=_("You signed your timesheet of %(month)s; it went to your supervisor."),
    )


@login_required
@require_POST
def month_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _month_action(
        request,
        pk,
        allowed=_may("approve"),
        form_class=SignForm,
        form_key="approve_form",
        run=lambda sheet, data: services.month_approve(
            sheet, by=request.user, ip_address=_client_ip(request)
        ),
        done=_("You approved the timesheet of %(person)s for %(month)s."),
    )


@login_required
@require_POST
def month_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _month_action(
        request,
        pk,
        allowed=_may("return"),
        form_class=ReturnForm,
        form_key="return_form",
        run=lambda sheet, data: services.month_return(
            sheet, by=request.user, comment=data["comment"], ip_address=_client_ip(request)
        ),
        done=_("You returned the timesheet of %(person)s for %(month)s with your comment."),
    )


@login_required
@require_POST
def month_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _month_action(
        request,
        pk,
        allowed=_may("reopen"),
        form_class=ReopenForm,
        form_key="reopen_form",
        run=lambda sheet, data: services.month_reopen(
            sheet, by=request.user, reason=data["reason"], ip_address=_client_ip(request)
        ),
        done=_("The timesheet of %(person)s for %(month)s is open again."),
    )


# Approval queue ----------------------------------------------------------------------------------


@login_required
@GET_AND_POST
def approvals(request: HttpRequest) -> HttpResponse:
    """Submitted months of the supervisor's cities, oldest month first, to approve in bulk."""
    user = request.user
    supervised = scopes_of(user).city_ids(Role.SUPERVISOR)
    if not supervised:
        raise PermissionDenied

    # A supervisor of cities in several programmes sees the one they work in unless they ask
    # for another or for all (an empty programme).
    def filters(data):
        return ApprovalFilterForm(
            data,
            programmes=Programme.objects.filter(participations__city__in=supervised)
            .distinct()
            .order_by("name"),
            people=User.objects.filter(
                memberships__role__in=[Role.OFFICER, Role.SUPERVISOR],
                memberships__city__in=supervised,
            )
            .exclude(pk=user.pk)
            .distinct()
            .order_by("full_name", "email"),
        )

    filter_form = filters(filters_for_current_programme(request))
    if "programme" not in request.GET and "programme" in filter_form.errors:
        # The programme they work in has none of their supervised cities: show them all.
        filter_form = filters(request.GET or None)
    form = ApproveSelectedForm(
        request.POST if request.method == "POST" else None,
        months=selectors.months_visible_to(user),
    )
    result = None
    if request.method == "POST" and form.is_valid():
        chosen = sorted(
            form.cleaned_data["months"], key=lambda s: (s.month, s.city.name, str(s.person))
        )
        approved, refused = services.months_approve(chosen, by=user, ip_address=_client_ip(request))
        result = {"approved": approved, "refused": list(refused.items())}
        form = ApproveSelectedForm(months=selectors.months_visible_to(user))
    has_rate = StaffRate.objects.filter(
        person=OuterRef("person"), city=OuterRef("city"), year=ExtractYear(OuterRef("month"))
    )
    queue = filter_form.narrow(selectors.approval_queue(user).annotate(has_rate=Exists(has_rate)))
    context = {
        "filter_form": filter_form,
        "form": form,
        "page": paginate(request, queue, APPROVALS_PER_PAGE),
        "query": query_without_page(request),
        "ticked": set(request.POST.getlist("months")) if form.is_bound else set(),
        "result": result,
        "programme": filter_form.cleaned_data.get("programme") if filter_form.is_valid() else None,
        # Paper months from before Tandem come in through an import per city.
        "import_cities": cities_of(user, Role.SUPERVISOR),
    }
    status = 400 if form.errors or (filter_form.is_bound and filter_form.errors) else 200
    return render(request, "reporting/review/approvals.html", context, status=status)


# Rates -------------------------------------------------------------------------------------------


def _managed_cities(user: User) -> QuerySet:
    """Cities whose rates the person enters: the ones they supervise, and every city of the
    programmes they coordinate (the same rule as permissions.can_manage_rates)."""
    scopes = scopes_of(user)
    return (
        City.objects.filter(
            Q(pk__in=scopes.city_ids(Role.SUPERVISOR))
            | Q(participations__programme__in=scopes.coordinated)
        )
        .distinct()
        .order_by("name")
    )


def _staff_of(cities) -> QuerySet:
    return (
        User.objects.filter(
            memberships__role__in=[Role.OFFICER, Role.SUPERVISOR], memberships__city__in=cities
        )
        .distinct()
        .order_by("full_name", "email")
    )


@login_required
@require_safe
def rates(request: HttpRequest) -> HttpResponse:
    user = request.user
    managed = set(_managed_cities(user).values_list("pk", flat=True))
    visible = selectors.rates_visible_to(user)
    # Someone in several programmes sees the rates of the cities of the one they work in
    # unless they ask for another or for all.
    filter_form = RateFilterForm(
        filters_for_current_programme(request),
        cities=City.objects.filter(pk__in=visible.values("city")).order_by("name"),
        programmes=programme_context(user).programmes,
    )
    listed = filter_form.narrow(visible).order_by(
        "-year", "city__name", "person__full_name", "person__email", "pk"
    )
    page = paginate(request, listed, RATES_PER_PAGE)
    programmes = selectors.cost_figures_of_cities({rate.city_id for rate in page})
    rows = [
        {
            "rate": rate,
            "currency": rate.currency or currency,
            "productive_hours": figures.productive_hours,
            "hourly_rate": figures.hourly,
            "daily_rate": figures.daily,
            "share_percent": rate.working_time_share * 100,
            "can_edit": rate.city_id in managed,
        }
        for rate in page
        for cost_figures, currency in [programmes.get(rate.city_id, (EU_FIGURES, "EUR"))]
        for figures in [selectors.rate_figures(rate, cost_figures)]
    ]
    context = {
        "filter_form": filter_form,
        "page": page,
        "rows": rows,
        "query": query_without_page(request),
        "can_create": bool(managed),
        "programme": filter_form.programme(),
    }
    return render_form(request, "reporting/review/rates.html", context | {"form": filter_form})


@login_required
@GET_AND_POST
def rate_create(request: HttpRequest) -> HttpResponse:
    user = request.user
    cities = _managed_cities(user)
    if not cities.exists():
        raise PermissionDenied
    initial = {"year": today_for(user).year}
    people_cities = cities
    if city_param := request.GET.get("city", "").strip():
        if not city_param.isdigit():
            raise Http404
        city = get_object_or_404(cities, pk=city_param)
        initial["city"] = city.pk
        people_cities = City.objects.filter(pk=city.pk)
    form = StaffRateForm(
        request.POST if request.method == "POST" else None,
        cities=cities,
        people=_staff_of(people_cities),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        return _save_rate(request, form, None)
    return _rate_page(request, form, None)


@login_required
@GET_AND_POST
def rate_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    rate = get_object_or_404(selectors.rates_visible_to(user), pk=pk)
    if not permissions.can_manage_rates(user, rate.city_id):
        raise PermissionDenied
    form = StaffRateForm(
        request.POST if request.method == "POST" else None,
        cities=City.objects.all(),
        people=User.objects.none(),
        rate=rate,
    )
    stale.track(form, rate)
    if request.method == "POST" and form.is_valid():
        return _save_rate(request, form, rate)
    return _rate_page(request, form, rate)


def _rate_page(request: HttpRequest, form: StaffRateForm, rate: StaffRate | None) -> HttpResponse:
    approved_months = (
        TimesheetMonth.objects.filter(
            person=rate.person_id,
            city=rate.city_id,
            month__year=rate.year,
            status=MonthStatus.APPROVED,
        ).count()
        if rate is not None
        else None
    )
    context = {"form": form, "rate": rate, "approved_months": approved_months}
    return render_form(request, "reporting/review/rate_form.html", context)


def _save_rate(request: HttpRequest, form: StaffRateForm, rate: StaffRate | None) -> HttpResponse:
    data = form.cleaned_data
    try:
        saved = services.staff_rate_save(
            person=data["person"],
            city=data["city"],
            year=data["year"],
            annual_costs=data["annual_costs"],
            working_time_share=data["working_time_share"],
            currency=data.get("currency") or "",
            by=request.user,
            new=rate is None,
            expected_version=stale.expected(form),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return _rate_page(request, form, rate)
    messages.success(
        request,
        _("Saved the %(year)s rate of %(person)s in %(city)s.")
        % {"year": saved.year, "person": saved.person, "city": saved.city},
    )
    return redirect(f"{reverse('reporting:rates')}?city={saved.city_id}")


# Exchange rates ----------------------------------------------------------------------------------


def _exchange_programme(request: HttpRequest, slug: str) -> Programme:
    programme = get_visible_or_404(Programme.objects.all(), slug=slug)
    allowed, _reason = permissions.can_manage_exchange_rates(request.user, programme)
    if not allowed:
        raise PermissionDenied
    return programme


@login_required
@GET_AND_POST
def exchange_rates(request: HttpRequest, programme: str) -> HttpResponse:
    """The programme's monthly exchange rates, and a form to add one: for its coordinators."""
    programme = _exchange_programme(request, programme)
    form = ExchangeRateForm(
        request.POST if request.method == "POST" else None,
        programme_currency=programme.currency,
    )
    if request.method == "POST" and form.is_valid():
        saved = _save_exchange_rate(request, form, programme, None)
        if saved is not None:
            return saved
    return _exchange_rates_page(request, programme, form)


def _exchange_rates_page(request, programme: Programme, form: ExchangeRateForm) -> HttpResponse:
    rates = selectors.exchange_rates_of(programme).order_by("currency", "-month")
    page = paginate(request, rates, RATES_PER_PAGE)
    context = {"programme": programme, "form": form, "page": page, "rates": list(page)}
    return render_form(request, "reporting/review/exchange_rates.html", context)


@login_required
@GET_AND_POST
def exchange_rate_edit(request: HttpRequest, programme: str, pk: int) -> HttpResponse:
    programme = _exchange_programme(request, programme)
    rate = get_object_or_404(ExchangeRate, pk=pk, programme=programme)
    form = ExchangeRateForm(
        request.POST if request.method == "POST" else None,
        instance=rate,
        programme_currency=programme.currency,
    )
    stale.track(form, rate)
    if request.method == "POST" and form.is_valid():
        saved = _save_exchange_rate(request, form, programme, rate)
        if saved is not None:
            return saved
    context = {"programme": programme, "form": form, "rate": rate}
    return render_form(request, "reporting/review/exchange_rate_form.html", context)


def _save_exchange_rate(
    request: HttpRequest, form: ExchangeRateForm, programme: Programme, rate: ExchangeRate | None
) -> HttpResponse | None:
    data = form.cleaned_data
    try:
        saved = services.exchange_rate_save(
            programme=programme,
            currency=data["currency"],
            month=data["month"],
            rate=data["rate"],
            source=data["source"],
            by=request.user,
            exchange_rate=None if rate is None else ExchangeRate.objects.get(pk=rate.pk),
            expected_version=stale.expected(form),
        )
    except ValidationError as error:
        add_service_errors(form, error)
        return None
    messages.success(
        request,
        _("Saved the %(currency)s rate of %(month)s.")
        % {"currency": saved.currency, "month": f"{saved.month:%Y-%m}"},
    )
    return redirect("reporting:exchange_rates", programme=programme.slug)


# Dashboards --------------------------------------------------------------------------------------

CHART_WIDTH = 640
CHART_LABEL_WIDTH = 170
CHART_VALUE_WIDTH = 110
CHART_ROW_HEIGHT = 34
CHART_BAR_HEIGHT = 20
CHART_TOP = 8


def _number(value) -> str:
    """SVG geometry, never localised: 12.50."""
    return f"{float(value):.2f}"


def _chart(rows: list[dict], allowance: int) -> dict:
    """Bar geometry for the days chart: recorded days as a light bar, approved days as a dark
    bar over it, the allowance as a line. Widths are SVG attributes, so no inline style."""
    scale_max = max(
        [Decimal(allowance), Decimal(1), *(Decimal(row["recorded_days"]) for row in rows)]
    )
    area = CHART_WIDTH - CHART_LABEL_WIDTH - CHART_VALUE_WIDTH

    def width(days) -> str:
        return _number(Decimal(days) / scale_max * area)

    bars = []
    for index, row in enumerate(rows):
        y = CHART_TOP + index * CHART_ROW_HEIGHT
        recorded_width = Decimal(width(row["recorded_days"]))
        bars.append(
            {
                "row": row,
                "y": _number(y),
                "text_y": _number(y + CHART_BAR_HEIGHT * 0.75),
                "recorded_width": _number(recorded_width),
                "approved_width": width(row["approved_days"]),
                "value_x": _number(CHART_LABEL_WIDTH + recorded_width + 6),
            }
        )
    height = CHART_TOP * 2 + max(len(rows), 1) * CHART_ROW_HEIGHT
    allowance_x = CHART_LABEL_WIDTH + Decimal(allowance) / scale_max * area
    return {
        "bars": bars,
        "width": str(CHART_WIDTH),
        "height": str(height),
        "bar_x": str(CHART_LABEL_WIDTH),
        "label_x": str(CHART_LABEL_WIDTH - 8),
        "bar_height": str(CHART_BAR_HEIGHT),
        "allowance_x": _number(allowance_x),
        "allowance_bottom": _number(height - CHART_TOP),
    }


@login_required
@require_safe
def programme_dashboard(request: HttpRequest, programme: str) -> HttpResponse:
    """Days used against the allowance: the programme's approved days, and per city (a page of
    them, found by name) approved and recorded days. For the programme's coordinators."""
    programme = get_visible_or_404(Programme.objects.all(), slug=programme)
    if not permissions.can_view_programme_staff_time(request.user, programme):
        raise PermissionDenied
    search = CitySearchForm(request.GET or None)
    cities = selectors.programme_cities(programme, search=search.text())
    page = paginate(request, cities, DASHBOARD_CITIES_PER_PAGE)
    rows = selectors.days_by_city(programme, list(page))
    allowance = programme.staff_days_allowance
    context = {
        "programme": programme,
        "search": search,
        "page": page,
        "query": query_without_page(request),
        "rows": rows,
        "chart": _chart(rows, allowance),
        "allowance": allowance,
        "totals": selectors.programme_days(programme),
    }
    return render(request, "reporting/review/programme_dashboard.html", context)


@login_required
@require_safe
def city_dashboard(request: HttpRequest, programme: str, city: int) -> HttpResponse:
    """Days used per person of one city, and the city's total against its allowance."""
    programme = get_visible_or_404(Programme.objects.all(), slug=programme)
    city = get_object_or_404(City, pk=city, participations__programme=programme)
    if not permissions.can_view_city_staff_time(request.user, city.pk, programme):
        raise Http404
    people = selectors.days_by_person(programme, city)
    allowance = programme.staff_days_allowance
    total = selectors.days_totals(people, allowance, CostFigures.of(programme)) | {
        "label": _("All of %(city)s") % {"city": city}
    }
    context = {
        "programme": programme,
        "city": city,
        "rows": people,
        "total": total,
        "chart": _chart([*people, total], allowance),
        "allowance": allowance,
        "can_view_programme": permissions.can_view_programme_staff_time(request.user, programme),
        "can_import": permissions.can_import_months(request.user, city)[0],
    }
    return render(request, "reporting/review/city_dashboard.html", context)
