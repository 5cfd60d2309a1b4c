"""Who hears of a plan's workflow steps, and what they read (``notifications.notify``).

submitted: the reviewers (the mentor city's officers and the scheme's experts); changes
requested or approved: the authors (the implementing city's officers).

A version's PDF tells the person who asked for it that it is ready, or why it failed; once per
run of the job (a retry that succeeds tells them again, a redelivered message does not)."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from documents.signals import job_done, job_failed
from notifications.registry import Kind, register
from notifications.services import notify

from .models import ActionPlan, PlanPdf, Transition

GROUP = _("Action plans")

register(
    Kind(
        "actionplans.submitted",
        group=GROUP,
        label=_("An action plan is submitted for your review"),
        message=_("%(city)s has submitted its local action plan “%(title)s” for review."),
        action=_("Read and review the plan"),
    )
)
register(
    Kind(
        "actionplans.changes_requested",
        group=GROUP,
        label=_("Changes are requested on your city's action plan"),
        message=_("%(person)s has requested changes to your local action plan “%(title)s”."),
        action=_("Edit the plan and resubmit it"),
    )
)
register(
    Kind(
        "actionplans.approved",
        group=GROUP,
        label=_("Your city's action plan is approved"),
        message=_("%(person)s has approved your local action plan “%(title)s”."),
        action=_("Open the plan"),
    )
)

register(
    Kind(
        "actionplans.pdf_ready",
        group=GROUP,
        label=_("An action plan PDF you asked for is ready"),
        message=_("The PDF of version %(version)s of “%(title)s” (%(pdf_language)s) is ready."),
        action=_("Download the PDF"),
    )
)
register(
    Kind(
        "actionplans.pdf_failed",
        group=GROUP,
        label=_("An action plan PDF you asked for could not be made"),
        message=_(
            "The PDF of version %(version)s of “%(title)s” (%(pdf_language)s) could not be made."
        ),
        action=_("See why and try again"),
    )
)


def recipients(plan: ActionPlan, event: str):
    pairing = plan.pairing
    if event == "submitted":
        return User.objects.filter(
            Q(memberships__role=Role.OFFICER, memberships__city_id=pairing.mentor_id)
            | Q(memberships__role=Role.EXPERT, memberships__scheme_id=pairing.scheme_id)
        ).distinct()
    return User.objects.filter(
        memberships__role=Role.OFFICER, memberships__city_id=pairing.implementing_id
    ).distinct()


def plan_step(plan: ActionPlan, step: Transition, event: str) -> int:
    """Tell whoever the step concerns; call inside the step's transaction."""
    pairing = plan.pairing
    return notify(
        f"actionplans.{event}",
        recipients=recipients(plan, event),
        about=plan,
        link=plan.get_absolute_url(),
        params={
            "city": pairing.implementing.name,
            "title": plan.title,
            "person": step.by.get_full_name() if step.by_id else "",
            "comment": step.comment,
        },
        programme=pairing.scheme.programme.name,
        key=f"actionplans.{event}:{step.pk}",
        actor=step.by,
    )


# PDFs ---------------------------------------------------------------------------------------


def _pdf_told(kind: str, job: PlanPdf, comment: str = "") -> int:
    pdf = PlanPdf.objects.select_related(
        "requested_by", "version__plan__pairing__scheme__programme"
    ).get(pk=job.pk)
    version = pdf.version
    with transaction.atomic():
        return notify(
            kind,
            recipients=[pdf.requested_by],
            about=pdf,
            # The job's page: the download once it is ready, or why it failed and Retry.
            link=reverse("actionplans:pdf", kwargs={"pk": pdf.pk}),
            params={
                "title": version.snapshot.get("title") or version.plan.title,
                "version": version.number,
                "pdf_language": pdf.language,
                "comment": comment,
            },
            programme=version.plan.pairing.scheme.programme.name,
            key=f"{kind}:{job.pk}:{job.attempts}",
        )


def pdf_done(sender, job: PlanPdf, **kwargs) -> None:
    _pdf_told("actionplans.pdf_ready", job)


def pdf_failed(sender, job: PlanPdf, **kwargs) -> None:
    _pdf_told("actionplans.pdf_failed", job, comment=job.error)


job_done.connect(pdf_done, sender=PlanPdf, dispatch_uid="actionplans.pdf_done")
job_failed.connect(pdf_failed, sender=PlanPdf, dispatch_uid="actionplans.pdf_failed")
