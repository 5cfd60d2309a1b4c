"""Request-level guards that hold for every URL, the third-party ones included.

And no page with personal data is kept by a browser's or a proxy's cache; an old slug
redirects to the new one; each signed-in person's time zone is active while their request runs.
"""

import logging
import re
import sys
from collections.abc import Callable, Iterable
from contextlib import ExitStack

from django.core.signals import got_request_exception
from django.db import Error, connections
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponsePermanentRedirect,
)
from django.http.multipartparser import MultiPartParserError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.selectors import zone_of

from .slugs import SlugMoved

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
# How many times a request is run again. A rerun happens only when a connection was lost and
# the database then answered a new one (one that cannot be opened ends the reruns at once), so a
# database going away costs no wait; a few reruns let a page through connections cut again and
# again (a failover, or the crawl of tests/test_faults.py cutting every connection each second,
# where a page slowed by a busy machine met three cuts in a row); one cut more often than that
# keeps its error.
RERUNS = 5


def _note_lost_connection(sender, request=None, **kwargs) -> None:
    """Django sends got_request_exception while it turns an exception into a 500: note on the
    request whether a database connection was lost (a database error and a connection that no
    longer answers), for RetryOnLostConnectionMiddleware to act on. Any database error counts,
    not only OperationalError: a connection ended while psycopg2 reads a result can surface as a
    bare DatabaseError ("error with status PGRES_TUPLES_OK and no message from the libpq"); the
    connection that no longer answers is what tells it was lost."""
    error = sys.exc_info()[1]
    if request is None or not isinstance(error, Error):
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


# Caching of personal data, and old slugs -------------------------------------------------------

# No page with personal data is kept by a browser's or a proxy's cache.
#
# Every response to a signed-in person, and every response to an address that carries a secret
# (a calendar feed, an invitation link), is sent with ``Cache-Control: private, no-store``: rates,
# timesheets, reports, "your data", job downloads, the audit trail and calendar feeds are never
# written to a shared or a disk cache, nor shown again from the back button after signing out.
#
# A view whose content is the same for everyone (a published toolkit's PDF, a published practice's
# picture) marks itself ``@may_be_public`` and then decides per response: a response it sends with
# ``Cache-Control: public`` keeps it; any other gets the rule above. A view whose address holds a
# bearer secret marks itself ``@bearer_secret``.

PRIVATE = "private, no-store"

_MAY_BE_PUBLIC = "tandem_may_be_public"
_BEARER = "tandem_bearer_url"


def may_be_public(view: Callable) -> Callable:
    """The view may answer with ``Cache-Control: public`` (content the same for everyone)."""
    setattr(view, _MAY_BE_PUBLIC, True)
    return view


def bearer_secret(view: Callable) -> Callable:
    """The view's address carries a secret: never cached, whoever asks."""
    setattr(view, _BEARER, True)
    return view


def _directives(response: HttpResponse) -> set[str]:
    return {part.strip().lower() for part in response.get("Cache-Control", "").split(",")}


class PrivateNoStoreMiddleware:
    """Sets ``Cache-Control: private, no-store`` (module docstring). After the authentication
    middleware, so that ``request.user`` is known."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        view = getattr(request, "_tandem_view", None)
        directives = _directives(response)
        if getattr(view, _MAY_BE_PUBLIC, False) and "public" in directives:
            return response
        if {"private", "no-store"} <= directives:  # e.g. never_cache's stricter header
            return response
        user = getattr(request, "user", None)
        signed_in = user is not None and user.is_authenticated
        if signed_in or getattr(view, _BEARER, False):
            response["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response

    def process_view(self, request: HttpRequest, view_func: Callable, view_args, view_kwargs):
        request._tandem_view = view_func  # type: ignore[attr-defined]
        return None


class SlugRedirectMiddleware:
    """Answers an address with an old slug (``config.slugs.SlugMoved``) with a permanent
    redirect to the same address with the current slug: 301 for GET and HEAD, 308 (which keeps
    the method and body) for the rest."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, SlugMoved) or request.resolver_match is None:
            return None
        match = request.resolver_match
        if exception.query:  # the path stays; the query names the object anew
            location = request.path
            params = request.GET.copy()
            params[exception.query] = exception.new
            query = params.urlencode()
        else:
            kwargs = {
                name: exception.new if value == exception.old else value
                for name, value in match.kwargs.items()
            }
            location = reverse(match.view_name, args=match.args, kwargs=kwargs)
            query = request.META.get("QUERY_STRING")
        if query:
            location = f"{location}?{query}"
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(location)
        response = HttpResponsePermanentRedirect(location)
        response.status_code = 308
        return response


# The reader's time zone ------------------------------------------------------------------------


class TimeZoneMiddleware:
    """Activates the signed-in person's time zone (``accounts.selectors.zone_of``) for the
    request, so that every moment a page shows (``{{ value|date }}``, forms, ``localtime``) is in
    their local time and ``timezone.localdate()`` is their today. Anyone else reads the server's
    zone (settings.TIME_ZONE). After the authentication middleware, which sets ``request.user``;
    the memberships it may read are the ones the navigation reads, fetched once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_of(user))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
