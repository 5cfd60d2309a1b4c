"""Staff rates: who may set them and the rules a year's rate keeps."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from accounts.models import User
from cities.models import City
from config import stale
from mentoring.models import Programme

from .. import permissions
from ..costs import EU_FIGURES, CostFigures
from ..models import (
    ExchangeRate,
    StaffRate,
    TimeEntry,
)
from .time import _plain

# Rates ------------------------------------------------------------------------------------------


@transaction.atomic
def staff_rate_save(
    *,
    person: User,
    city: City,
    year: int,
    annual_costs: Decimal,
    working_time_share: Decimal,
    by: User,
    currency: str = "",
    new: bool = False,
    expected_version: str | None = None,
) -> StaffRate:
    """Enter or change a person's annual costs for a year. Approved months keep the rate they
    were approved with. ``new``: only enter one; a rate that exists for the year is refused
    (from the "new rate" page changing it is likely a slip). ``expected_version``: the rate as
    the page showed it; one changed since is refused (``config.stale``), its row locked while
    compared. ``currency``: of the annual costs, empty for the programme's own; months in
    another currency are converted at the programme's exchange rate when approved."""
    if not permissions.can_manage_rates(by, city.pk):
        raise ValidationError(
            _("Only supervisors of %(city)s and coordinators enter its rates.") % {"city": city}
        )
    if not permissions.is_officer_of(person, city.pk) and not permissions.is_supervisor_of(
        person, city.pk
    ):
        raise ValidationError(
            {"person": [_("Choose a person who works for %(city)s.") % {"city": city}]}
        )
    existing = StaffRate.objects.filter(person=person, city=city, year=year).first()
    if existing is not None and not new:
        existing = stale.locked(existing, expected_version)
    if existing is not None and new:
        raise ValidationError(
            {
                "year": [
                    _("%(person)s already has a rate for %(year)s in %(city)s; change that one.")
                    % {"person": person, "year": year, "city": city}
                ]
            }
        )
    rate = existing or StaffRate(person=person, city=city, year=year)
    rate.annual_costs = annual_costs
    rate.working_time_share = working_time_share
    rate.currency = currency
    rate.updated_by = by
    rate.full_clean(validate_unique=False)
    declared = (
        TimeEntry.objects.filter(person=person, day__year=year).aggregate(total=Sum("hours"))[
            "total"
        ]
        or 0
    )
    productive = rate.productive_hours(_most_generous_figures(city))
    if declared > productive:
        raise ValidationError(
            {
                "working_time_share": [
                    _(
                        "%(person)s has already recorded %(hours)s hours in %(year)s, more than "
                        "the %(productive)s productive hours of this share."
                    )
                    % {
                        "person": person,
                        "hours": _plain(declared),
                        "year": year,
                        "productive": _plain(productive),
                    }
                ]
            }
        )
    rate.save()
    return rate


def _most_generous_figures(city: City) -> CostFigures:
    """The hours already recorded may belong to any programme of the city; each month's own
    programme holds the strict cap when it is approved (months.month_approve). Here the most
    productive hours any of them allows."""
    programmes = Programme.objects.filter(participations__city=city).order_by(
        "-productive_hours_per_year"
    )
    first = programmes.first()
    return CostFigures.of(first) if first is not None else EU_FIGURES


@transaction.atomic
def exchange_rate_save(
    *,
    programme: Programme,
    currency: str,
    month: date,
    rate: Decimal,
    source: str,
    by: User,
    exchange_rate: ExchangeRate | None = None,
    expected_version: str | None = None,
) -> ExchangeRate:
    """Enter (``exchange_rate`` None) or change one of the programme's monthly exchange rates:
    what one unit of ``currency`` is worth in the programme's currency in ``month``. Months
    approved with the old value keep it (it is stored on them); only approvals from now on use
    the new one. ``expected_version``: the rate as the page showed it (``config.stale``)."""
    allowed, reason = permissions.can_manage_exchange_rates(by, programme)
    if not allowed:
        raise ValidationError(reason)
    if exchange_rate is not None:
        exchange_rate = stale.locked(exchange_rate, expected_version)
    else:
        exchange_rate = ExchangeRate(programme=programme)
    errors: dict[str, list[str]] = {}
    if currency == programme.currency:
        errors["currency"] = [
            _("%(currency)s is the programme's own currency; it needs no exchange rate.")
            % {"currency": currency}
        ]
    if month is not None and not (programme.starts_on.replace(day=1) <= month <= programme.ends_on):
        errors["month"] = [
            _("Choose a month of the programme, %(start)s to %(end)s.")
            % {"start": f"{programme.starts_on:%Y-%m}", "end": f"{programme.ends_on:%Y-%m}"}
        ]
    duplicate = ExchangeRate.objects.filter(programme=programme, currency=currency, month=month)
    if exchange_rate.pk:
        duplicate = duplicate.exclude(pk=exchange_rate.pk)
    if "month" not in errors and duplicate.exists():
        errors["month"] = [
            _("There is already a %(currency)s rate for %(month)s; change that one.")
            % {"currency": currency, "month": f"{month:%Y-%m}"}
        ]
    if errors:
        raise ValidationError(errors)
    exchange_rate.currency = currency
    exchange_rate.month = month
    exchange_rate.rate = rate
    exchange_rate.source = source.strip()
    exchange_rate.updated_by = by
    exchange_rate.full_clean(validate_unique=False)
    exchange_rate.save()
    return exchange_rate
