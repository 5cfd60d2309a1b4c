"""Celery tasks for staff time: the documents job runner with the report's builder."""

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
