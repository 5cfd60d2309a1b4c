"""The Celery application. Settings come from Django's ``CELERY_*`` settings."""

import logging
import os

from celery import Celery
from celery.signals import worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

logger = logging.getLogger(__name__)

app = Celery("tandem")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_process_init.connect
def warm_up(**_kwargs) -> None:
    """Each worker process, as it starts and before it takes a task, imports every view (the
    URLs a notification names) and lays out a small PDF (documents.pdf.warm_up): a person's
    first report then takes what the next ones do. A warm-up that fails is logged, and the
    first task pays instead."""
    try:
        from django.urls import get_resolver

        from documents.pdf import warm_up as warm_up_pdf

        get_resolver().url_patterns  # noqa: B018 (imports every URLconf and view)
        warm_up_pdf()
    except Exception:
        logger.exception("The worker process could not warm up; its first task will.")
