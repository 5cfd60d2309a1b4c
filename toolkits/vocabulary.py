"""The languages a practice or toolkit may be written in (any ISO 639-1 language) and the
currencies its budget may be given in (any current ISO 4217 currency), named from Babel's CLDR
data in the reader's language rather than from hand-made lists."""

from functools import cache

from babel import Locale, UnknownLocaleError
from babel.numbers import get_currency_name, list_currencies
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from documents.money import current_currencies


def _locale() -> Locale:
    try:
        return Locale.parse((get_language() or "en").replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale("en")


# Languages written in more than one script, where the script decides how a text is drawn (a
# Traditional Chinese text needs the Traditional glyph forms): BCP 47 tags with the script.
WITH_SCRIPT = ("zh-Hans", "zh-Hant", "sr-Latn")


@cache
def language_codes() -> frozenset[str]:
    """Every two-letter (ISO 639-1) language code CLDR names, and the script variants of
    ``WITH_SCRIPT`` (BCP 47, as the pages' ``lang`` attributes take them)."""
    two = {code for code in Locale("en").languages if len(code) == 2 and code.isalpha()}
    return frozenset(two | set(WITH_SCRIPT))


def currency_codes() -> frozenset[str]:
    """Every ISO 4217 currency some country uses today as legal tender: the portal's one list
    (``documents.money.current_currencies``), so a practice offers what a programme offers."""
    return frozenset(current_currencies())


@cache
def known_currency_codes() -> frozenset[str]:
    """Every ISO 4217 code Babel knows, former ones included: a budget stored in Bulgarian
    leva stays valid after Bulgaria adopted the euro."""
    return frozenset(list_currencies()) | currency_codes()


def language_name(code: str) -> str:
    """The language's name in the reader's language, e.g. "Koreanisch" for ko in German."""
    locale, key = _locale(), code.replace("-", "_")
    name = locale.languages.get(key) or Locale("en").languages.get(key)
    return name[:1].upper() + name[1:] if name else code


def currency_name(code: str) -> str:
    try:
        name = get_currency_name(code, locale=_locale())
    except (ValueError, UnknownLocaleError):
        name = code
    return f"{name} ({code})"


def language_choices(keep: str = "") -> list[tuple[str, str]]:
    """Every language by its name in the reader's language; ``keep`` is a stored code offered
    even if it is not in the list."""
    codes = language_codes() | ({keep} if keep else set())
    return sorted(((c, language_name(c)) for c in codes), key=lambda c: c[1].casefold())


def currency_choices(keep: str = "") -> list[tuple[str, str]]:
    """Every current currency by its name in the reader's language; ``keep`` is a stored code
    (perhaps a former currency) offered as well."""
    codes = currency_codes() | ({keep} if keep else set())
    return sorted(((c, currency_name(c)) for c in codes), key=lambda c: c[1].casefold())


def validate_language(code: str) -> None:
    if code not in language_codes():
        raise ValidationError(
            _("%(code)s is not an ISO 639-1 language code (or zh-Hans, zh-Hant, sr-Latn)."),
            params={"code": code},
            code="language",
        )


def validate_currency(code: str) -> None:
    if code not in known_currency_codes():
        raise ValidationError(
            _("%(code)s is not a current ISO 4217 currency code."),
            params={"code": code},
            code="currency",
        )


def code_choice_fields(form, *, stored) -> None:
    """Turn a form's ``language`` and ``currency`` text fields (if it has them) into lists of
    every language and current currency by their names in the reader's language; ``stored``
    is the object (or initial data) whose codes stay on offer even if no longer current."""
    from django import forms

    for name, choices in (("language", language_choices), ("currency", currency_choices)):
        field = form.fields.get(name)
        if field is None:
            continue
        form.fields[name] = forms.ChoiceField(
            label=field.label,
            help_text=field.help_text,
            initial=field.initial,
            choices=choices(keep=_stored(stored, name)),
        )


def _stored(stored, name: str) -> str:
    value = stored.get(name) if isinstance(stored, dict) else getattr(stored, name, "")
    return value or ""
