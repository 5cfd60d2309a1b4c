"""Writing direction for content whose language is known, in pages and PDFs:

    <div lang="{{ practice.language }}" dir="{{ practice.language|text_direction }}">

Arabic, Hebrew, Persian, Urdu... read right to left (``rtl``), the rest left to right (``ltr``);
a code Babel's CLDR data does not know leaves the direction to the text itself (``auto``)."""

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django import template

register = template.Library()


@lru_cache(maxsize=256)
def direction_of(language: str) -> str:
    if not language:
        return "auto"
    try:
        locale = Locale.parse(language.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return "auto"
    return "rtl" if locale.text_direction == "rtl" else "ltr"


@register.filter
def text_direction(language) -> str:
    """``rtl``, ``ltr`` or ``auto`` for a language code such as ar, he, ko or zh-Hant."""
    return direction_of(str(language or ""))
