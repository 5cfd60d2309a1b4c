"""Writes for local action plans: content with optimistic locking, the workflow, versions,
comments, measurements and PDFs.

Every rule lives here with a message on the field it concerns; views, the demo seeder and tests
all come through these functions.
"""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents import jobs
from documents.jobs import send_after_commit
from mentoring.models import Pairing, PairingStatus, Recommendation

from . import permissions
from .models import (
    Action,
    ActionPlan,
    GroupMember,
    Indicator,
    Measurement,
    PlanComment,
    PlanPdf,
    PlanVersion,
    Risk,
    Section,
    Stage,
    Transition,
)

# The list sections and the rows they hold, with the fields a form may set on each.
RowModel = type[Action] | type[Indicator] | type[Risk] | type[GroupMember]
ROWS: dict[str, tuple[RowModel, tuple[str, ...]]] = {
    Section.ACTIONS: (
        Action,
        (
            "title",
            "description",
            "lead_department",
            "partners",
            "starts_on",
            "ends_on",
            "cost",
            "funding_source",
            "status",
        ),
    ),
    Section.INDICATORS: (Indicator, ("name", "kind", "unit", "baseline", "target")),
    Section.RISKS: (Risk, ("description", "likelihood", "impact", "mitigation")),
    Section.LOCAL_GROUP: (GroupMember, ("organisation", "sector")),
}
SECTION_OF_MODEL = {model: section for section, (model, _fields) in ROWS.items()}
TEXT_SECTIONS: dict[str, str] = {Section.CONTEXT: "context", Section.OBJECTIVES: "objectives"}


def stale_message() -> str:
    return _(
        "Someone else saved this part of the plan while you were editing it. Your text is kept "
        "below: compare it with the saved version (open the page again in another tab), then "
        "save again."
    )


def _locked(plan: ActionPlan) -> ActionPlan:
    return ActionPlan.objects.select_for_update().select_related("pairing__scheme").get(pk=plan.pk)


def _require_edit(by: User, plan: ActionPlan) -> None:
    if not permissions.can_edit(by, plan):
        if plan.is_editable_stage:
            raise ValidationError(_("Only officers of the implementing city edit the plan."))
        raise ValidationError(
            _("The plan is %(stage)s: it cannot be changed now.")
            % {"stage": plan.get_stage_display().lower()}
        )


def _bump(plan: ActionPlan, section: str) -> None:
    plan.revisions = {**plan.revisions, section: plan.revision(section) + 1}
    plan.save(update_fields=["revisions", "updated_at"])


def _check_revision(current: int, expected: int | None) -> None:
    if expected is not None and int(expected) != current:
        raise ValidationError(stale_message(), code="stale")


# Creating and editing ---------------------------------------------------------------------------


def plan_create(*, pairing: Pairing, by: User, title: str = "") -> ActionPlan:
    """The implementing city's plan of the pairing, started as a draft."""
    if not permissions.can_create_for(by, pairing):
        raise ValidationError(_("Only officers of the implementing city start its action plan."))
    if pairing.status == PairingStatus.WITHDRAWN:
        raise ValidationError(_("A withdrawn pairing has no action plan."))
    if ActionPlan.objects.filter(pairing=pairing).exists():
        raise ValidationError(_("This pairing has an action plan already."))
    title = (title or "").strip() or _("Local action plan of %(city)s") % {
        "city": pairing.implementing
    }
    plan = ActionPlan(pairing=pairing, title=title)
    plan.full_clean()
    plan.save()
    return plan


def section_save(
    plan: ActionPlan, *, section: str, by: User, text: str, expected_revision: int | None
) -> ActionPlan:
    """Save the context or the objectives, unless someone saved them since the editor began."""
    if section not in TEXT_SECTIONS:
        raise ValueError(section)
    with transaction.atomic():
        plan = _locked(plan)
        _require_edit(by, plan)
        _check_revision(plan.revision(section), expected_revision)
        setattr(plan, TEXT_SECTIONS[section], (text or "").strip())
        plan.full_clean()
        plan.revisions = {**plan.revisions, section: plan.revision(section) + 1}
        plan.save()
    return plan


def title_save(plan: ActionPlan, *, by: User, title: str) -> ActionPlan:
    with transaction.atomic():
        plan = _locked(plan)
        _require_edit(by, plan)
        plan.title = (title or "").strip()
        plan.full_clean()
        plan.save(update_fields=["title", "updated_at"])
    return plan


def _row_errors(row) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    try:
        # The check constraints are held below with a message on their field.
        row.full_clean(exclude=["plan", "position", "revision"], validate_constraints=False)
    except ValidationError as error:
        errors.update(error.message_dict)
    if isinstance(row, Action) and row.starts_on and row.ends_on and row.ends_on < row.starts_on:
        errors.setdefault("ends_on", []).append(_("The end cannot come before the start."))
    if isinstance(row, Indicator) and row.baseline is not None and row.target == row.baseline:
        errors.setdefault("target", []).append(
            _("The target must differ from the baseline, or there is nothing to measure.")
        )
    return errors


def _set_links(row: Action, plan: ActionPlan, recommendations, commitments) -> None:
    if recommendations is not None:
        recommendations = list(recommendations)
        allowed = set(
            Recommendation.objects.filter(report__event__pairing=plan.pairing).values_list(
                "pk", flat=True
            )
        )
        foreign = [r for r in recommendations if r.pk not in allowed]
        if foreign:
            raise ValidationError(
                {"recommendations": [_("Link only recommendations of this pairing's visits.")]}
            )
        row.recommendations.set(recommendations)
    if commitments is not None:
        row.commitments.set(commitments)


def row_add(
    plan: ActionPlan, *, section: str, by: User, recommendations=None, commitments=None, **fields
):
    """A new action, indicator, risk or local group member at the end of its list."""
    model, allowed = ROWS[section]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields for {section}: {sorted(unknown)}")
    with transaction.atomic():
        plan = _locked(plan)
        _require_edit(by, plan)
        row = model(plan=plan, **fields)
        errors = _row_errors(row)
        if errors:
            raise ValidationError(errors)
        row.position = (model.objects.filter(plan=plan).aggregate(m=Max("position"))["m"] or 0) + 1
        row.save()
        if isinstance(row, Action):
            _set_links(row, plan, recommendations, commitments)
        _bump(plan, section)
    return row


def row_update(
    row,
    *,
    by: User,
    expected_revision: int | None,
    recommendations=None,
    commitments=None,
    **fields,
):
    """Change one row, unless someone changed it since the editor began."""
    section = SECTION_OF_MODEL[type(row)]
    _model, allowed = ROWS[section]
    unknown = set(fields) - set(allowed)
    if unknown:
        raise TypeError(f"Unknown fields for {section}: {sorted(unknown)}")
    with transaction.atomic():
        plan = _locked(row.plan)
        _require_edit(by, plan)
        stored = type(row).objects.select_for_update().get(pk=row.pk)
        _check_revision(stored.revision, expected_revision)
        for name, value in fields.items():
            setattr(stored, name, value)
        errors = _row_errors(stored)
        if errors:
            raise ValidationError(errors)
        stored.revision += 1
        stored.save()
        if isinstance(stored, Action):
            _set_links(stored, plan, recommendations, commitments)
        _bump(plan, section)
    return stored


def row_delete(row, *, by: User) -> None:
    section = SECTION_OF_MODEL[type(row)]
    with transaction.atomic():
        plan = _locked(row.plan)
        _require_edit(by, plan)
        type(row).objects.filter(pk=row.pk).delete()
        _bump(plan, section)


def rows_reorder(
    plan: ActionPlan, *, section: str, by: User, order: list[int], expected_revision: int | None
) -> None:
    """Put the section's rows in this order of ids (every row exactly once)."""
    model, _fields = ROWS[section]
    with transaction.atomic():
        plan = _locked(plan)
        _require_edit(by, plan)
        _check_revision(plan.revision(section), expected_revision)
        rows = {row.pk: row for row in model.objects.filter(plan=plan)}
        if sorted(rows) != sorted(order):
            raise ValidationError(_("The list changed while you reordered it; reload the page."))
        # Saved one by one (not QuerySet.update) so that the audit trail sees each move.
        for position, pk in enumerate(order, start=1):
            row = rows[pk]
            if row.position != position:
                row.position = position
                row.save(update_fields=["position"])
        _bump(plan, section)


# Tracking once endorsed ------------------------------------------------------------------------


def action_status_set(action: Action, *, by: User, status: str) -> Action:
    """During implementation the city keeps its actions' statuses up to date."""
    with transaction.atomic():
        plan = _locked(action.plan)
        if not (permissions.can_track(by, plan) or permissions.can_edit(by, plan)):
            raise ValidationError(_("Action statuses are kept by the implementing city."))
        action = Action.objects.select_for_update().get(pk=action.pk)
        action.status = status
        action.full_clean(exclude=["plan"])
        action.revision += 1
        action.save(update_fields=["status", "revision"])
    return action


def measurement_add(
    indicator: Indicator, *, by: User, measured_on: date, value: Decimal, note: str = ""
) -> Measurement:
    plan = indicator.plan
    if not (permissions.can_track(by, plan) or permissions.can_edit(by, plan)):
        raise ValidationError(_("Measurements are recorded by the implementing city."))
    errors: dict[str, list[str]] = {}
    if measured_on and measured_on > timezone.localdate():
        errors["measured_on"] = [_("A measurement cannot be dated in the future.")]
    if Measurement.objects.filter(indicator=indicator, measured_on=measured_on).exists():
        errors.setdefault("measured_on", []).append(
            _("This indicator has a measurement on that day already.")
        )
    measurement = Measurement(
        indicator=indicator, measured_on=measured_on, value=value, note=note, recorded_by=by
    )
    try:
        measurement.full_clean(validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    measurement.save()
    return measurement


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


def _notify(plan: ActionPlan, event: str) -> None:
    from .tasks import send_plan_notification

    send_after_commit(send_plan_notification, plan.pk, event)


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
        _notify(plan, "submitted")
    return version


def plan_request_changes(plan: ActionPlan, *, by: User, comment: str) -> Transition:
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what should change.")]})
    with transaction.atomic():
        plan = _locked(plan)
        step = _transition(plan, "request_changes", by=by, comment=comment)
        _notify(plan, "changes_requested")
    return step


def plan_approve(plan: ActionPlan, *, by: User, comment: str = "") -> Transition:
    with transaction.atomic():
        plan = _locked(plan)
        step = _transition(plan, "approve", by=by, comment=(comment or "").strip())
        _notify(plan, "approved")
    return step


def plan_endorse(
    plan: ActionPlan, *, by: User, body: str, decided_on: date | None, reference: str
) -> Transition:
    """Record the council's or mayor's decision that endorses the plan."""
    body, reference = (body or "").strip(), (reference or "").strip()
    errors: dict[str, list[str]] = {}
    if not body:
        errors["body"] = [_("Name the body that decided, e.g. the city council.")]
    if decided_on is None:
        errors["decided_on"] = [_("Give the date of the decision.")]
    elif decided_on > timezone.localdate():
        errors["decided_on"] = [_("The decision cannot be dated in the future.")]
    if not reference:
        errors["reference"] = [_("Give the reference of the decision.")]
    if errors or decided_on is None:
        raise ValidationError(errors)
    with transaction.atomic():
        plan = _locked(plan)
        approved = plan.transitions.filter(to_stage=Stage.APPROVED).order_by("-at").first()
        if approved and decided_on < timezone.localtime(approved.at).date():
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


# PDFs -----------------------------------------------------------------------------------------


def pdf_request(version: PlanVersion, *, by: User, language: str = "en") -> PlanPdf:
    """The version's PDF in this language: the stored one, or a job that makes it."""
    from .tasks import build_plan_pdf

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
    """Queue a failed PDF again: whoever sees the plan may, as it only repeats asked-for work."""
    from documents.models import JobStatus

    from .tasks import build_plan_pdf

    if not permissions.can_view(by, pdf.version.plan):
        raise ValidationError(_("You cannot see this plan."))
    if pdf.status != JobStatus.FAILED:
        raise ValidationError(_("Only a PDF that failed can be made again."))
    jobs.retry(pdf, build_plan_pdf)
