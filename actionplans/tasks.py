"""Celery tasks for action plans: thin wrappers that load by id and call a service, and the
documents job runner with the PDF builder."""

from django.utils.translation import gettext_lazy

from documents import jobs

from .models import PlanPdf

# Render one version of a plan to PDF; the file is attached only once stored whole.
build_plan_pdf = jobs.job_task(
    "actionplans.tasks.build_plan_pdf",
    model=PlanPdf,
    produce="actionplans.documents.produce_pdf",
    too_long=gettext_lazy("The PDF took too long to make."),
    failed=gettext_lazy("The PDF could not be made: %(error)s"),
)
