"""The plan's workflow: versions, submissions, reviews, endorsement and comments."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from config import clock

from .. import permissions
from ..models import (
    ActionPlan,
    PlanComment,
    PlanVersion,
    Section,
    Stage,
    Transition,
)
from .editing import _locked

# Versions and the workflow ----------------------------------------------------------------------


def snapshot(plan: ActionPlan) -> dict:
    """Everything a version shows, as plain data (strings for amounts and dates)."""

    def text(value) -> str | None:
        return None if value is None else str(value)

    actions = plan.actions.prefetch_related("recommendations__report__event", "commitments")
    return {
        "title": plan.title,
        "context": plan.context,
        "objectives": plan.objectives,
        "actions": [
            {
                "id": a.pk,
                "title": a.title,
                "description": a.description,
                "lead_department": a.lead_department,
                "partners": a.partners,
                "starts_on": text(a.starts_on),
                "ends_on": text(a.ends_on),
                "cost": text(a.cost),
                "funding_source": a.funding_source,
                "status": a.status,
                "recommendations": [str(r) for r in a.recommendations.all()],
                "commitments": [c.number for c in a.commitments.all()],
            }
            for a in actions
        ],
        "indicators": [
            {
                "id": i.pk,
                "name": i.name,
                "kind": i.kind,
                "unit": i.unit,
                "baseline": str(i.baseline),
                "target": str(i.target),
            }
            for i in plan.indicators.all()
        ],
        "risks": [
            {
                "id": r.pk,
                "description": r.description,
                "likelihood": r.likelihood,
                "impact": r.impact,
                "mitigation": r.mitigation,
            }
            for r in plan.risks.all()
        ],
        "local_group": [
            {"id": m.pk, "organisation": m.organisation, "sector": m.sector}
            for m in plan.local_group.all()
        ],
    }


def _submission_errors(plan: ActionPlan) -> list[str]:
    missing = []
    if not plan.context.strip():
        missing.append(str(Section.CONTEXT.label))
    if not plan.objectives.strip():
        missing.append(str(Section.OBJECTIVES.label))
    if not plan.actions.exists():
        missing.append(str(Section.ACTIONS.label))
    if not plan.indicators.exists():
        missing.append(str(Section.INDICATORS.label))
    if not missing:
        return []
    return [_("Fill in these parts before submitting: %(parts)s.") % {"parts": ", ".join(missing)}]


def _transition(
    plan: ActionPlan, name: str, *, by: User, comment: str = "", version=None
) -> Transition:
    """Take the step by the plan's workflow (permissions.PLAN_WORKFLOW), which says why not."""
    from_stage, to_stage = permissions.PLAN_WORKFLOW.take(by, plan, name)
    step = Transition(
        plan=plan, from_stage=from_stage, to_stage=to_stage, by=by, comment=comment, version=version
    )
    plan.save(update_fields=["stage", "updated_at"])
    step.save()
    return step


def _notify(plan: ActionPlan, step: Transition, event: str) -> None:
    from .. import notifications

    notifications.plan_step(plan, step, event)


def plan_submit(plan: ActionPlan, *, by: User) -> PlanVersion:
    """Submit (or resubmit) the plan: freeze it as the next version and tell the reviewers."""
    with transaction.atomic():
        plan = _locked(plan)
        name = "resubmit" if plan.stage == Stage.CHANGES_REQUESTED else "submit"
        permissions.PLAN_WORKFLOW.check(by, plan, name)
        errors = _submission_errors(plan)
        if errors:
            raise ValidationError(errors)
        number = (plan.versions.aggregate(m=Max("number"))["m"] or 0) + 1
        version = PlanVersion(plan=plan, number=number, submitted_by=by, snapshot=snapshot(plan))
        step = _transition(plan, name, by=by)
        version.save()
        step.version = version
        step.save(update_fields=["version"])
        _notify(plan, step, "submitted")
    return version


def plan_request_changes(plan: ActionPlan, *, by: User, comment: str) -> Transition:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what should change.")]})
    with transaction.atomic():
        plan = _locked(plan)
        step = _transition(plan, "request_changes", by=by, comment=comment)
        _notify(plan, step, "changes_requested")
    return step


def plan_approve(plan: ActionPlan, *, by: User, comment: str = "") -> Transition:
    with transaction.atomic():
        plan = _locked(plan)
        step = _transition(plan, "approve", by=by, comment=(comment or "").strip())
        _notify(plan, step, "approved")
    return step


def plan_endorse(
    plan: ActionPlan,
    *,
    by: User,
    body: str,
    decided_on: date | None,
    reference: str,
    today: date | None = None,
) -> Transition:
    """Record the council's or mayor's decision that endorses the plan. The decision is dated in
    the implementing city's calendar: not after ``today`` there (by default from the city's time
    zone), not before the day of the approval there."""
    zone = clock.zone_or_default(plan.pairing.implementing.time_zone)
    today = today or clock.today(zone)
    body, reference = (body or "").strip(), (reference or "").strip()
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = [_("Name the body that decided, e.g. the city council.")]
    if decided_on is None:
        errors["decided_on"] = [_("Give the date of the decision.")]
    elif decided_on > today:
        errors["decided_on"] = [_("The decision cannot be dated in the future.")]
    if not reference:
        errors["reference"] = [_("Give the reference of the decision.")]
    if errors or decided_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = _locked(plan)
        approved = plan.transitions.filter(to_stage=Stage.APPROVED).order_by("-at").first()
        if approved and decided_on < timezone.localtime(approved.at, zone).date():
            raise ValidationError(
                {"decided_on": [_("The endorsement cannot come before the approval.")]}
            )
        plan.endorsed_by_body, plan.endorsed_on, plan.endorsement_reference = (
            body,
            decided_on,
            reference,
        )
        plan.save(update_fields=["endorsed_by_body", "endorsed_on", "endorsement_reference"])
        return _transition(plan, "endorse", by=by)


def plan_start(plan: ActionPlan, *, by: User) -> Transition:
    with transaction.atomic():
        return _transition(_locked(plan), "start", by=by)


def plan_complete(plan: ActionPlan, *, by: User, comment: str = "") -> Transition:
    with transaction.atomic():
        return _transition(_locked(plan), "complete", by=by, comment=(comment or "").strip())


def comment_add(version: PlanVersion, *, by: User, section: str, body: str) -> PlanComment:
    """A comment stays attached to the version and section it was made on."""
    if not permissions.can_comment(by, version.plan):
        raise ValidationError(_("Only the plan's authors, reviewers and coordinators comment."))
    comment = PlanComment(version=version, section=section, author=by, body=(body or "").strip())
    comment.full_clean()
    comment.save()
    return comment
