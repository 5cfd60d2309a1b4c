"""The plan page and editing its content: starting a plan, one text section at a time, the rows
of the list sections (actions, indicators, risks, the local group) and their order, and once
the plan is endorsed the actions' statuses and the indicators' measurements.

A plan exists only for the people who may see it (404 for everyone else); those who see it but
may not change it get 403 with the reason. Each write calls one service; its ValidationErrors
become field messages with HTTP 400, and a save from an outdated revision (someone else saved in
between) answers 409 with what the person typed kept and the saved text beside it.
"""

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils import formats
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config import stale
from config.views import add_service_errors, render_form
from mentoring.models import Pairing, Recommendation

from .. import permissions, selectors, services
from ..forms.edit import (
    TEXT_SECTION_NAMES,
    ActionStatusForm,
    MeasurementForm,
    PlanCreateForm,
    RowForm,
    RowsOrderForm,
    SectionForm,
    row_initial,
)
from ..models import Action, ActionPlan, Indicator, Measurement
from . import visible_plan

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])
WORKFLOW_TEMPLATE = "actionplans/workflow/panel.html"


# Scoping -----------------------------------------------------------------------------------------


def _refusal(plan: ActionPlan) -> str:
    if plan.is_editable_stage:
        return _("Only officers of the implementing city edit the plan.")
    return _("The plan is %(stage)s: it cannot be changed now.") % {
        "stage": plan.get_stage_display().lower()
    }


def _refused(request: HttpRequest, plan: ActionPlan, reason: str) -> HttpResponse:
    return render(
        request,
        "actionplans/edit/refused.html",
        {"plan": plan, "reason": reason},
        status=403,
    )


def _section_model(section: str):
    if section not in services.ROWS:
        raise Http404
    return services.ROWS[section][0]


def _posted(request: HttpRequest):
    return request.POST if request.method == "POST" else None


def _plan_url(plan: ActionPlan, anchor: str = "") -> str:
    url = plan.get_absolute_url()
    return f"{url}#{anchor}" if anchor else url


# Starting a plan ---------------------------------------------------------------------------------


@login_required
@GET_AND_POST
def plan_create(request: HttpRequest, pairing: int) -> HttpResponse:
    pairing = get_object_or_404(
        Pairing.objects.select_related("scheme__programme", "mentor", "implementing"), pk=pairing
    )
    existing = ActionPlan.objects.filter(pairing=pairing).first()
    if existing is not None and permissions.can_view(request.user, existing):
        return redirect(existing)
    if not permissions.can_create_for(request.user, pairing):
        # Those who would see the pairing's plan learn why they cannot start it; for the
        # others the pairing's plan page does not exist.
        if not permissions.can_view(request.user, ActionPlan(pairing=pairing)):
            raise Http404
        return render(
            request,
            "actionplans/edit/refused.html",
            {
                "pairing": pairing,
                "reason": _("Only officers of the implementing city start its action plan."),
            },
            status=403,
        )
    form = PlanCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(
                pairing=pairing, by=request.user, title=form.cleaned_data["title"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The action plan is started. Fill in its sections."))
            return redirect(plan)
    return render_form(
        request, "actionplans/edit/plan_create.html", {"form": form, "pairing": pairing}
    )


# The plan page -----------------------------------------------------------------------------------


def _workflow_template() -> str | None:
    try:
        select_template([WORKFLOW_TEMPLATE])
    except TemplateDoesNotExist:
        return None
    return WORKFLOW_TEMPLATE


def _plan_page(
    request: HttpRequest,
    plan: ActionPlan,
    *,
    status: int = 200,
    bound: dict | None = None,
) -> HttpResponse:
    """The whole plan; ``bound`` holds a submitted status or measurement form with errors, by
    ("action" | "indicator", pk)."""
    bound = bound or {}
    progress_plan = selectors.with_progress_data(ActionPlan.objects.filter(pk=plan.pk)).get()
    progress = selectors.progress(progress_plan)
    can_edit = permissions.can_edit(request.user, plan)
    can_track = permissions.can_track(request.user, plan)

    actions = list(
        plan.actions.prefetch_related(
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("report__event"),
            ),
            "commitments",
        )
    )
    latest = Measurement.objects.filter(indicator=OuterRef("pk")).order_by("-measured_on", "-pk")
    indicators = list(
        Indicator.objects.filter(plan=plan).annotate(
            latest_value=Subquery(latest.values("value")[:1]),
            latest_on=Subquery(latest.values("measured_on")[:1]),
        )
    )
    if can_track:
        for action in actions:
            action.status_form = bound.get(("action", action.pk)) or ActionStatusForm(
                initial={"status": action.status}, auto_id=f"action-{action.pk}-%s"
            )
        for indicator in indicators:
            indicator.measurement_form = bound.get(("indicator", indicator.pk)) or (
                MeasurementForm(auto_id=f"indicator-{indicator.pk}-%s")
            )
    context = {
        "plan": plan,
        "pairing": plan.pairing,
        "progress": progress,
        "can_edit": can_edit,
        "can_track": can_track,
        "actions": actions,
        "indicators": indicators,
        "risks": list(plan.risks.all()),
        "local_group": list(plan.local_group.all()),
        "workflow_template": _workflow_template(),
    }
    return render(request, "actionplans/plan.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD"])
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _plan_page(request, visible_plan(request, pk))


# Text sections -----------------------------------------------------------------------------------


def _section_text(plan: ActionPlan, section: str) -> str:
    return getattr(plan, section)


def _section_revision(plan: ActionPlan, section: str) -> int:
    return plan.revision(section)


@login_required
@GET_AND_POST
def section_edit(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    if section not in TEXT_SECTION_NAMES:
        raise Http404
    plan = visible_plan(request, pk)
    if not permissions.can_edit(request.user, plan):
        return _refused(request, plan, _refusal(plan))
    initial = {
        "text": _section_text(plan, section),
        "revision": _section_revision(plan, section),
    }
    form = SectionForm(_posted(request), initial=initial, section=section)
    context = {"plan": plan, "section": section, "form": form}
    if request.method == "POST" and form.is_valid():
        text = form.cleaned_data["text"]
        try:
            if section == "title":
                services.title_save(plan, by=request.user, title=text)
            else:
                services.section_save(
                    plan,
                    section=section,
                    by=request.user,
                    text=text,
                    expected_revision=form.cleaned_data["revision"],
                )
        except ValidationError as error:
            if stale.is_stale(error):
                return _stale_section(request, plan, section, error)
            _add_errors(form, error, field="text")
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_plan_url(plan, section))
    return render_form(request, "actionplans/edit/section_form.html", context)


def _stale_section(request, plan, section, error) -> HttpResponse:
    """Someone saved the section since this editor began: keep what they typed, show the saved
    text beside it, and let a second save (now from the saved revision) go through."""
    plan.refresh_from_db()
    data = request.POST.copy()
    data["revision"] = str(_section_revision(plan, section))
    form = SectionForm(data, section=section)
    form.is_valid()
    form.add_error(None, error.messages)
    context = {
        "plan": plan,
        "section": section,
        "form": form,
        "stale": True,
        "saved_text": _section_text(plan, section),
    }
    return render(request, "actionplans/edit/section_form.html", context, status=409)


def _add_errors(form, error: ValidationError, *, field: str) -> None:
    """A service's errors on the form, those of the model's text field on ``field``."""
    if hasattr(error, "error_dict"):
        for name, messages_ in error.message_dict.items():
            target = name if name in form.fields else field if name != "__all__" else None
            form.add_error(target, messages_)
    else:
        form.add_error(None, error.messages)


# Rows of the list sections -----------------------------------------------------------------------


def _row(plan: ActionPlan, section: str, row: int):
    model = _section_model(section)
    return get_object_or_404(model.objects.select_related("plan"), plan=plan, pk=row)


def _row_services_kwargs(form: RowForm) -> dict:
    kwargs = form.row_fields()
    if "recommendations" in form.fields:
        kwargs["recommendations"] = form.cleaned_data["recommendations"]
        kwargs["commitments"] = form.cleaned_data.get("commitments")
    return kwargs


@login_required
@GET_AND_POST
def row_add(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    _section_model(section)
    plan = visible_plan(request, pk)
    if not permissions.can_edit(request.user, plan):
        return _refused(request, plan, _refusal(plan))
    form = RowForm(_posted(request), section=section, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            row = services.row_add(
                plan, section=section, by=request.user, **_row_services_kwargs(form)
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(row)s” is added.") % {"row": row})
            return redirect(_plan_url(plan, section))
    context = {"plan": plan, "section": section, "form": form, "adding": True}
    return render_form(request, "actionplans/edit/row_form.html", context)


@login_required
@GET_AND_POST
def row_edit(request: HttpRequest, pk: int, section: str, row: int) -> HttpResponse:
    _section_model(section)
    plan = visible_plan(request, pk)
    row = _row(plan, section, row)
    if not permissions.can_edit(request.user, plan):
        return _refused(request, plan, _refusal(plan))
    form = RowForm(_posted(request), initial=row_initial(row), section=section, plan=plan)
    context = {"plan": plan, "section": section, "row": row, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.row_update(
                row,
                by=request.user,
                expected_revision=form.cleaned_data["revision"],
                **_row_services_kwargs(form),
            )
        except ValidationError as error:
            if stale.is_stale(error):
                return _stale_row(request, plan, section, row, error)
            add_service_errors(form, error)
        else:
            messages.success(request, _("“%(row)s” is saved.") % {"row": saved})
            return redirect(_plan_url(plan, section))
    return render_form(request, "actionplans/edit/row_form.html", context)


def _shown(field, value) -> str:
    """A saved value as a person reads it, beside the form."""
    if value is None or value == "":
        return ""
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if isinstance(value, Decimal):
        return formats.number_format(value, use_l10n=True, force_grouping=True)
    choices = dict(getattr(field, "choices", None) or [])
    return str(choices.get(value, value))


def _stale_row(request, plan, section, row, error) -> HttpResponse:
    row.refresh_from_db()
    data = request.POST.copy()
    data["revision"] = str(row.revision)
    form = RowForm(data, section=section, plan=plan)
    form.is_valid()
    form.add_error(None, error.messages)
    saved = [
        (form.fields[name].label, _shown(form.fields[name], value))
        for name, value in row_initial(row).items()
        if name != "revision"
    ]
    context = {
        "plan": plan,
        "section": section,
        "row": row,
        "form": form,
        "stale": True,
        "saved": saved,
    }
    return render(request, "actionplans/edit/row_form.html", context, status=409)


@login_required
@GET_AND_POST
def row_delete(request: HttpRequest, pk: int, section: str, row: int) -> HttpResponse:
    _section_model(section)
    plan = visible_plan(request, pk)
    row = _row(plan, section, row)
    if not permissions.can_edit(request.user, plan):
        return _refused(request, plan, _refusal(plan))
    errors: list[str] = []
    if request.method == "POST":
        try:
            services.row_delete(row, by=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            messages.success(request, _("“%(row)s” is deleted.") % {"row": row})
            return redirect(_plan_url(plan, section))
    context = {"plan": plan, "section": section, "row": row, "errors": errors}
    return render(
        request, "actionplans/edit/row_delete.html", context, status=400 if errors else 200
    )


@login_required
@GET_AND_POST
def rows_reorder(request: HttpRequest, pk: int, section: str) -> HttpResponse:
    model = _section_model(section)
    plan = visible_plan(request, pk)
    if not permissions.can_edit(request.user, plan):
        return _refused(request, plan, _refusal(plan))
    rows = list(model.objects.filter(plan=plan))
    form = RowsOrderForm(_posted(request), rows=rows, initial={"revision": plan.revision(section)})
    context = {"plan": plan, "section": section, "form": form}
    if request.method == "POST" and form.is_valid():
        try:
            services.rows_reorder(
                plan,
                section=section,
                by=request.user,
                order=form.order(),
                expected_revision=form.cleaned_data["revision"],
            )
        except ValidationError as error:
            if stale.is_stale(error):
                plan.refresh_from_db()
                fresh = RowsOrderForm(
                    rows=list(model.objects.filter(plan=plan)),
                    initial={"revision": plan.revision(section)},
                )
                context.update(form=fresh, stale=True, stale_messages=error.messages)
                return render(request, "actionplans/edit/rows_order.html", context, status=409)
            add_service_errors(form, error)
        else:
            messages.success(request, _("The new order is saved."))
            return redirect(_plan_url(plan, section))
    return render_form(request, "actionplans/edit/rows_order.html", context)


# Tracking once endorsed --------------------------------------------------------------------------


def _tracked_plan(request: HttpRequest, pk: int) -> tuple[ActionPlan, HttpResponse | None]:
    plan = visible_plan(request, pk)
    user = request.user
    if permissions.can_track(user, plan) or permissions.can_edit(user, plan):
        return plan, None
    if permissions.is_author(user, plan) or permissions.is_supervisor(user, plan):
        reason = _(
            "The plan is %(stage)s: action statuses and measurements are kept once it is "
            "endorsed, until it is completed."
        ) % {"stage": plan.get_stage_display().lower()}
    else:
        reason = _("Action statuses and measurements are kept by the implementing city.")
    return plan, _refused(request, plan, reason)


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    plan, refused = _tracked_plan(request, pk)
    action = get_object_or_404(Action.objects.select_related("plan"), plan=plan, pk=row)
    if refused:
        return refused
    form = ActionStatusForm(request.POST, auto_id=f"action-{action.pk}-%s")
    if form.is_valid():
        try:
            services.action_status_set(action, by=request.user, status=form.cleaned_data["status"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The status of “%(action)s” is saved.") % {"action": action},
            )
            return redirect(_plan_url(plan, f"action-{action.pk}"))
    for error in form.errors.values():
        for message in error:
            messages.error(request, message)
    return _plan_page(request, plan, status=400, bound={("action", action.pk): form})


@login_required
@require_POST
def measurement_add(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    plan, refused = _tracked_plan(request, pk)
    indicator = get_object_or_404(Indicator.objects.select_related("plan"), plan=plan, pk=row)
    if refused:
        return refused
    form = MeasurementForm(request.POST, auto_id=f"indicator-{indicator.pk}-%s")
    if form.is_valid():
        try:
            services.measurement_add(indicator, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The measurement of “%(indicator)s” is recorded.") % {"indicator": indicator},
            )
            return redirect(_plan_url(plan, f"indicator-{indicator.pk}"))
    messages.error(
        request,
        _("The measurement of “%(indicator)s” is not recorded: see the marked fields.")
        % {"indicator": indicator},
    )
    return _plan_page(request, plan, status=400, bound={("indicator", indicator.pk): form})
