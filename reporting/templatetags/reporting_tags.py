"""How staff-time figures read on pages: amounts to the cent (half-up), hours and days."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from reporting.costs import cents

register = template.Library()


@register.filter
def money(value) -> str:
    """An amount in euros, rounded half-up to the cent: 3,627.91."""
    if value is None or value == "":
        return ""
    return number_format(cents(Decimal(value)), 2, use_l10n=True, force_grouping=True)


@register.filter
def rate(value) -> str:
    """A rate at four decimals, for reading; calculations keep full precision."""
    if value is None or value == "":
        return ""
    shown = Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    return number_format(shown, 4, use_l10n=True, force_grouping=True)


@register.filter
def hours(value) -> str:
    """Hours with one decimal at most: 7.5, 8."""
    if value is None or value == "":
        return ""
    shown = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    places = 0 if shown == shown.to_integral() else 1
    return number_format(shown, places, use_l10n=True, force_grouping=True)


@register.filter
def days(value) -> str:
    """Day-equivalents to one decimal: 12.5."""
    if value is None or value == "":
        return ""
    shown = Decimal(value).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return number_format(shown, 1, use_l10n=True, force_grouping=True)


@register.filter
def percent(value) -> str:
    if value is None or value == "":
        return ""
    shown = Decimal(value).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    return f"{shown}%"
