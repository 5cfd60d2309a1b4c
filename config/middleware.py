"""Request-level guards that hold for every URL, the third-party ones included."""

import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

# C0 controls, DEL and C1 controls: never in a path, a query string or a field's name. In a query
# value tab, line feed and carriage return may stand (a search box may send them).
CONTROL_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f]")
CONTROL_IN_QUERY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A form's text keeps the other controls: text pasted from a word processor carries vertical tabs
# and form feeds, and refusing the form would throw away what was typed. NUL is the one that no
# text can hold and PostgreSQL refuses (Django's CharField already refuses it per field).
CONTROL_IN_FORM = re.compile(r"\x00")


def _has_control(pairs: Iterable[tuple[str, list]], in_value: re.Pattern) -> bool:
    for name, values in pairs:
        if CONTROL_IN_NAME.search(name):
            return True
        if any(isinstance(value, str) and in_value.search(value) for value in values):
            return True
    return False


class RejectControlCharactersMiddleware:
    """Answer 400 to a request whose path or query string carries a NUL or another control
    character, or whose form carries a NUL: no valid address has one, and PostgreSQL refuses NUL
    in a string (the query would fail with a 500). A cookie with one is dropped, as if it had
    not been sent. Placed first, so that nothing (sessions, lookups, views) sees such a value."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if CONTROL_IN_NAME.search(request.path) or _has_control(
            request.GET.lists(), CONTROL_IN_QUERY
        ):
            return bad_request(_("This address contains characters it cannot contain."))
        for name in [n for n, v in request.COOKIES.items() if CONTROL_IN_NAME.search(n + v)]:
            del request.COOKIES[name]
        if request.method == "POST":
            try:
                fields = list(request.POST.lists())
                files = [f.name or "" for f in request.FILES.values()]
            except MultiPartParserError:
                return bad_request(_("The form could not be read. Please send it again."))
            if _has_control(fields, CONTROL_IN_FORM) or any(
                CONTROL_IN_NAME.search(name) for name in files
            ):
                return bad_request(
                    _("The form contains characters it cannot contain. Check what was typed."),
                )
        return self.get_response(request)


def bad_request(reason: str) -> HttpResponse:
    """The 400 page, rendered without the request's context processors: they would read the
    session and the user, which is what this guard keeps the value away from."""
    return HttpResponseBadRequest(render_to_string("400.html", {"reason": reason}))
