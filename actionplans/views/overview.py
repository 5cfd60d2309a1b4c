"""Every plan a person sees at a glance, and the PDFs of plan versions.

A version's PDF is made once per language by the documents pipeline and then served from the
stored file; the first download sends the person to the job's page, which follows its progress
and offers Retry when it failed. Plans are seen by the two cities' officers and supervisors, the
scheme's expert and the programme's coordinators (permissions.can_view): anyone else gets 404,
for the plan, its PDFs and their jobs alike.
"""

from itertools import groupby

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from config.views import get_visible_or_404, paginate, query_without_page
from documents.models import JobStatus
from documents.responses import stored_file_response
from documents.views import job_status, queue_again
from mentoring.views.scoping import programme_choice

from .. import selectors, services
from ..forms.overview import PlanStageForm
from ..models import PlanPdf, PlanVersion, Stage
from . import visible_plan


def _language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, code))


# Overview --------------------------------------------------------------------------------------


PLANS_PER_PAGE = 50


@login_required
@require_safe
def plans(request: HttpRequest) -> HttpResponse:
    """The plans the person sees, by programme and scheme: stage, progress, last change, a page
    at a time; above them, how many plans there are at each stage, which also filters them.
    Seven queries whatever the number of plans (session, person, memberships, the count by
    stage, the page of plans, their actions and indicators).

    A person in several programmes sees the one they work in, or another or all on request
    (the choice comes from the programmes already known, so it costs no query)."""
    choice, programme = programme_choice(request)
    filters = PlanStageForm(request.GET)
    plans = selectors.visible_plans(request.user)
    if programme is not None:
        plans = plans.filter(pairing__scheme__programme=programme)
    by_stage = selectors.count_by_stage(plans)
    stage = filters.cleaned_data["stage"] if filters.is_valid() else ""
    if stage:
        plans = plans.filter(stage=stage)
    count = by_stage.get(stage, 0) if stage else sum(by_stage.values())
    page = paginate(
        request,
        selectors.with_progress_data(
            plans.order_by(
                "pairing__scheme__programme__name",
                "pairing__scheme__code",
                "pairing__implementing__name",
                "pk",
            )
        ),
        PLANS_PER_PAGE,
        count=count,  # known from the count by stage: no second count of the plans
    )
    rows = [{"plan": plan, "progress": selectors.progress(plan)} for plan in page]
    programmes = [
        {
            "programme": programme,
            "schemes": [
                {"scheme": scheme, "rows": list(scheme_rows)}
                for scheme, scheme_rows in groupby(
                    programme_rows, key=lambda row: row["plan"].pairing.scheme
                )
            ],
        }
        for programme, programme_rows in groupby(
            rows, key=lambda row: row["plan"].pairing.scheme.programme
        )
    ]
    stage_names = dict(Stage.choices)
    stages = [
        {
            "stage": key,
            "name": stage_names[key],
            "count": count,
            "query": _query_with(request, stage=key),
            "current": key == stage,
        }
        for key, count in by_stage.items()
    ]
    invalid = filters.errors or (choice is not None and choice.errors)
    return render(
        request,
        "actionplans/overview/plans.html",
        {
            "programmes": programmes,
            "page": page,
            "query": query_without_page(request),
            "count": count,
            "total": sum(by_stage.values()),
            "stages": stages,
            "stage": stage,
            "all_stages": _query_with(request, stage=""),
            "filters": filters,
            "choice": choice,
            "programme": programme,
        },
        status=400 if invalid else 200,
    )


def _query_with(request: HttpRequest, **values: str) -> str:
    """The page's query with these values instead (an empty one left out), from page one."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in values.items():
        query.pop(key, None)
        if value:
            query[key] = value
    return query.urlencode()


# PDFs -----------------------------------------------------------------------------------------


def _pdf(request: HttpRequest, pk: int) -> PlanPdf:
    """A PDF of a plan the person may see; for anyone else it does not exist."""
    return get_visible_or_404(
        PlanPdf.objects.select_related(
            "version__plan__pairing__scheme__programme",
            "version__plan__pairing__mentor",
            "version__plan__pairing__implementing",
            "pdf",
        ),
        pk=pk,
        version__plan__in=selectors.visible_plans(request.user),
    )


@login_required
@require_safe
def version_pdf(request: HttpRequest, pk: int, number: int, language: str) -> HttpResponse:
    """The stored PDF of the version in this language, or the page of the job that makes it."""
    if language not in dict(settings.LANGUAGES):
        raise Http404
    pdf = selectors.stored_version_pdf(request.user, plan_id=pk, number=number, language=language)
    if pdf is None:
        # Not made yet (or the plan is not the person's: 404 here).
        plan = visible_plan(request, pk)
        version = get_object_or_404(PlanVersion.objects.defer("snapshot"), plan=plan, number=number)
        try:
            pdf = services.pdf_request(version, by=request.user, language=language)
        except ValidationError:
            raise Http404 from None
    if pdf.status == JobStatus.DONE and pdf.pdf_id is not None:
        try:
            return stored_file_response(pdf.pdf)
        except FileNotFoundError:  # the row outlived its file (storage restored from a backup)
            raise Http404 from None
    return redirect("actionplans:pdf", pk=pdf.pk)


@login_required
@require_safe
def pdf(request: HttpRequest, pk: int) -> HttpResponse:
    job = _pdf(request, pk)
    version = job.version
    download = reverse(
        "actionplans:version_pdf", args=[version.plan_id, version.number, job.language]
    )
    context = {
        "job": job,
        "version": version,
        "plan": version.plan,
        "language_name": _language_name(job.language),
        "status_url": reverse("actionplans:pdf_status", args=[job.pk]),
        "retry_url": reverse("actionplans:pdf_retry", args=[job.pk]),
        "files": (
            [{"label": _("PDF"), "url": download, "file": job.pdf}]
            if job.status == JobStatus.DONE and job.pdf is not None
            else []
        ),
    }
    return render(request, "actionplans/overview/pdf.html", context)


@login_required
@require_safe
@never_cache
def pdf_status(request: HttpRequest, pk: int) -> JsonResponse:
    return job_status(_pdf(request, pk))


@login_required
@require_POST
def pdf_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Queue a failed PDF again (services.pdf_retry holds who and when)."""
    job = _pdf(request, pk)
    queue_again(
        request,
        lambda: services.pdf_retry(job, by=request.user),
        done=_("The PDF is being made again."),
    )
    return redirect("actionplans:pdf", pk=job.pk)
