"""Strict URL converters: a parameter that cannot be valid does not match, so the address is a
404 before any view or query sees it. Registered when this module is imported (config/urls.py
imports it before any app's urls)."""

from django.urls import register_converter


class _Strict:
    regex = ""

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TokenConverter(_Strict):
    """A random URL-safe token (secrets.token_urlsafe): calendar feed links."""

    regex = r"[A-Za-z0-9_-]{1,128}"


class SignedConverter(_Strict):
    """A value signed by django.core.signing (base64 parts joined by colons): invitation links."""

    regex = r"[A-Za-z0-9_.:-]{1,1024}"


class KeyConverter(_Strict):
    """A name from a fixed list (a file format, a section, a workflow step, a language, a model's
    "app.model" key): ASCII letters, digits and _ . - only. Letters of either case match, so
    that the view decides ("EN" is an unknown language: its 404, not the resolver's)."""

    regex = r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}"


register_converter(TokenConverter, "token")
register_converter(SignedConverter, "signed")
register_converter(KeyConverter, "key")
