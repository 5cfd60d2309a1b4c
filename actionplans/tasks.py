"""Celery tasks for action plans: thin wrappers that load by id and call a service, and the
documents job runner with the PDF builder."""

from celery import shared_task
from django.utils.translation import gettext_lazy

from documents import jobs

from .models import ActionPlan, PlanPdf


# It returns nothing and keeps no result: a result backend that is down cannot hold it up.
@shared_task(
    acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5, ignore_result=True
)
def send_plan_notification(plan_id: int, event: str) -> None:
    from .notifications import send

    plan = (
        ActionPlan.objects.select_related("pairing__implementing", "pairing__scheme")
        .filter(pk=plan_id)
        .first()
    )
    if plan is None:  # deleted while the e-mail waited for the queue
        return
    send(plan, event)


# Render one version of a plan to PDF; the file is attached only once stored whole.
build_plan_pdf = jobs.job_task(
    "actionplans.tasks.build_plan_pdf",
    model=PlanPdf,
    produce="actionplans.documents.produce_pdf",
    too_long=gettext_lazy("The PDF took too long to make."),
    failed=gettext_lazy("The PDF could not be made: %(error)s"),
)
