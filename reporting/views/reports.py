"""Staff-cost report pages: ask for a report, follow its job, download its files, run it again.

Reports outside the person's scope answer 404; the files are the stored ones, never rendered
again, so what was downloaded once is what an auditor downloads later (same checksum).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from config.views import (
    add_service_errors,
    get_visible_or_404,
    paginate,
    query_without_page,
    render_form,
)
from documents.responses import stored_file_response
from documents.views import job_status, queue_again
from mentoring.views.scoping import programme_choice

from .. import permissions, selectors, services
from ..forms.reports import ReportRequestForm
from ..models import StaffCostReport

REPORTS_PER_PAGE = 25
FILE_FORMATS = {
    "pdf": gettext_lazy("PDF"),
    "csv": gettext_lazy("CSV"),
    "xlsx": gettext_lazy("Excel (XLSX)"),
}


def _report(request: HttpRequest, pk: int) -> StaffCostReport:
    """A report the person may see (404 otherwise: other cities' reports do not exist)."""
    return get_visible_or_404(selectors.reports_visible_to(request.user), pk=pk)


def _files(report: StaffCostReport) -> list[dict]:
    """The downloads of a finished report, for the job status partial."""
    return [
        {
            "label": label,
            "url": reverse("reporting:report_download", args=[report.pk, fmt]),
            "file": stored,
        }
        for fmt, label in FILE_FORMATS.items()
        if (stored := getattr(report, fmt)) is not None
    ]


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_list(request: HttpRequest) -> HttpResponse:
    """The reports the person may see, and the form to ask for a new one."""
    user = request.user
    if not permissions.can_request_reports(user):
        raise PermissionDenied
    form = ReportRequestForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_request(
                programme=data["programme"],
                city=data["city"],
                first_month=data["first_month"],
                last_month=data["last_month"],
                language=data["language"],
                by=user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if report.joined:
                messages.info(
                    request,
                    _(
                        "The same report is already being built; this page shows how far it "
                        "has got. It is not built twice."
                    ),
                )
            else:
                messages.success(
                    request, _("The report is requested. This page shows how far it has got.")
                )
            return redirect(report)
    # Someone in several programmes sees the reports of the one they work in unless they ask
    # for another or for all.
    choice, programme = programme_choice(request)
    reports = selectors.reports_visible_to(user)
    if programme is not None:
        reports = reports.filter(programme=programme)
    page = paginate(request, reports, REPORTS_PER_PAGE)
    rows = [(report, _files(report) if report.status == "done" else []) for report in page]
    response = render_form(
        request,
        "reporting/reports/report_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "choice": choice,
            "programme": programme,
            "query": query_without_page(request),
        },
    )
    if choice is not None and choice.errors and response.status_code == 200:
        response.status_code = 400
    return response


@login_required
@require_safe
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    context = {
        "report": report,
        "language_name": dict(settings.LANGUAGES).get(report.language, report.language),
        "files": _files(report) if report.status == "done" else [],
        "status_url": reverse("reporting:report_status", args=[report.pk]),
        "retry_url": reverse("reporting:report_retry", args=[report.pk]),
    }
    return render(request, "reporting/reports/report_detail.html", context)


@login_required
@require_safe
@never_cache
def report_status(request: HttpRequest, pk: int) -> JsonResponse:
    return job_status(_report(request, pk))


@login_required
@require_POST
def report_retry(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    queue_again(
        request,
        lambda: services.report_retry(report, by=request.user),
        done=_("The report is being built again."),
    )
    return redirect(report)


@login_required
@require_safe
def report_download(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    if fmt not in FILE_FORMATS:
        raise Http404
    report = _report(request, pk)
    stored = getattr(report, fmt)
    if report.status != "done" or stored is None:
        raise Http404
    try:
        return stored_file_response(stored)
    except FileNotFoundError:  # the row outlived its file (storage restored from a backup)
        raise Http404 from None
