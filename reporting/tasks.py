"""Celery tasks for staff time: thin wrappers that load by id and call the builder."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from documents import jobs

from .models import StaffCostReport

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_staff_cost_report(report_id: int) -> None:
    """Build the report's PDF, CSV and XLSX. Running it again after a crash starts over; the
    files are only attached, all at once, when every one of them is stored."""
    from .reports import build_report

    report = jobs.start(StaffCostReport, report_id)
    if report is None:
        return
    try:
        build_report(report, progress=jobs.progress_reporter(report))
    except SoftTimeLimitExceeded:
        jobs.fail(report, _("The report took too long to build. Try a shorter period."))
    except Exception as error:  # the person who asked sees why, and can retry
        logger.exception("Staff-cost report %s failed", report_id)
        jobs.fail(report, _("The report could not be built: %(error)s") % {"error": error})
