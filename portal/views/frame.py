"""A programme's frame page: the commitment framework it follows (a preset in one click, one
made by hand, or none), that framework's commitments, and the programme's target groups. Only
the programme's coordinators (and staff) reach it; a framework's commitments are edited by
those who coordinate every programme using it (``mentoring.permissions.can_edit_framework``)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from config.views import add_service_errors, get_visible_or_404, render_form
from mentoring.forms.frames import CommitmentForm, FrameworkChoiceForm, FrameworkForm
from mentoring.models import Commitment, CommitmentFramework, Programme
from mentoring.permissions import can_edit_frame, can_edit_framework
from mentoring.services.frames import (
    commitment_delete,
    commitment_save,
    framework_create,
    framework_from_preset,
    presets,
    programme_framework_set,
)
from toolkits.forms.frame import TargetGroupForm
from toolkits.models import TargetGroup
from toolkits.services import target_group_delete, target_group_save


def _framed_programme(request: HttpRequest, slug: str) -> Programme:
    programme = get_visible_or_404(Programme.objects.select_related("framework"), slug=slug)
    allowed, reason = can_edit_frame(request.user, programme)
    if not allowed:
        raise PermissionDenied(reason)
    return programme


def _frame_url(programme: Programme, anchor: str = "") -> str:
    url = reverse("portal:frame", kwargs={"slug": programme.slug})
    return f"{url}#{anchor}" if anchor else url


@login_required
def frame(request: HttpRequest, slug: str) -> HttpResponse:
    """The page, and its two small actions: choose a framework, or add a preset."""
    programme = _framed_programme(request, slug)
    if request.method == "POST" and "preset" in request.POST:
        # The choice as it stands, so that a refused preset shows its message on the page.
        form = FrameworkChoiceForm({"framework": programme.framework_id or ""})
    else:
        form = FrameworkChoiceForm(
            request.POST or None, initial={"framework": programme.framework_id}
        )
    if request.method == "POST":
        form.is_valid()
        try:
            if "preset" in request.POST:
                framework = framework_from_preset(
                    key=request.POST["preset"], programme=programme, by=request.user
                )
            elif form.is_valid():
                framework = form.cleaned_data["framework"]
                programme_framework_set(programme=programme, framework=framework, by=request.user)
            else:
                framework = False
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if framework is not False:
                if framework is None:
                    messages.success(
                        request,
                        _("%(programme)s follows no framework now.") % {"programme": programme},
                    )
                else:
                    messages.success(
                        request,
                        _("%(programme)s follows %(framework)s now.")
                        % {"programme": programme, "framework": framework},
                    )
                return redirect(_frame_url(programme))
    programme.refresh_from_db()
    framework = programme.framework
    commitments = (
        list(framework.commitments.select_related("group")) if framework is not None else []
    )
    added = set(CommitmentFramework.objects.exclude(preset="").values_list("preset", flat=True))
    context = {
        "programme": programme,
        "form": form,
        "framework": framework,
        "commitments": commitments,
        "framework_editable": can_edit_framework(request.user, framework)
        if framework is not None
        else (False, ""),
        "presets": [
            {"key": key, "name": preset["name"], "added": key in added}
            for key, preset in presets().items()
        ],
        "target_groups": list(TargetGroup.objects.filter(programme=programme)),
    }
    return render_form(request, "portal/frame/frame.html", context)


@login_required
def framework_create_view(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _framed_programme(request, slug)
    form = FrameworkForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            framework = framework_create(
                framework=form.instance, programme=programme, by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(framework)s added; now give it its commitments.") % {"framework": framework},
            )
            return redirect(_frame_url(programme, "commitments"))
    context = {"form": form, "programme": programme, "cancel_url": _frame_url(programme)}
    return render_form(request, "portal/frame/framework_form.html", context)


@login_required
def commitment_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a commitment to the programme's framework, change one, or (button "Remove") take
    it away."""
    programme = _framed_programme(request, slug)
    framework = programme.framework
    if framework is None:
        raise Http404
    allowed, reason = can_edit_framework(request.user, framework)
    if not allowed:
        raise PermissionDenied(reason)
    commitment = (
        get_object_or_404(Commitment.objects.select_related("group"), pk=pk, framework=framework)
        if pk
        else None
    )
    if request.method == "POST" and commitment is not None and "delete" in request.POST:
        commitment_delete(commitment=commitment, by=request.user)
        messages.success(
            request, _("Commitment %(number)s removed.") % {"number": commitment.number}
        )
        return redirect(_frame_url(programme, "commitments"))
    form = CommitmentForm(request.POST or None, instance=commitment, framework=framework)
    if request.method == "POST" and form.is_valid():
        try:
            saved = commitment_save(
                commitment=form.instance,
                group_name=form.cleaned_data["group_name"],
                by=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Commitment %(number)s saved.") % {"number": saved.number})
            return redirect(_frame_url(programme, "commitments"))
    context = {
        "form": form,
        "programme": programme,
        "framework": framework,
        "commitment": commitment,
        "cancel_url": _frame_url(programme, "commitments"),
    }
    return render_form(request, "portal/frame/commitment_form.html", context)


@login_required
def target_group_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    """Add a target group to the programme's list, rename one, or (button "Remove") take it
    off."""
    programme = _framed_programme(request, slug)
    group = get_object_or_404(TargetGroup, pk=pk, programme=programme) if pk else None
    if request.method == "POST" and group is not None and "delete" in request.POST:
        target_group_delete(group=group, by=request.user)
        messages.success(request, _("%(group)s removed.") % {"group": group})
        return redirect(_frame_url(programme, "target-groups"))
    form = TargetGroupForm(request.POST or None, instance=group, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            saved = target_group_save(group=form.instance, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(group)s saved.") % {"group": saved})
            return redirect(_frame_url(programme, "target-groups"))
    context = {
        "form": form,
        "programme": programme,
        "group": group,
        "cancel_url": _frame_url(programme, "target-groups"),
    }
    return render_form(request, "portal/frame/target_group_form.html", context)
