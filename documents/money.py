"""Amounts of money as people read them: in a currency (ISO 4217, from Babel's CLDR data),
rounded half-up to the currency's minor unit, formatted for the reader's language.

The one rule for rounding an amount that is shown is ``round_amount`` (half-up, to the minor
unit: cents for EUR, none for KRW and JPY). Arithmetic keeps full precision; ``format_money``
rounds with that rule first and then lets Babel format without rounding again (Babel would round
half-even). Templates use the ``money`` filter of ``money_tags``, which calls ``format_money``.
"""

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.core import get_global
from babel.numbers import (
    format_currency,
    get_currency_name,
    get_currency_precision,
    get_territory_currencies,
    is_currency,
)
from django.utils import translation

DEFAULT_CURRENCY = "EUR"


@cache
def current_currencies() -> tuple[str, ...]:
    """The ISO 4217 codes some territory uses as legal tender today (CLDR), sorted."""
    codes: set[str] = set()
    today = date.today()  # noqa: DTZ011 - a calendar date for CLDR's tables, not a timestamp
    for territory in get_global("territory_currencies"):
        codes.update(get_territory_currencies(territory, today, tender=True))
    codes.add(DEFAULT_CURRENCY)
    return tuple(sorted(code for code in codes if is_currency(code)))


def currency_choices() -> list[tuple[str, str]]:
    """(code, "code · name") for a form's select, names in the reader's language."""
    locale = babel_locale()
    return [
        (code, f"{code} · {get_currency_name(code, locale=locale)}")
        for code in current_currencies()
    ]


def is_known_currency(code: str) -> bool:
    return code in current_currencies()


def minor_unit(currency: str) -> int:
    """Decimal places of the currency: 2 for EUR, 0 for KRW and JPY, 3 for BHD."""
    return get_currency_precision(currency or DEFAULT_CURRENCY)


def round_amount(amount: Decimal, currency: str = DEFAULT_CURRENCY) -> Decimal:
    """An amount for display: to the currency's minor unit, half-up."""
    return amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)


def babel_locale(language: str | None = None) -> str:
    """Babel's name for a Django language code: "de", "pt_BR", "zh_Hant"."""
    code = language or translation.get_language() or "en"
    return translation.to_locale(code)


def format_money(
    amount: Decimal | int | str | None, currency: str, *, language: str | None = None
) -> str:
    """ "1.234,50 €" in German, "€1,234.50" in English, "₩1,234" for KRW; "" for no amount."""
    if amount is None or amount == "":
        return ""
    currency = currency or DEFAULT_CURRENCY
    rounded = round_amount(Decimal(amount), currency)
    try:
        shown = format_currency(
            rounded, currency, locale=babel_locale(language), decimal_quantization=False
        )
    except ValueError:  # a language Babel does not know: English
        shown = format_currency(rounded, currency, locale="en", decimal_quantization=False)
    # CLDR's currency spacing, which Babel leaves out: a code or symbol made of letters keeps a
    # no-break space from the digits ("ZAR 688,000.00", not "ZAR688,000.00").
    shown = _LETTER_DIGIT.sub("\\1\N{NO-BREAK SPACE}\\2", shown)
    return _DIGIT_LETTER.sub("\\1\N{NO-BREAK SPACE}\\2", shown)


_LETTER_DIGIT = re.compile(r"([^\W\d_])(\d)")
_DIGIT_LETTER = re.compile(r"(\d)([^\W\d_])")


def xlsx_number_format(currency: str) -> str:
    """A spreadsheet number format naming the currency: #,##0.00 "EUR", #,##0 "KRW"."""
    places = minor_unit(currency)
    digits = "#,##0" + ("." + "0" * places if places else "")
    return f'{digits} "{currency}"'


@dataclass(frozen=True)
class Money:
    """An amount in a currency for a CSV or XLSX cell: CSV writes the number at the precision
    given, XLSX writes a number cell with a format naming the currency."""

    amount: Decimal
    currency: str

    def __str__(self) -> str:
        return str(self.amount)
