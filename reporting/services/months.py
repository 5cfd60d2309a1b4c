"""The signatures of a month: submitted by the person, approved or returned by a supervisor,
reopened by a coordinator, each logged."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.selectors import today_for
from config import clock
from documents.jobs import send_after_commit

from .. import permissions
from ..costs import CostFigures, rate_for
from ..models import (
    ExchangeRate,
    MonthStatus,
    StaffRate,
    TimesheetAction,
    TimesheetLog,
    TimesheetMonth,
)
from ..notifications import month_step
from ..selectors import hours_signed_by_year, other_grant_hours_in
from ..timesheet_pdfs import forget
from .other_grants import lock_person
from .time import _plain

# Signatures -------------------------------------------------------------------------------------


def _log(sheet, action, actor, *, comment="", ip_address=None, details=None) -> TimesheetLog:
    return TimesheetLog.objects.create(
        month=sheet,
        action=action,
        actor=actor,
        comment=comment,
        ip_address=ip_address,
        details=details or {},
    )


@transaction.atomic
def month_submit(
    sheet: TimesheetMonth,
    *,
    by: User,
    ip_address: str | None = None,
    today: date | None = None,
) -> None:
    """The person signs their month: it goes to the supervisor and can no longer change. A month
    can be signed once it has begun where the person is (``today``, by default from their zone),
    and only while the person's hours of the year, signed here and declared in other grants,
    stay within their productive hours."""
    lock_person(sheet.person_id)
    sheet = TimesheetMonth.objects.select_for_update().get(pk=sheet.pk)
    permissions.MONTH_WORKFLOW.check(by, sheet, "submit")
    if sheet.month > (today or today_for(by)):
        raise ValidationError(_("A month can be signed once it has begun."))
    hours = _month_hours(sheet)
    if not hours:
        raise ValidationError(_("There is no time recorded in this month to sign."))
    _check_year_across_grants(sheet, hours)
    permissions.MONTH_WORKFLOW.take(by, sheet, "submit")
    sheet.submitted_at = clock.now()
    sheet.return_comment = ""
    sheet.save(update_fields=["status", "submitted_at", "return_comment"])
    step = _log(
        sheet,
        TimesheetAction.SUBMITTED,
        by,
        ip_address=ip_address,
        details={"hours": str(hours)},
    )
    month_step(sheet, step)


def _check_year_across_grants(sheet: TimesheetMonth, hours: Decimal) -> None:
    """Refuse a signature that would bring the person's hours of the year, signed in Tandem in
    any programme and city plus those declared in other grants, over their productive hours
    (from their rate with the month's city, under the month's programme). Without a rate there is
    nothing to compare with yet: approval asks for one."""
    year = sheet.month.year
    rate = StaffRate.objects.filter(person=sheet.person_id, city=sheet.city_id, year=year).first()
    if rate is None:
        return
    productive = rate.productive_hours(CostFigures.of(sheet.programme))
    here = hours_signed_by_year(sheet.person, years=[year], excluding=sheet).get(year, Decimal(0))
    other = other_grant_hours_in(sheet.person, year)
    total = here + hours + other
    if total > productive:
        raise ValidationError(
            _(
                "Signing would bring you to %(total)s hours in %(year)s: %(here)s in your "
                "timesheets in Tandem, this month's %(hours)s included, and %(other)s declared "
                "in other grants, more than your %(productive)s productive hours."
            )
            % {
                "total": _plain(total),
                "year": year,
                "here": _plain(here + hours),
                "hours": _plain(hours),
                "other": _plain(other),
                "productive": _plain(productive),
            }
        )


def _month_hours(sheet: TimesheetMonth) -> Decimal | None:
    """The month's hours at the entries' precision (one decimal), the same on every database:
    SQLite sums 10.0 and 0.0 to 10, PostgreSQL to 10.0."""
    total = sheet.entries.aggregate(total=Sum("hours"))["total"]
    return None if total is None else Decimal(total).quantize(Decimal("0.1"))


@transaction.atomic
def month_approve(sheet: TimesheetMonth, *, by: User, ip_address: str | None = None) -> None:
    """The supervisor countersigns: the month locks with the rate in force stored on it."""
    sheet = (
        TimesheetMonth.objects.select_for_update(of=("self",))
        .select_related("programme", "city", "person")
        .get(pk=sheet.pk)
    )
    permissions.MONTH_WORKFLOW.check(by, sheet, "approve")
    year = sheet.month.year
    rate = StaffRate.objects.filter(person=sheet.person, city=sheet.city, year=year).first()
    if rate is None:
        raise ValidationError(
            _(
                "%(person)s has no annual personnel costs for %(year)s yet; enter them under "
                "Rates first."
            )
            % {"person": sheet.person, "year": year}
        )
    figures = CostFigures.of(sheet.programme)
    costs_currency, exchange_rate = _exchange_rate(sheet, rate)
    hours = _month_hours(sheet) or Decimal(0)
    approved_in_year = TimesheetMonth.objects.filter(
        person=sheet.person, month__year=year, status=MonthStatus.APPROVED
    ).aggregate(total=Sum("hours"))["total"] or Decimal(0)
    productive = rate.productive_hours(figures)
    if approved_in_year + hours > productive:
        raise ValidationError(
            _(
                "Approving would bring %(person)s to %(total)s hours in %(year)s, more than the "
                "%(productive)s productive hours of their working-time share."
            )
            % {
                "person": sheet.person,
                "total": _plain(approved_in_year + hours),
                "year": year,
                "productive": _plain(productive),
            }
        )
    permissions.MONTH_WORKFLOW.take(by, sheet, "approve")
    sheet.approved_at = clock.now()
    sheet.approved_by = by
    sheet.hours = hours
    sheet.cost_model = sheet.programme.cost_model
    sheet.annual_costs = rate.annual_costs
    sheet.working_time_share = rate.working_time_share
    sheet.costs_currency = costs_currency
    sheet.exchange_rate = exchange_rate
    sheet.rate = rate_for(sheet.cost_model, rate.annual_costs, rate.working_time_share, figures)
    if exchange_rate is not None:
        sheet.rate *= exchange_rate
    sheet.save()
    step = _log(
        sheet,
        TimesheetAction.APPROVED,
        by,
        ip_address=ip_address,
        details={
            "hours": str(hours),
            "cost_model": sheet.cost_model,
            "annual_costs": str(rate.annual_costs),
            "working_time_share": str(rate.working_time_share),
            "rate": str(sheet.rate),
            "costs_currency": costs_currency,
            "exchange_rate": None if exchange_rate is None else str(exchange_rate),
        },
    )
    month_step(sheet, step)
    # Its timesheet is laid out now, once, for the city's staff-cost reports to reuse.
    from ..tasks import make_timesheet_pdfs

    send_after_commit(make_timesheet_pdfs, sheet.pk)


def _exchange_rate(sheet: TimesheetMonth, rate: StaffRate) -> tuple[str, Decimal | None]:
    """The currency of the person's annual costs and the programme's exchange rate of the month
    that converts them: ("", None) when they are in the programme's currency. A missing rate is
    refused with the rate to add."""
    programme = sheet.programme
    if not rate.currency or rate.currency == programme.currency:
        return "", None
    exchange = ExchangeRate.objects.filter(
        programme=programme, currency=rate.currency, month=sheet.month
    ).first()
    if exchange is None:
        raise ValidationError(
            _(
                "%(person)s's annual costs are in %(currency)s: add the exchange rate from "
                "%(currency)s to %(programme_currency)s for %(month)s under Exchange rates of "
                "%(programme)s first."
            )
            % {
                "person": sheet.person,
                "currency": rate.currency,
                "programme_currency": programme.currency,
                "month": f"{sheet.month:%Y-%m}",
                "programme": programme,
            }
        )
    return rate.currency, exchange.rate


def months_approve(
    sheets, *, by: User, ip_address: str | None = None
) -> tuple[list[TimesheetMonth], dict[TimesheetMonth, list[str]]]:
    """Approve many months; each succeeds or fails on its own. Returns (approved, refused)."""
    approved, refused = [], {}
    for sheet in sheets:
        try:
            month_approve(sheet, by=by, ip_address=ip_address)
        except ValidationError as error:
            refused[sheet] = error.messages
        else:
            approved.append(sheet)
    return approved, refused


@transaction.atomic
def month_return(
    sheet: TimesheetMonth, *, by: User, comment: str, ip_address: str | None = None
) -> None:
    """The supervisor sends the month back to the person with a comment."""
    sheet = TimesheetMonth.objects.select_for_update().get(pk=sheet.pk)
    permissions.MONTH_WORKFLOW.check(by, sheet, "return")
    comment = comment.strip()
    if not comment:
        raise ValidationError({"comment": [_("Say what should change.")]})
    permissions.MONTH_WORKFLOW.take(by, sheet, "return")
    sheet.return_comment = comment
    sheet.save(update_fields=["status", "return_comment"])
    step = _log(sheet, TimesheetAction.RETURNED, by, comment=comment, ip_address=ip_address)
    month_step(sheet, step)


@transaction.atomic
def month_reopen(
    sheet: TimesheetMonth, *, by: User, reason: str, ip_address: str | None = None
) -> None:
    """A coordinator unlocks an approved month; the reason and the figures set aside are kept."""
    sheet = TimesheetMonth.objects.select_for_update().get(pk=sheet.pk)
    permissions.MONTH_WORKFLOW.check(by, sheet, "reopen")
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": [_("Give the reason for reopening the month.")]})
    details = {
        "hours": str(sheet.hours),
        "rate": str(sheet.rate),
        "costs_currency": sheet.costs_currency,
        "exchange_rate": None if sheet.exchange_rate is None else str(sheet.exchange_rate),
        "approved_by": sheet.approved_by_id,
        "approved_at": sheet.approved_at.isoformat() if sheet.approved_at else None,
    }
    permissions.MONTH_WORKFLOW.take(by, sheet, "reopen")
    forget([sheet.pk])
    sheet.submitted_at = sheet.approved_at = sheet.approved_by = None
    sheet.hours = sheet.annual_costs = sheet.working_time_share = sheet.rate = None
    sheet.exchange_rate = None
    sheet.cost_model = sheet.costs_currency = ""
    sheet.save()
    step = _log(
        sheet, TimesheetAction.REOPENED, by, comment=reason, ip_address=ip_address, details=details
    )
    month_step(sheet, step)
