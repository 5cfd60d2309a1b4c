"""What the pages of every kind of job share: the live status, and asking for a job again; and
the pages of imports from spreadsheets, which every kind of import shares."""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.views import render_form

from . import importing, imports
from .models import BackgroundJob, ImportRun, ImportStage, JobStatus


def job_status(job: BackgroundJob) -> JsonResponse:
    """What the job's page polls while the job runs."""
    return JsonResponse(job.status_payload())


def queue_again(request: HttpRequest, service: Callable[[], None], *, done: str) -> bool:
    """Call the app's retry (or render-again) service; tell the person it is queued, or why
    not (the service's ValidationError). Returns whether it was queued."""
    try:
        service()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return False
    messages.success(request, done)
    return True


# Imports from spreadsheets (documents.imports, documents.importing) ----------------------------
# Driven by the registry: each kind names its target and says who may import into it, so these
# views know no domain app.

PREVIEW_ROWS_PER_PAGE = 100
HISTORY_LENGTH = 20


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_lazy("Spreadsheet (CSV or XLSX)"),
        help_text=_lazy("Nothing is imported yet: you see a preview of every row first."),
        error_messages={"required": _lazy("Choose the file to import.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = (
            ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )


def _import_kind(request: HttpRequest, key: str, ident: str):
    """The kind and its target, for someone who may import into it: 404 for an unknown kind
    or a target out of the person's scope, 403 with the reason when the role may not."""
    kind = imports.registered().get(key)
    if kind is None:
        raise Http404
    target = kind.target(request.user, ident)
    allowed, reason = kind.allowed(request.user, target)
    if not allowed:
        raise PermissionDenied(reason)
    return kind, target


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_page(request: HttpRequest, kind: str, ident: str) -> HttpResponse:
    """What the import takes, its templates, the upload, and the history of imports."""
    kind, target = _import_kind(request, kind, ident)
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = importing.run_start(
                kind=kind, target=target, user=request.user, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            form.add_error("file", error.messages)
        else:
            return redirect("documents:import_run", pk=run.pk)
    history = ImportRun.objects.filter(kind=kind.key, target=kind.ident(target)).select_related(
        "requested_by"
    )[:HISTORY_LENGTH]
    context = {
        "kind": kind,
        "target": target,
        "ident": kind.ident(target),
        "target_label": kind.describe(target),
        "back_url": kind.back_url(target),
        "form": form,
        "history": history,
        "formats": imports.FORMATS,
        "has_export": bool(getattr(type(kind), "export", None) is not imports.ImportKind.export),
    }
    return render_form(request, "documents/imports/import.html", context)


@login_required
@require_safe
def import_template(request: HttpRequest, kind: str, ident: str, fmt: str) -> HttpResponse:
    """The kind's template with one example row, headers in the person's language."""
    if fmt not in imports.FORMATS:
        raise Http404
    kind, _target = _import_kind(request, kind, ident)
    return _file(*imports.template_file(kind, fmt))


@login_required
@require_safe
def import_current(request: HttpRequest, kind: str, ident: str, fmt: str) -> HttpResponse:
    """What the target holds now, as a filled template: edit it and import it back."""
    if fmt not in imports.FORMATS:
        raise Http404
    kind, target = _import_kind(request, kind, ident)
    rows = kind.export(user=request.user, target=target)
    content, filename, content_type = imports.template_file(kind, fmt, rows=rows)
    return _file(content, filename.replace("tandem-", "tandem-current-"), content_type)


def _file(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _run(request: HttpRequest, pk: int) -> ImportRun:
    """A run of the person's own (an upload is private to who made it): 404 otherwise."""
    return get_object_or_404(
        ImportRun.objects.select_related("upload", "preview"), pk=pk, requested_by=request.user
    )


@login_required
@require_safe
def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    """A run's preview (every row, its outcome and the reason on the cell) or its status."""
    run = _run(request, pk)
    kind = imports.registered().get(run.kind)
    if kind is None:
        raise Http404
    only_errors = request.GET.get("show") == "errors"
    results = importing.results_of(run) if run.status == JobStatus.DONE else []
    if only_errors:
        results = [result for result in results if result.outcome == imports.ERROR]
    page = Paginator(results, PREVIEW_ROWS_PER_PAGE).get_page(request.GET.get("page"))
    labels = {column.key: column.label for column in kind.columns}
    row_keys = [c.key for c in kind.columns]
    rows = [
        {
            "result": result,
            "cells": [
                {
                    "key": key,
                    "label": labels[key],
                    "value": result.values.get(key, ""),
                    "errors": result.errors.get(key, []),
                }
                for key in row_keys
            ],
            "row_errors": result.errors.get("", []),
        }
        for result in page.object_list
    ]
    counts = {
        "create": run.created,
        "update": run.updated,
        "unchanged": run.unchanged,
        "error": run.errors,
    }
    context = {
        "run": run,
        "kind": kind,
        "columns": kind.columns,
        "rows": rows,
        "page": page,
        "only_errors": only_errors,
        "summary": importing.summary(counts),
        "import_url": reverse("documents:import", args=[run.kind, run.target]),
        "status_url": reverse("documents:import_run_status", args=[run.pk]),
        "retry_url": reverse("documents:import_run_retry", args=[run.pk]),
        "can_confirm": (
            run.status == JobStatus.DONE
            and run.stage == ImportStage.PREVIEW
            and run.applied_at is None
            and not run.errors
        ),
    }
    return render(request, "documents/imports/run.html", context)


@login_required
@require_safe
@never_cache
def import_run_status(request: HttpRequest, pk: int) -> JsonResponse:
    return job_status(_run(request, pk))


@login_required
@require_POST
def import_run_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Import what the preview showed: read and examined again, then all or nothing."""
    run = _run(request, pk)
    try:
        run = importing.run_confirm(run, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("documents:import_run", pk=run.pk)
    if run.applied_at is not None:
        if run.changed_since_preview:
            messages.warning(
                request,
                _(
                    "The data changed after the preview; the import followed what is there "
                    "now: %(summary)s."
                )
                % {"summary": _run_summary(run)},
            )
        else:
            messages.success(request, _("Imported: %(summary)s.") % {"summary": _run_summary(run)})
    elif run.status == JobStatus.DONE and run.errors:
        messages.error(
            request,
            _(
                "Nothing was imported: the data changed after the preview and some rows are "
                "no longer right. The preview below shows them."
            ),
        )
    elif run.status == JobStatus.FAILED:
        messages.error(request, run.error)
    else:
        messages.info(request, _("The import is running; this page shows how far it has got."))
    return redirect("documents:import_run", pk=run.pk)


def _run_summary(run: ImportRun) -> str:
    return importing.summary(
        {
            "create": run.created,
            "update": run.updated,
            "unchanged": run.unchanged,
            "error": run.errors,
        }
    )


@login_required
@require_POST
def import_run_retry(request: HttpRequest, pk: int) -> HttpResponse:
    run = _run(request, pk)
    queue_again(
        request,
        lambda: importing.run_retry(run, by=request.user),
        done=_("The import is being run again."),
    )
    return redirect("documents:import_run", pk=run.pk)
