"""Request-level guards that hold for every URL, the third-party ones included."""

import logging
import re
import sys
from collections.abc import Callable, Iterable
from contextlib import ExitStack

from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

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


# A database connection lost during a request ----------------------------------------------------

# Statements that read or only manage the transaction: a request that sent nothing else has
# written nothing, so running it again cannot do anything twice.
READ_ONLY_SQL = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "SET", "SHOW", "BEGIN", "COMMIT")
RETRY_ATTRIBUTE = "_tandem_database_connection_lost"
# How many times a request is run again: a connection lost once is replaced; one lost again and
# again means the database is going away, and the person gets the error.
RERUNS = 2


def _note_lost_connection(sender, request=None, **kwargs) -> None:
    """Django sends got_request_exception while it turns an exception into a 500: note on the
    request whether a database connection was lost (the exception and a connection that no
    longer answers), for RetryOnLostConnectionMiddleware to act on."""
    error = sys.exc_info()[1]
    if request is None or not isinstance(error, OperationalError | InterfaceError):
        return
    # A connection that never opened (the database is unreachable) is not lost: running the
    # request again would only wait for it once more.
    opened = [c for c in connections.all(initialized_only=True) if c.connection is not None]
    lost = [c for c in opened if not c.is_usable()]
    if lost:
        setattr(request, RETRY_ATTRIBUTE, True)


got_request_exception.connect(_note_lost_connection, dispatch_uid="tandem-lost-connection")


class RetryOnLostConnectionMiddleware:
    """Run a request once more, on a fresh connection, when its database connection was lost
    half-way (PostgreSQL restarted, a failover, a proxy or an administrator closing it) and
    running it again is safe: the request had sent no statement that writes. That holds for
    every page a GET shows, and for a POST that failed before its first write; once a write was
    sent nobody knows whether it was committed, and doing it twice would be worse than the
    error, so that request keeps its 500. Connections lost *between* requests are the health
    check's job (CONN_HEALTH_CHECKS)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self._attempt(request)
        for _rerun in range(RERUNS):
            if not getattr(request, RETRY_ATTRIBUTE, False):
                break
            delattr(request, RETRY_ATTRIBUTE)
            for connection in connections.all(initialized_only=True):
                connection.close_if_unusable_or_obsolete()
            logger.warning(
                "Database connection lost during %s %s: run again", request.method, request.path
            )
            response = self._attempt(request)
        return response

    def _attempt(self, request: HttpRequest) -> HttpResponse:
        """The response; the request is left marked for a rerun only if it wrote nothing."""
        wrote = []

        def watch(execute, sql, params, many, context):
            if not str(sql).lstrip().upper().startswith(READ_ONLY_SQL):
                wrote.append(True)
            return execute(sql, params, many, context)

        with ExitStack() as stack:
            for connection in connections.all(initialized_only=False):
                stack.enter_context(connection.execute_wrapper(watch))
            response = self.get_response(request)
        if wrote and hasattr(request, RETRY_ATTRIBUTE):
            delattr(request, RETRY_ATTRIBUTE)
        return response
