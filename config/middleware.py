"""No page with personal data is kept by a browser's or a proxy's cache.

Every response to a signed-in person, and every response to an address that carries a secret
(a calendar feed, an invitation link), is sent with ``Cache-Control: private, no-store``: rates,
timesheets, reports, "your data", job downloads, the audit trail and calendar feeds are never
written to a shared or a disk cache, nor shown again from the back button after signing out.

A view whose content is the same for everyone (a published toolkit's PDF, a published practice's
picture) marks itself ``@may_be_public`` and then decides per response: a response it sends with
``Cache-Control: public`` keeps it; any other gets the rule above. A view whose address holds a
bearer secret marks itself ``@bearer_secret``.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.urls import reverse

from .slugs import SlugMoved

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
        kwargs = {
            name: exception.new if value == exception.old else value
            for name, value in match.kwargs.items()
        }
        location = reverse(match.view_name, args=match.args, kwargs=kwargs)
        if query := request.META.get("QUERY_STRING"):
            location = f"{location}?{query}"
        if request.method in ("GET", "HEAD"):
            return HttpResponsePermanentRedirect(location)
        response = HttpResponsePermanentRedirect(location)
        response.status_code = 308
        return response
