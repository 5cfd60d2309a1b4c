"""Celery tasks for staff time: the documents job runner with the report's builder."""

from celery import shared_task
from django.utils.translation import gettext_lazy as _

from documents import jobs

from .models import StaffCostReport

# Build the report's PDF, CSV and XLSX. Running it again after a crash starts over; the files
# are only attached, all at once, when every one of them is stored.
build_staff_cost_report = jobs.job_task(
    "reporting.tasks.build_staff_cost_report",
    model=StaffCostReport,
    produce="reporting.reports.produce_report",
    too_long=_("The report took too long to build. Try a shorter period."),
    failed=_("The report could not be built: %(error)s"),
)


@shared_task(
    name="reporting.tasks.make_timesheet_pdfs",
    acks_late=True,
    ignore_result=True,
    soft_time_limit=120,
)
def make_timesheet_pdfs(sheet_id: int) -> None:
    """Lay out an approved month's timesheet once, for the city's reports to reuse
    (timesheet_pdfs.make_for_sheet; idempotent: what is stored is kept)."""
    from .timesheet_pdfs import make_for_sheet  # WeasyPrint only where PDFs are made

    make_for_sheet(sheet_id)
