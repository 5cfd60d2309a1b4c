"""Celery tasks for toolkits: thin wrappers that load by id and call the renderer."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.utils.translation import gettext as _

from documents import jobs

from .models import Rendering

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def render_pdf(rendering_id: int) -> None:
    """Render a toolkit edition or a practice to PDF. Running it again after a crash starts
    over; the file is attached only once it is stored whole."""
    from .rendering import build_rendering

    rendering = jobs.start(Rendering, rendering_id)
    if rendering is None:
        return
    try:
        build_rendering(rendering, progress=jobs.progress_reporter(rendering))
    except SoftTimeLimitExceeded:
        jobs.fail(rendering, _("The PDF took too long to make."))
    except Exception as error:  # the person who asked sees why, and can retry
        logger.exception("PDF rendering %s failed", rendering_id)
        jobs.fail(rendering, _("The PDF could not be made: %(error)s") % {"error": error})
