"""Action plans' share of a person's data: the versions they submitted, their comments and the
workflow steps they took. All of it is the programme's shared work and stays."""

from typing import Any

from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.privacy import PersonalDataPart, Row, register

from .models import PlanComment, PlanVersion, Transition


def export(person: User) -> dict[str, Any]:
    return {
        "plan_versions_submitted": [
            {"plan": v.plan.title, "version": v.number, "submitted_at": v.submitted_at}
            for v in PlanVersion.objects.filter(submitted_by=person)
            .select_related("plan")
            .order_by("submitted_at", "pk")
        ],
        "plan_comments": [
            {
                "plan": c.version.plan.title,
                "version": c.version.number,
                "section": c.section,
                "comment": c.body,
                "at": c.created_at,
            }
            for c in PlanComment.objects.filter(author=person)
            .select_related("version__plan")
            .order_by("created_at", "pk")
        ],
        "plan_transitions": [
            {
                "plan": t.plan.title,
                "from": t.from_stage,
                "to": t.to_stage,
                "at": t.at,
                "comment": t.comment,
            }
            for t in Transition.objects.filter(by=person)
            .select_related("plan")
            .order_by("at", "pk")
        ],
    }


def kept(person: User) -> dict[str, int]:
    return {
        "plan_versions": PlanVersion.objects.filter(submitted_by=person).count(),
        "plan_comments": PlanComment.objects.filter(author=person).count(),
        "plan_transitions": Transition.objects.filter(by=person).count(),
    }


register(
    PersonalDataPart(
        name="actionplans",
        order=40,
        export=export,
        kept=kept,
        kept_rows=(
            Row("plan_versions", _("Action-plan versions they submitted"), 90),
            Row("plan_comments", _("Comments on action plans"), 100),
            Row("plan_transitions", _("Steps they took in action plans' workflows"), 110),
        ),
    )
)
