"""How staff-time figures read on pages: amounts in their currency (half-up), hours and days."""

from decimal import ROUND_HALF_UP, Decimal

from django import template
from django.utils.formats import number_format

from documents.money import format_money
from reporting.costs import cents

register = template.Library()


@register.filter
def money(value, currency: str = "") -> str:
    """``amount|money:programme.currency``: rounded half-up to the currency's minor unit and
    formatted for the reader's language, "€3,627.91" or "3.627,91 €" (documents.money). Without
    a currency, the number alone to the cent (pages that print their own currency code)."""
    if value is None or value == "":
        return ""
    if currency:
        return format_money(value, currency)
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
    """Days to one decimal, as reporting.costs.days_used gives them (half-days): 12.5."""
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


@register.filter
def share(value) -> str:
    """A share as a percentage with the decimals it has: 0.07 → "7%", 0.155 → "15.5%"."""
    if value is None or value == "":
        return ""
    shown = (Decimal(value) * 100).normalize()
    exponent = shown.as_tuple().exponent
    places = max(0, -exponent) if isinstance(exponent, int) else 0
    return f"{number_format(shown, places, use_l10n=True)}%"


@register.filter
def rate_exact(value) -> str:
    """A stored rate with all the decimals it has and none it lacks: 0.0532, 1,376.5."""
    if value is None or value == "":
        return ""
    shown = Decimal(value).normalize()
    places = max(0, -shown.as_tuple().exponent)
    return number_format(shown, places, use_l10n=True, force_grouping=True)
