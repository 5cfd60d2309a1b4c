"""Who hears of a plan's workflow steps, and what they read (``notifications.notify``).

submitted: the reviewers (the mentor city's officers and the scheme's experts); changes
requested or approved: the authors (the implementing city's officers)."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Role, User
from notifications.registry import Kind, register
from notifications.services import notify

from .models import ActionPlan, Transition

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
