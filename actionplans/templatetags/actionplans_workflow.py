"""What the workflow panel of a plan page shows: the steps the person may take now, with their
forms, the history and the versions, in a fixed number of queries."""

from django import template
from django.db.models import Count

from actionplans.forms.workflow import step_form
from actionplans.permissions import PLAN_WORKFLOW

register = template.Library()


def step(name: str, form=None) -> dict:
    return {
        "name": name,
        "label": PLAN_WORKFLOW[name].label,
        "help": PLAN_WORKFLOW[name].help,
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
        "steps": [step(t.name) for t in PLAN_WORKFLOW.available(user, plan)],
        "history": history,
        "versions": versions,
    }
