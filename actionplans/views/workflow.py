"""The workflow of a plan in the browser: its steps, its versions, comments on them and two
versions side by side.

Views find the plan the person may see (404 beyond that), ask the plan's workflow
(actionplans.permissions.PLAN_WORKFLOW, which the services also take their steps by) why a step is
refused (403 where the step is not theirs, 400 where the plan's stage does not allow it), call one
service and turn its ValidationError into messages on the form (400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.views import add_service_errors
from documents.workflow import WRONG_ROLE

from .. import diff, permissions, services
from ..forms.workflow import CommentForm, CompareForm, step_form
from ..models import ActionPlan, PlanComment, PlanVersion
from ..templatetags.actionplans_workflow import step
from . import visible_plan

GET_AND_POST = require_http_methods(["GET", "HEAD", "POST"])

SERVICES = {
    "submit": services.plan_submit,
    "resubmit": services.plan_submit,
    "request_changes": services.plan_request_changes,
    "approve": services.plan_approve,
    "endorse": services.plan_endorse,
    "start": services.plan_start,
    "complete": services.plan_complete,
}


def _version(plan: ActionPlan, number: int) -> PlanVersion:
    version = get_object_or_404(
        PlanVersion.objects.select_related("submitted_by"), plan=plan, number=number
    )
    version.plan = plan
    return version


# Steps -------------------------------------------------------------------------------------------


def _step_page(request, plan, name, form, *, errors=(), status=200) -> HttpResponse:
    context = {"plan": plan, "step": step(name, form), "errors": list(errors)}
    return render(request, "actionplans/workflow/step.html", context, status=status)


def _refused(request, plan, name, form, error: ValidationError) -> HttpResponse:
    status = 403 if getattr(error, "code", None) == WRONG_ROLE else 400
    return _step_page(request, plan, name, form, errors=error.messages, status=status)


@login_required
@GET_AND_POST
def transition(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One step of the workflow: its form (GET) or taking it (POST)."""
    plan = visible_plan(request, pk)
    if name not in permissions.PLAN_WORKFLOW:
        raise Http404
    user = request.user
    form = step_form(name, request.POST if request.method == "POST" else None, prefix=name)
    # The step page says why the workflow refuses, as the service would, before any form.
    refusal = permissions.PLAN_WORKFLOW.refusal(user, plan, name)
    if refusal is not None:
        return _refused(request, plan, name, form, refusal)
    if request.method != "POST":
        return _step_page(request, plan, name, form)
    if not form.is_valid():
        return _step_page(request, plan, name, form, status=400)
    try:
        result = SERVICES[name](plan, by=user, **form.service_kwargs())
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            add_service_errors(form, error)
            return _step_page(request, plan, name, form, status=400)
        return _refused(request, plan, name, form, error)
    number = result.number if isinstance(result, PlanVersion) else None
    messages.success(request, permissions.PLAN_WORKFLOW[name].done % {"number": number})
    return redirect(plan.get_absolute_url())


# Versions ----------------------------------------------------------------------------------------


@login_required
@require_safe
def versions(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    rows = list(
        plan.versions.select_related("submitted_by")
        .annotate(comment_count=Count("comments"))
        .order_by("-number")
    )
    numbers = sorted(v.number for v in rows)
    compare_form = None
    if len(numbers) > 1:
        compare_form = CompareForm(
            initial={"a": numbers[-2], "b": numbers[-1]}, numbers=numbers, auto_id="compare-%s"
        )
    context = {"plan": plan, "versions": rows, "compare_form": compare_form}
    return render(request, "actionplans/versions.html", context)


def _version_page(request, plan, version, *, failed=None, status=200) -> HttpResponse:
    """The version's sections read-only, each with its comments and, for those who may
    comment, a form; `failed` is a bound CommentForm with errors, shown under its section."""
    comments = list(
        PlanComment.objects.filter(version=version)
        .select_related("author")
        .order_by("created_at", "pk")
    )
    sections = diff.sections(version.snapshot)
    by_key = {section.key: section for section in sections}
    for comment in comments:
        by_key.get(comment.section, by_key[diff.Section.GENERAL.value]).comments.append(comment)
    latest = plan.versions.order_by("-number").values_list("number", flat=True).first()
    context = {
        "plan": plan,
        "version": version,
        "sections": sections,
        "comment_count": len(comments),
        "can_comment": permissions.can_comment(request.user, plan),
        "failed": failed,
        "failed_section": failed.data.get("section") if failed is not None else None,
        "latest": latest,
        "previous": version.number - 1 if version.number > 1 else None,
    }
    return render(request, "actionplans/version.html", context, status=status)


@login_required
@require_safe
def version(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    return _version_page(request, plan, _version(plan, number))


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    version = _version(plan, number)
    if not permissions.can_comment(request.user, plan):
        raise PermissionDenied(_("Only the plan's authors, reviewers and coordinators comment."))
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = services.comment_add(
                version,
                by=request.user,
                section=form.cleaned_data["section"],
                body=form.cleaned_data["body"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Your comment is added."))
            url = reverse("actionplans:version", kwargs={"pk": plan.pk, "number": number})
            return redirect(f"{url}#section-{comment.section}")
    return _version_page(request, plan, version, failed=form, status=400)


@login_required
@require_safe
def compare(request: HttpRequest, pk: int) -> HttpResponse:
    """Two versions side by side, section by section, changes marked."""
    plan = visible_plan(request, pk)
    all_versions = {v.number: v for v in plan.versions.select_related("submitted_by")}
    numbers = sorted(all_versions)
    if not numbers:
        raise Http404
    default = {"a": numbers[-2] if len(numbers) > 1 else numbers[-1], "b": numbers[-1]}
    form = CompareForm(request.GET or None, numbers=numbers, auto_id="compare-%s")
    if request.GET and not form.is_valid():
        context = {"plan": plan, "form": form, "sections": [], "old": None, "new": None}
        return render(request, "actionplans/compare.html", context, status=400)
    chosen = form.cleaned_data if request.GET else default
    if not request.GET:
        form = CompareForm(initial=default, numbers=numbers, auto_id="compare-%s")
    old, new = all_versions[chosen["a"]], all_versions[chosen["b"]]
    context = {
        "plan": plan,
        "form": form,
        "old": old,
        "new": new,
        "sections": diff.compare(old.snapshot, new.snapshot),
    }
    return render(request, "actionplans/compare.html", context)
