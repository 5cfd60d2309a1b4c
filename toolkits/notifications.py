"""Who hears of a good practice's review, and of the PDFs they asked for (``notifications.notify``).

submitted: the reviewers (the experts of the practice's scheme and the coordinators of its
programme), linked to the review page. Changes requested: the author and the other officers of
the practice's city: the city owns the practice and any of its officers may make the changes and
send it again (as for action plans), so it is not stranded when its author has moved on.
Published and withdrawn: the author (a withdrawn practice is back with its authors, with why).

A PDF rendering tells the person who asked for it (whoever downloaded it first, published the
edition or rendered it again; a visitor who is not signed in asks too, with nobody to tell) that
it is ready, or why it failed: once per run of the job, so a retry that succeeds tells them
again and a redelivered message does not."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from documents.signals import job_done, job_failed
from notifications.registry import Kind, register
from notifications.services import notify

from .models import GoodPractice, PracticeReview, Rendering, ReviewAction

GROUP = _("Good practices")

register(
    Kind(
        "toolkits.practice_submitted",
        group=GROUP,
        label=_("A good practice is submitted for your review"),
        message=_("%(city)s has submitted its good practice “%(title)s” for review."),
        action=_("Review the practice"),
    )
)
register(
    Kind(
        "toolkits.practice_returned",
        group=GROUP,
        label=_("Changes are requested on your city's good practice"),
        message=_("%(person)s has requested changes to the good practice “%(title)s”."),
        action=_("Edit the practice and send it again"),
    )
)
register(
    Kind(
        "toolkits.practice_published",
        group=GROUP,
        label=_("Your good practice is published"),
        message=_("%(person)s has published your good practice “%(title)s” in the catalogue."),
        action=_("Open the practice"),
    )
)
register(
    Kind(
        "toolkits.practice_withdrawn",
        group=GROUP,
        label=_("Your good practice is withdrawn from the catalogue"),
        message=_("%(person)s has withdrawn your good practice “%(title)s” from the catalogue."),
        action=_("Edit the practice and send it again"),
    )
)
register(
    Kind(
        "toolkits.pdf_ready",
        group=GROUP,
        label=_("A toolkit or practice PDF you asked for is ready"),
        message=_("The PDF of “%(title)s” (%(pdf_language)s) is ready."),
        action=_("Download the PDF"),
    )
)
register(
    Kind(
        "toolkits.pdf_failed",
        group=GROUP,
        label=_("A toolkit or practice PDF you asked for could not be made"),
        message=_("The PDF of “%(title)s” (%(pdf_language)s) could not be made."),
        action=_("See why and try again"),
    )
)

EVENTS = {
    ReviewAction.SUBMITTED: "practice_submitted",
    ReviewAction.RETURNED: "practice_returned",
    ReviewAction.PUBLISHED: "practice_published",
    ReviewAction.WITHDRAWN: "practice_withdrawn",
}


# The review ---------------------------------------------------------------------------------


def recipients(practice: GoodPractice, action: str):
    """Who hears of this step of the practice's review."""
    scheme = practice.scheme
    if action == ReviewAction.SUBMITTED:
        return User.objects.filter(
            Q(memberships__role=Role.EXPERT, memberships__scheme_id=scheme.pk)
            | Q(memberships__role=Role.COORDINATOR, memberships__programme_id=scheme.programme_id)
        ).distinct()
    if action == ReviewAction.RETURNED:
        return User.objects.filter(
            Q(pk=practice.author_id)
            | Q(memberships__role=Role.OFFICER, memberships__city_id=practice.city_id)
        ).distinct()
    return User.objects.filter(pk=practice.author_id)


def _link(practice: GoodPractice, action: str) -> str:
    if action == ReviewAction.SUBMITTED:
        return reverse("toolkits:practice_review", kwargs={"slug": practice.slug})
    if action == ReviewAction.PUBLISHED:
        return practice.get_absolute_url()
    return reverse("toolkits:practice_edit", kwargs={"slug": practice.slug})


def practice_step(practice: GoodPractice, step: PracticeReview) -> int:
    """Tell whoever the review step concerns; call inside the step's transaction."""
    event = EVENTS[ReviewAction(step.action)]
    return notify(
        f"toolkits.{event}",
        recipients=recipients(practice, step.action),
        about=practice,
        link=_link(practice, step.action),
        params={
            "city": practice.city.name,
            "title": practice.title,
            "person": step.by.get_full_name() if step.by_id else "",
            "comment": step.comment,
        },
        programme=practice.scheme.programme.name,
        key=f"toolkits.{event}:{step.pk}",
        actor=step.by,
    )


# PDFs ---------------------------------------------------------------------------------------


def _rendering_told(kind: str, job: Rendering, comment: str = "") -> int:
    if job.requested_by_id is None:  # a visitor asked
        return 0
    rendering = Rendering.objects.select_related(
        "requested_by",
        "edition__toolkit__scheme__programme",
        "practice__scheme__programme",
    ).get(pk=job.pk)
    if rendering.requested_by is None:
        return 0
    subject = rendering.edition if rendering.edition_id else rendering.practice
    scheme = rendering.edition.toolkit.scheme if rendering.edition_id else rendering.practice.scheme
    with transaction.atomic():
        return notify(
            kind,
            recipients=[rendering.requested_by],
            about=rendering,
            link=reverse("toolkits:rendering", kwargs={"pk": rendering.pk}),
            params={
                "title": str(subject),
                "pdf_language": rendering.language,
                "comment": comment,
            },
            programme=scheme.programme.name,
            # One run of the job, one notice: a retry is a new run (attempts counts them).
            key=f"{kind}:{job.pk}:{job.attempts}",
        )


def rendering_done(sender, job: Rendering, **kwargs) -> None:
    _rendering_told("toolkits.pdf_ready", job)


def rendering_failed(sender, job: Rendering, **kwargs) -> None:
    _rendering_told("toolkits.pdf_failed", job, comment=job.error)


job_done.connect(rendering_done, sender=Rendering, dispatch_uid="toolkits.rendering_done")
job_failed.connect(rendering_failed, sender=Rendering, dispatch_uid="toolkits.rendering_failed")
