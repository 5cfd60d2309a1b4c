"""Asking for a plan version's PDF and retrying it."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from documents import jobs

from .. import permissions
from ..models import (
    PlanPdf,
    PlanVersion,
)

# PDFs -----------------------------------------------------------------------------------------


def pdf_request(version: PlanVersion, *, by: User, language: str = "en") -> PlanPdf:
    """The version's PDF in this language: the stored one, or a job that makes it."""
    from ..tasks import build_plan_pdf

    if not permissions.can_view(by, version.plan):
        raise ValidationError(_("You cannot see this plan."))
    with transaction.atomic():
        pdf, created = PlanPdf.objects.get_or_create(
            version=version, language=language, defaults={"requested_by": by}
        )
        if created:
            jobs.enqueue(pdf, build_plan_pdf)
    return pdf


def pdf_retry(pdf: PlanPdf, *, by: User) -> None:
    """Queue a failed or interrupted PDF again: whoever sees the plan may, as it only repeats
    asked-for work."""
    from ..tasks import build_plan_pdf

    if not permissions.can_view(by, pdf.version.plan):
        raise ValidationError(_("You cannot see this plan."))
    if not pdf.can_retry:
        raise ValidationError(_("Only a PDF that failed or was interrupted can be made again."))
    jobs.retry(pdf, build_plan_pdf)
