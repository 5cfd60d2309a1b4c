"""Audits of certified claims, recorded by the programme's coordinators, and the financial
corrections they made. Each audit is logged on the claim (``ClaimAction.AUDITED``)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import today_for
from documents.money import format_money

from .. import permissions
from ..models import Audit, Category, Claim, ClaimAction, ClaimLine, Correction
from .claims import log


def _may_record(by: User, claim: Claim) -> None:
    allowed, reason = permissions.can_record_audit(by, claim)
    if not allowed:
        raise ValidationError(reason, code="refused")


@transaction.atomic
def audit_record(
    *,
    claim: Claim,
    body: str,
    held_on: date,
    findings: str,
    by: User,
    ip_address: str | None = None,
) -> Audit:
    """Record an audit of a certified claim: who audited it, when, and what they found."""
    claim = Claim.objects.select_for_update().select_related("programme").get(pk=claim.pk)
    _may_record(by, claim)
    errors: dict[str, list[str]] = {}
    if held_on > today_for(by):
        errors["held_on"] = [_("Record an audit once it has taken place: not a future day.")]
    if claim.submitted_at is not None and held_on < claim.submitted_at.date():
        errors["held_on"] = [_("The claim was submitted after this day.")]
    if errors:
        raise ValidationError(errors)
    audit = Audit(
        claim=claim, body=body.strip(), held_on=held_on, findings=findings.strip(), recorded_by=by
    )
    audit.full_clean()
    audit.save()
    log(
        claim,
        ClaimAction.AUDITED,
        by,
        comment=audit.findings,
        ip_address=ip_address,
        details={"audit": audit.pk, "body": audit.body, "held_on": held_on.isoformat()},
    )
    return audit


@transaction.atomic
def correction_add(
    *,
    audit: Audit,
    category: str,
    line: ClaimLine | None,
    amount: Decimal,
    description: str,
    by: User,
) -> Correction:
    """A correction of the audit: ``amount`` taken off the certified amount of a category (a
    negative amount gives back), on one of the claim's lines or on the category as a whole.
    What stays certified of a category cannot fall below zero."""
    from ..arithmetic import corrected
    from ..selectors import claim_figures

    audit = Audit.objects.select_for_update().select_related("claim__programme").get(pk=audit.pk)
    claim = audit.claim
    _may_record(by, claim)
    errors: dict[str, list[str]] = {}
    if category not in Category.values:
        errors["category"] = [_("Choose a category.")]
    if line is not None:
        if line.claim_id != claim.pk:
            errors["line"] = [_("Choose a line of this claim.")]
        elif line.category != category:
            errors["category"] = [
                _("The line is in %(category)s: choose that category.")
                % {"category": line.get_category_display()}
            ]
    if amount == 0:
        errors["amount"] = [_("A correction is more or less than zero.")]
    if not errors:
        before = dict(
            Correction.objects.filter(audit__claim=claim)
            .values_list("category")
            .annotate(total=Sum("amount"))
            .values_list("category", "total")
        )
        before[category] = before.get(category, Decimal(0)) + amount
        final = corrected(claim_figures(claim).totals, before)
        if final.get(category, Decimal(0)) < 0:
            errors["amount"] = [
                _(
                    "This would take more off %(category)s than was certified of it "
                    "(%(left)s is left after the corrections so far)."
                )
                % {
                    "category": Category(category).label,
                    "left": format_money(
                        final[category] + amount, claim.currency or claim.programme.currency
                    ),
                }
            ]
    if errors:
        raise ValidationError(errors)
    correction = Correction(
        audit=audit,
        category=category,
        line=line,
        amount=amount,
        description=description.strip(),
    )
    correction.full_clean()
    correction.save()
    return correction
