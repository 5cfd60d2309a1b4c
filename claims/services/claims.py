"""A claim's life on the city's side: started, kept in step with the approved months and the
programme's flat rates, its expenditure entered, signed and submitted, reopened by a
coordinator with a reason. Every step is logged (``ClaimLog``)."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from config import clock
from config.stale import check, check_token
from reporting.models import ExchangeRate, MonthStatus, TimesheetMonth

from .. import permissions
from ..models import (
    EXPENDITURE_CATEGORIES,
    Claim,
    ClaimAction,
    ClaimLine,
    ClaimLog,
    ClaimStatus,
    CostOption,
    CostOptionKind,
    LineKind,
    ReportingPeriod,
)


def log(claim: Claim, action: str, actor: User, *, comment="", ip_address=None, details=None):
    return ClaimLog.objects.create(
        claim=claim,
        action=action,
        actor=actor,
        comment=comment,
        ip_address=ip_address,
        details=details or {},
    )


def _bump(claim: Claim) -> None:
    Claim.objects.filter(pk=claim.pk).update(version=claim.version + 1)
    claim.version += 1


@transaction.atomic
def claim_open(*, period: ReportingPeriod, city, by: User) -> Claim:
    """The city's claim for the period, started if need be (with the lines a controller parked
    in its earlier claims), and kept in step with the approved months."""
    ok, reason = permissions.can_start_claim(by, city.pk, period.programme_id)
    claim = Claim.objects.filter(period=period, city=city).first()
    if claim is None:
        if not ok:
            raise ValidationError(reason, code="wrong_role")
        claim = Claim.objects.create(programme=period.programme, city=city, period=period)
        log(claim, ClaimAction.CREATED, by)
        _carry_parked(claim, by)
    if claim.is_editable:
        claim_sync(claim)
    return claim


def _carry_parked(claim: Claim, by: User) -> None:
    """Lines a controller parked in the city's earlier claims come back in this one."""
    parked = ClaimLine.objects.filter(
        claim__city=claim.city,
        claim__programme=claim.programme,
        claim__period__number__lt=claim.period.number,
        claim__status=ClaimStatus.CERTIFIED,
        parked=True,
    ).exclude(pk__in=ClaimLine.objects.filter(carried_from__isnull=False).values("carried_from"))
    for line in parked:
        if line.kind == LineKind.STAFF:
            continue  # a month is claimed once; its line stays parked where it is
        copy = ClaimLine.objects.get(pk=line.pk)
        copy.pk = None
        copy.claim = claim
        copy.carried_from = line
        copy.created_by = by
        copy.exchange_rate = None if copy.kind == LineKind.REAL else copy.exchange_rate
        for name in ("sampled", "parked"):
            setattr(copy, name, False)
        copy.verified_at = copy.verified_by = copy.deducted = None
        copy.error_type = copy.control_comment = ""
        copy.save()


def _months_of(claim: Claim):
    period = claim.period
    return TimesheetMonth.objects.filter(
        programme=claim.programme,
        city=claim.city,
        status=MonthStatus.APPROVED,
        month__gte=period.starts_on.replace(day=1),
        month__lte=period.ends_on,
    )


def claim_sync(claim: Claim) -> None:
    """Bring an editable claim in step: a staff line for each approved month of the period not
    claimed elsewhere (its figures copied as approved), none for a month no longer approved,
    and a flat-rate line for each of the programme's flat rates in use."""
    if not claim.is_editable:
        return
    staff = {line.timesheet_month_id: line for line in claim.lines.filter(kind=LineKind.STAFF)}
    months = {
        month.pk: month
        for month in _months_of(claim).exclude(
            claim_lines__isnull=False, claim_lines__claim__in=Claim.objects.exclude(pk=claim.pk)
        )
    }
    changed = False
    for month_id, line in staff.items():
        month = months.get(month_id) if month_id is not None else None
        if month is None or month.approved_at != _approved_at(line):
            line.delete()
            changed = True
    kept = set(claim.lines.filter(kind=LineKind.STAFF).values_list("timesheet_month_id", flat=True))
    for month in months.values():
        if month.pk in kept:
            continue
        ClaimLine.objects.create(
            claim=claim,
            kind=LineKind.STAFF,
            category="staff",
            timesheet_month=month,
            person_id=month.person_id,
            month=month.month,
            hours=month.hours,
            cost_model=month.cost_model,
            annual_costs=month.annual_costs,
            working_time_share=month.working_time_share,
            exchange_rate=month.exchange_rate if month.costs_currency else None,
            currency=month.costs_currency,
            description=_("Approved on %(date)s") % {"date": month.approved_at.date().isoformat()},
        )
        changed = True
    options = {
        option.pk: option
        for option in CostOption.objects.filter(
            programme=claim.programme, kind=CostOptionKind.FLAT_RATE, active=True
        )
    }
    for line in claim.lines.filter(kind=LineKind.FLAT_RATE):
        option = options.get(line.cost_option_id or 0)
        if option is None or option.rate != line.flat_rate or option.category != line.category:
            line.delete()
            changed = True
    have = set(claim.lines.filter(kind=LineKind.FLAT_RATE).values_list("cost_option_id", flat=True))
    for option in options.values():
        if option.pk not in have:
            ClaimLine.objects.create(
                claim=claim,
                kind=LineKind.FLAT_RATE,
                category=option.category,
                cost_option=option,
                flat_rate=option.rate,
                description=option.name,
            )
            changed = True
    if changed:
        _bump(claim)


def _approved_at(line: ClaimLine):
    return line.timesheet_month.approved_at if line.timesheet_month is not None else None


def flat_rate_categories(programme) -> set[str]:
    return set(
        CostOption.objects.filter(
            programme=programme, kind=CostOptionKind.FLAT_RATE, active=True
        ).values_list("category", flat=True)
    )


@transaction.atomic
def line_save(*, claim: Claim, line: ClaimLine, by: User, version: str | None = None) -> ClaimLine:
    """An expenditure line entered or changed by the city: real cost, unit cost or lump sum.
    ``version`` is the line's version (``config.stale.version_of``) the form was drawn from: a
    save from an outdated page is refused."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    ok, reason = permissions.can_edit_claim(by, claim)
    if not ok:
        raise ValidationError(reason, code="wrong_role")
    if line.pk is not None:
        current = ClaimLine.objects.select_for_update().get(pk=line.pk, claim=claim)
        check(current, version)
    line.claim = claim
    if line.kind not in (LineKind.REAL, LineKind.UNIT, LineKind.LUMP_SUM):
        raise ValidationError(_("Only expenditure is entered by hand."))
    if line.category not in EXPENDITURE_CATEGORIES:
        raise ValidationError({"category": _("Choose a category of expenditure.")})
    if line.kind == LineKind.REAL:
        if line.category in flat_rate_categories(claim.programme):
            raise ValidationError(
                {
                    "category": _(
                        "The programme pays %(category)s as a flat rate on staff costs: real "
                        "costs of this category cannot be claimed as well."
                    )
                    % {"category": line.get_category_display().lower()}
                }
            )
        line.cost_option = None
        line.quantity = line.unit_amount = None
        line.currency = line.currency or claim.programme.currency
        line.exchange_rate = None
    else:
        option = line.cost_option
        if option is None or option.programme_id != claim.programme_id or not option.active:
            raise ValidationError({"cost_option": _("Choose one of the programme's cost options.")})
        if option.kind != line.kind:
            raise ValidationError({"cost_option": _("This cost option is of another kind.")})
        line.category = option.category
        line.unit_amount = option.amount
        if line.kind == LineKind.LUMP_SUM:
            line.quantity = Decimal(1)
        line.currency = claim.programme.currency
        line.net_amount = None
        line.vat = Decimal(0)
    if line.event is not None and line.event.programme_id != claim.programme_id:
        raise ValidationError({"event": _("Choose a visit of this programme.")})
    if line.attendance is not None:
        if line.attendance.event_id != line.event_id:
            raise ValidationError({"attendance": _("Choose an attendance of the chosen visit.")})
        if line.attendance.city_id != claim.city_id:
            raise ValidationError({"attendance": _("Choose someone who attended for this city.")})
    if line.invoice_date and line.payment_date and line.payment_date < line.invoice_date:
        raise ValidationError({"payment_date": _("The payment cannot come before the invoice.")})
    if line.pk is None:
        line.created_by = by
    line.full_clean(exclude=["claim", "receipt", "created_by"])
    line.save()
    _bump(claim)
    return line


@transaction.atomic
def line_delete(*, line: ClaimLine, by: User, version: str | None = None) -> None:
    """Remove an expenditure line; ``version`` is the line's as the confirmation page showed it:
    a line changed since is not removed unseen."""
    claim = Claim.objects.select_for_update().get(pk=line.claim_id)
    ok, reason = permissions.can_edit_claim(by, claim)
    if not ok:
        raise ValidationError(reason, code="wrong_role")
    check(ClaimLine.objects.select_for_update().get(pk=line.pk), version)
    if line.kind not in (LineKind.REAL, LineKind.UNIT, LineKind.LUMP_SUM):
        raise ValidationError(_("Staff costs and flat rates follow the approved months."))
    line.delete()
    _bump(claim)


def _exchange_rate(claim: Claim, currency: str, month: date) -> Decimal:
    rate = ExchangeRate.objects.filter(
        programme=claim.programme, currency=currency, month=month
    ).first()
    if rate is None:
        raise ValidationError(
            _(
                "A line is in %(currency)s: add the exchange rate from %(currency)s to "
                "%(programme_currency)s for %(month)s under Exchange rates first; it is frozen "
                "on the claim when it is submitted."
            )
            % {
                "currency": currency,
                "programme_currency": claim.programme.currency,
                "month": f"{month:%Y-%m}",
            }
        )
    return rate.rate


@transaction.atomic
def claim_submit(
    claim: Claim, *, by: User, ip_address: str | None = None, version: str | int | None = None
) -> Claim:
    """A supervisor signs the claim: its staff lines are brought in step one last time, lines in
    another currency take the programme's exchange rate of this month, and the claim locks."""
    from ..selectors import claim_figures

    claim = (
        Claim.objects.select_for_update()
        .select_related("programme", "city", "period")
        .get(pk=claim.pk)
    )
    permissions.CLAIM_WORKFLOW.check(by, claim, "submit")
    check_token(claim.version, version, current_object=claim)
    claim_sync(claim)
    if not claim.lines.exists():
        raise ValidationError(_("The claim has no lines to submit."))
    missing = claim.lines.filter(kind=LineKind.REAL, receipt__isnull=True)
    if missing.exists():
        raise ValidationError(
            _("%(count)s expenditure line(s) have no receipt yet: attach them first.")
            % {"count": missing.count()}
        )
    now = clock.now()
    month = now.date().replace(day=1)
    currency = claim.programme.currency
    for line in claim.lines.filter(kind=LineKind.REAL).exclude(currency=currency):
        line.exchange_rate = _exchange_rate(claim, line.currency, month)
        line.save(update_fields=["exchange_rate"])
    permissions.CLAIM_WORKFLOW.take(by, claim, "submit")
    claim.submitted_at = now
    claim.submitted_by = by
    claim.currency = currency
    claim.co_financing_rate = claim.programme.co_financing_rate
    claim.version += 1
    claim.save()
    figures = claim_figures(claim)
    log(
        claim,
        ClaimAction.SUBMITTED,
        by,
        ip_address=ip_address,
        details={
            "claimed": {c: str(v) for c, v in figures.totals.claimed.items()},
            "total": str(figures.totals.total_claimed),
            "lines": len(figures.lines),
            "currency": currency,
        },
    )
    from ..notifications import claim_step

    claim_step(claim, "submitted", by)
    return claim


@transaction.atomic
def claim_reopen(claim: Claim, *, by: User, reason: str, ip_address: str | None = None) -> Claim:
    """A coordinator reopens a claim with a reason: the city can change it and submit it again.
    A verification under way is kept (its checks stand until the lines change)."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the claim is reopened.")})
    permissions.CLAIM_WORKFLOW.take(by, claim, "reopen")
    claim.reopen_reason = reason.strip()
    claim.version += 1
    claim.save()
    log(claim, ClaimAction.REOPENED, by, comment=reason.strip(), ip_address=ip_address)
    from ..notifications import claim_step

    claim_step(claim, "reopened", by)
    return claim
