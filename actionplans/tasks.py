"""Celery tasks for action plans: thin wrappers that load by id and call a service."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from documents import jobs

from .models import ActionPlan, PlanPdf

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_plan_notification(plan_id: int, event: str) -> int:
    from .notifications import send

    plan = ActionPlan.objects.select_related("pairing__implementing", "pairing__scheme").get(
        pk=plan_id
    )
    return send(plan, event)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def build_plan_pdf(pdf_id: int) -> None:
    """Render one version of a plan to PDF; the file is attached only once stored whole."""
    from .documents import build_pdf

    pdf = jobs.start(PlanPdf, pdf_id)
    if pdf is None:
        return
    try:
        build_pdf(pdf, progress=jobs.progress_reporter(pdf))
    except SoftTimeLimitExceeded:
        jobs.fail(pdf, _("The PDF took too long to make."))
    except Exception as error:  # the person who asked sees why, and can retry
        logger.exception("Action plan PDF %s failed", pdf_id)
        jobs.fail(pdf, _("The PDF could not be made: %(error)s") % {"error": error})
