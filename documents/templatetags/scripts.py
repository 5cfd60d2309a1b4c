"""Writing direction for content whose language is known, in pages and PDFs:

    <div lang="{{ practice.language }}" dir="{{ practice.language|text_direction }}">

Arabic, Hebrew, Persian, Urdu... read right to left (``rtl``), the rest left to right (``ltr``);
a code Babel's CLDR data does not know leaves the direction to the text itself (``auto``).

And schema.org descriptions as JSON-LD (``json_ld``)."""

import json
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

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


# What would end the script element or start markup inside it, as JSON escapes (as Django's
# json_script writes them): the data block stays one inert element whatever the text holds.
_JSON_LD_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def json_ld(data) -> str:
    """A schema.org description as a JSON-LD data block: ``{{ data|json_ld }}``. A data block
    (a script of a type that is no JavaScript) is never run, so the Content-Security-Policy
    leaves it alone."""
    if not data:
        return ""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_LD_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308
