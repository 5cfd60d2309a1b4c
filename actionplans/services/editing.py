"""Writing a plan: creating it, its text sections and its rows, under optimistic locking."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from accounts.models import User
from config import stale
from mentoring.models import Pairing, PairingStatus, Recommendation

from .. import permissions
from ..models import (
    Action,
    ActionPlan,
    GroupMember,
    Indicator,
    Risk,
    Section,
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
    """The plan's revision counters are its versions (``config.stale``): the caller holds the
    plan's (or the row's) lock while they are compared."""
    stale.check_token(current, expected, message=stale_message())


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
