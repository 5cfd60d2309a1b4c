"""What the workflow panel of a plan page shows: the steps the person may take now, with their
forms, the history and the versions, in a fixed number of queries."""

from django import template
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from actionplans import permissions
from actionplans.forms.workflow import step_form

register = template.Library()

STEP_LABELS = {
    "submit": _("Submit for review"),
    "resubmit": _("Resubmit for review"),
    "request_changes": _("Request changes"),
    "approve": _("Approve for the city administration"),
    "endorse": _("Record the political endorsement"),
    "start": _("Start implementation"),
    "complete": _("Mark as completed"),
}
STEP_HELP = {
    "submit": _("The plan is frozen as a new version and the reviewers are told by e-mail."),
    "resubmit": _("The plan is frozen as a new version and the reviewers are told by e-mail."),
    "request_changes": _("The plan goes back to its authors, who are told by e-mail."),
    "approve": _("The city administration approves the plan; its authors are told by e-mail."),
    "endorse": _("The decision of the council or the mayor that endorses the plan."),
    "start": _("From now on the city keeps its actions and indicators up to date."),
    "complete": _("The plan has been carried out."),
}


def step(name: str, form=None) -> dict:
    return {
        "name": name,
        "label": STEP_LABELS[name],
        "help": STEP_HELP[name],
        "form": form if form is not None else step_form(name, prefix=name),
    }


@register.simple_tag
def workflow_panel(plan, user) -> dict:
    """The plan's steps for this person, its history (oldest first) and versions."""
    history = list(plan.transitions.select_related("by", "version").order_by("at", "pk"))
    versions = list(
        plan.versions.select_related("submitted_by")
        .annotate(comment_count=Count("comments"))
        .order_by("number")
    )
    return {
        "steps": [step(name) for name in permissions.transitions_for(user, plan)],
        "history": history,
        "versions": versions,
    }
