"""The programme's claim set-up, for its coordinators: rules, reporting periods, cost options,
city budgets, the verification checklist and the controllers' assignments.

Each page takes the programme's slug (an old slug is redirected); anyone who is not a
coordinator of the programme is refused with the reason (403). A form's errors, the services'
included, show on its fields with what was typed kept (400), a save from an outdated page is
refused (409)."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import Role
from accounts.selectors import today_for
from config import stale
from config.views import add_service_errors, get_visible_or_404, render_form
from mentoring.models import Programme

from .. import permissions
from ..forms.setup import (
    AssignmentForm,
    BudgetsForm,
    CostOptionForm,
    PeriodForm,
    PeriodsGenerateForm,
    QuestionForm,
    RulesForm,
)
from ..models import (
    AutoCheck,
    Category,
    ChecklistQuestion,
    CityBudget,
    Claim,
    ControlAssignment,
    CostOption,
    ReportingPeriod,
)
from ..selectors import rules_of
from ..services import setup as services

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])


def service_errors(form: BaseForm, error: ValidationError) -> None:
    """The service's messages on the form's fields (``config.views.add_service_errors``)."""
    add_service_errors(form, error)  # type: ignore[arg-type]


def refused(request, reason: str) -> HttpResponse:
    return render(request, "claims/refused.html", {"reason": reason}, status=403)


def for_coordinators(view):
    """The view gets the programme named by the slug, for its coordinators only."""

    @wraps(view)
    @login_required
    def wrapper(request, programme: str, **kwargs) -> HttpResponse:
        found = get_visible_or_404(Programme.objects.all(), slug=programme)
        allowed, reason = permissions.can_manage_claims_setup(request.user, found.pk)
        if not allowed:
            return refused(request, reason)
        return view(request, found, **kwargs)

    return wrapper


def _data(request):
    return request.POST if request.method == "POST" else None


def _page(request, template: str, programme: Programme, **context) -> HttpResponse:
    return render_form(request, template, {"programme": programme, **context})


# The set-up page and the rules -----------------------------------------------------------------


@for_coordinators
@require_safe
def setup(request, programme: Programme) -> HttpResponse:
    rules = rules_of(programme)
    form = RulesForm(instance=rules)
    stale.track(form, rules if rules.pk else None)
    counts = {
        "periods": ReportingPeriod.objects.filter(programme=programme).count(),
        "cost_options": CostOption.objects.filter(programme=programme, active=True).count(),
        "budgets": CityBudget.objects.filter(programme=programme).count(),
        "questions": ChecklistQuestion.objects.filter(programme=programme).count(),
        "assignments": ControlAssignment.objects.filter(programme=programme).count(),
    }
    return render(
        request,
        "claims/setup/setup.html",
        {"programme": programme, "rules": rules, "form": form, "counts": counts},
    )


@for_coordinators
@GET_AND_POST
def rules(request, programme: Programme) -> HttpResponse:
    current = rules_of(programme)
    form = RulesForm(_data(request), instance=current)
    stale.track(form, current if current.pk else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.rules_save(
                programme=programme,
                burn_warning_percent=form.cleaned_data["burn_warning_percent"],
                sample_percent=form.cleaned_data["sample_percent"],
                by=request.user,
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Saved the claim rules."))
            return redirect("claims:setup", programme=programme.slug)
    return _page(request, "claims/setup/rules.html", programme, form=form)


# Reporting periods -----------------------------------------------------------------------------


@for_coordinators
@require_safe
def periods(request, programme: Programme) -> HttpResponse:
    listed = ReportingPeriod.objects.filter(programme=programme).order_by("number")
    used = set(
        Claim.objects.filter(programme=programme).values_list("period_id", flat=True).distinct()
    )
    generate = PeriodsGenerateForm()
    context = {"programme": programme, "periods": listed, "used": used, "generate": generate}
    return render(request, "claims/setup/periods.html", context)


@for_coordinators
@GET_AND_POST
def periods_generate(request, programme: Programme) -> HttpResponse:
    form = PeriodsGenerateForm(_data(request))
    if request.method == "POST" and form.is_valid():
        try:
            made = services.periods_generate(
                programme=programme,
                months=form.cleaned_data["months"],
                deadline_days=form.cleaned_data["deadline_days"],
                by=request.user,
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(
                request, _("The programme now has %(count)s periods.") % {"count": len(made)}
            )
            return redirect("claims:periods", programme=programme.slug)
    return _page(request, "claims/setup/periods_generate.html", programme, form=form)


def _period_form(request, programme: Programme, period: ReportingPeriod | None) -> HttpResponse:
    if period is None:
        last = ReportingPeriod.objects.filter(programme=programme).order_by("-number").first()
        initial = {"number": last.number + 1 if last else 1}
        form = PeriodForm(_data(request), initial=initial)
    else:
        form = PeriodForm(_data(request), instance=period)
        stale.track(form, period)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.period_save(
                programme=programme,
                period=period,
                number=data["number"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                deadline=data["deadline"],
                by=request.user,
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Saved %(period)s.") % {"period": saved})
            return redirect("claims:periods", programme=programme.slug)
    has_claims = period is not None and Claim.objects.filter(period=period).exists()
    return _page(
        request,
        "claims/setup/period_form.html",
        programme,
        form=form,
        period=period,
        has_claims=has_claims,
    )


@for_coordinators
@GET_AND_POST
def period_create(request, programme: Programme) -> HttpResponse:
    return _period_form(request, programme, None)


@for_coordinators
@GET_AND_POST
def period_edit(request, programme: Programme, pk: int) -> HttpResponse:
    period = get_object_or_404(ReportingPeriod, pk=pk, programme=programme)
    return _period_form(request, programme, period)


# Cost options ----------------------------------------------------------------------------------


@for_coordinators
@require_safe
def cost_options(request, programme: Programme) -> HttpResponse:
    options = CostOption.objects.filter(programme=programme).order_by("-active", "kind", "name")
    used = set(
        CostOption.objects.filter(programme=programme, lines__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    context = {"programme": programme, "options": options, "used": used}
    return render(request, "claims/setup/cost_options.html", context)


def _option_form(request, programme: Programme, option: CostOption | None) -> HttpResponse:
    form = CostOptionForm(_data(request), instance=option)
    if option is not None:
        stale.track(form, option)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.cost_option_save(
                programme=programme,
                option=option,
                name=data["name"],
                kind=data["kind"],
                category=data["category"],
                amount=data.get("amount"),
                unit=data.get("unit") or "",
                rate=data.get("rate"),
                active=data.get("active", False),
                by=request.user,
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Saved the cost option “%(name)s”.") % {"name": saved})
            return redirect("claims:cost_options", programme=programme.slug)
    used = option is not None and services.option_used(option)
    return _page(
        request,
        "claims/setup/cost_option_form.html",
        programme,
        form=form,
        option=option,
        used=used,
    )


@for_coordinators
@GET_AND_POST
def cost_option_create(request, programme: Programme) -> HttpResponse:
    return _option_form(request, programme, None)


@for_coordinators
@GET_AND_POST
def cost_option_edit(request, programme: Programme, pk: int) -> HttpResponse:
    option = get_object_or_404(CostOption, pk=pk, programme=programme)
    return _option_form(request, programme, option)


@login_required
@require_POST
@for_coordinators
def cost_option_remove(request, programme: Programme, pk: int) -> HttpResponse:
    option = get_object_or_404(CostOption, pk=pk, programme=programme)
    name = str(option)
    if services.cost_option_remove(option=option, by=request.user):
        messages.success(request, _("Deleted the cost option “%(name)s”.") % {"name": name})
    else:
        messages.success(
            request,
            _("Claim lines use “%(name)s”, so it is kept but no longer offered.") % {"name": name},
        )
    return redirect("claims:cost_options", programme=programme.slug)


# City budgets ----------------------------------------------------------------------------------


@for_coordinators
@GET_AND_POST
def budgets(request, programme: Programme) -> HttpResponse:
    cities = list(services.participating_cities(programme))
    rows = list(CityBudget.objects.filter(programme=programme).order_by("pk"))
    current = {(b.city_id, b.category): b.amount for b in rows}
    form = BudgetsForm(_data(request), cities=cities, budgets=current)
    stale.track(form, None, version=stale.rows_version(rows))
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.budgets_save(
                programme=programme,
                amounts=form.amounts(),
                by=request.user,
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved the budgets (%(count)s changed).") % {"count": changed},
            )
            return redirect("claims:budgets", programme=programme.slug)
    return _page(
        request, "claims/setup/budgets.html", programme, form=form, categories=Category.choices
    )


# Checklist -------------------------------------------------------------------------------------


@for_coordinators
@require_safe
def checklist_questions(request, programme: Programme) -> HttpResponse:
    questions = list(ChecklistQuestion.objects.filter(programme=programme))
    answered = set(
        ChecklistQuestion.objects.filter(programme=programme, answers__isnull=False)
        .values_list("pk", flat=True)
        .distinct()
    )
    present = {q.auto_check for q in questions}
    missing = [check for check in AutoCheck if check.value not in present]
    context = {
        "programme": programme,
        "questions": questions,
        "answered": answered,
        "missing_checks": missing,
    }
    return render(request, "claims/setup/checklist.html", context)


def _question_form(request, programme: Programme, question: ChecklistQuestion | None):
    initial = {}
    if question is None:
        last = ChecklistQuestion.objects.filter(programme=programme).order_by("-position").first()
        initial = {"position": (last.position + 1) if last else 1}
    form = QuestionForm(_data(request), instance=question, initial=initial)
    if question is not None:
        stale.track(form, question)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.question_save(
                programme=programme,
                question=question,
                text=data["text"],
                kind=data["kind"],
                max_score=data.get("max_score"),
                position=data.get("position") or 0,
                by=request.user,
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Saved the question."))
            return redirect("claims:checklist_questions", programme=programme.slug)
    return _page(
        request, "claims/setup/question_form.html", programme, form=form, question=question
    )


@for_coordinators
@GET_AND_POST
def checklist_question_create(request, programme: Programme) -> HttpResponse:
    return _question_form(request, programme, None)


@for_coordinators
@GET_AND_POST
def checklist_question_edit(request, programme: Programme, pk: int) -> HttpResponse:
    question = get_object_or_404(ChecklistQuestion, pk=pk, programme=programme)
    return _question_form(request, programme, question)


@login_required
@require_POST
@for_coordinators
def checklist_question_delete(request, programme: Programme, pk: int) -> HttpResponse:
    question = get_object_or_404(ChecklistQuestion, pk=pk, programme=programme)
    try:
        services.question_delete(question=question, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Deleted the question."))
    return redirect("claims:checklist_questions", programme=programme.slug)


@login_required
@require_POST
@for_coordinators
def checklist_auto_checks(request, programme: Programme) -> HttpResponse:
    added = services.questions_add_auto_checks(programme=programme, by=request.user)
    if added:
        messages.success(
            request,
            _("Added %(count)s of Tandem's staff-cost checks.") % {"count": len(added)},
        )
    else:
        messages.info(request, _("The checklist has all of Tandem's staff-cost checks already."))
    return redirect("claims:checklist_questions", programme=programme.slug)


# Controllers' assignments ----------------------------------------------------------------------


def invite_controller_url(programme: Programme) -> str:
    query = urlencode({"role": Role.CONTROLLER, "where": f"programme:{programme.pk}"})
    return f"{reverse('portal:invitations')}?{query}"


@for_coordinators
@require_safe
def assignments(request, programme: Programme) -> HttpResponse:
    listed = (
        ControlAssignment.objects.filter(programme=programme)
        .select_related("controller", "city", "period")
        .order_by("-ends_on", "city__name", "pk")
    )
    context = {
        "programme": programme,
        "assignments": listed,
        "has_controllers": services.controllers_of(programme).exists(),
        "invite_url": invite_controller_url(programme),
        "today": today_for(request.user),
    }
    return render(request, "claims/setup/assignments.html", context)


def _assignment_form(request, programme: Programme, assignment: ControlAssignment | None):
    controllers = services.controllers_of(programme)
    form = AssignmentForm(
        _data(request),
        instance=assignment,
        controllers=controllers,
        cities=services.participating_cities(programme),
        periods=ReportingPeriod.objects.filter(programme=programme).order_by("number"),
    )
    if assignment is not None:
        stale.track(form, assignment)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assignment_save(
                programme=programme,
                assignment=assignment,
                controller=data["controller"],
                city=data["city"],
                period=data["period"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                by=request.user,
                expected_version=stale.expected(form),
            )
        except ValidationError as error:
            service_errors(form, error)
        else:
            messages.success(request, _("Saved the assignment."))
            return redirect("claims:assignments", programme=programme.slug)
    return _page(
        request,
        "claims/setup/assignment_form.html",
        programme,
        form=form,
        assignment=assignment,
        has_controllers=controllers.exists(),
        invite_url=invite_controller_url(programme),
    )


@for_coordinators
@GET_AND_POST
def assignment_create(request, programme: Programme) -> HttpResponse:
    return _assignment_form(request, programme, None)


@for_coordinators
@GET_AND_POST
def assignment_edit(request, programme: Programme, pk: int) -> HttpResponse:
    assignment = get_object_or_404(ControlAssignment, pk=pk, programme=programme)
    return _assignment_form(request, programme, assignment)


@login_required
@require_POST
@for_coordinators
def assignment_end(request, programme: Programme, pk: int) -> HttpResponse:
    assignment = get_object_or_404(ControlAssignment, pk=pk, programme=programme)
    label = str(assignment)
    try:
        ended = services.assignment_end(assignment=assignment, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if ended is None:
            messages.success(
                request, _("Removed the assignment, which had not started: %(a)s.") % {"a": label}
            )
        else:
            messages.success(
                request,
                _("The assignment ended on %(day)s: %(a)s.")
                % {"day": ended.ends_on.isoformat(), "a": label},
            )
    return redirect("claims:assignments", programme=programme.slug)
