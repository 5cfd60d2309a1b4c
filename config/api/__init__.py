"""The read API's shared pieces (issue 18): Django REST framework with drf-spectacular.

This module holds what the settings name (pagination, permissions, throttle, filter backend,
error handler) and the serializer fields; ``config.api.views`` the base viewset and the schema
and documentation views (apart, since DRF's views read the settings when they are imported).

Layout
    Everything lives under ``/api/v1/`` (``settings.TANDEM_API_PREFIX``), in the URL namespace
    ``api``. Each domain app keeps one ``urls.py``: besides ``urlpatterns`` it exposes
    ``api_urlpatterns`` (usually ``router.urls`` of a ``rest_framework.routers.SimpleRouter``),
    and ``config/urls.py`` lists them one per line under ``api/v1/``. An app's serializers and
    views live in ``<app>/api.py``; its viewsets take their querysets from the app's own
    selectors (the ones its pages use), so a token sees exactly what its person sees in the
    browser, and its filters from the FilterSet (or filter form) its list page uses. Route names
    are ``api:<basename>-list`` and ``api:<basename>-detail``; a basename is the model's name in
    the singular ("pairing", "event"), unique across apps. A later incompatible change goes to
    ``/api/v2/`` beside this one.

Who may read
    A personal token (``Authorization: Bearer <secret>``, ``accounts.api``) or the browser
    session of a signed-in person (so the documentation page's "Try it out" works; the API only
    reads, so a session needs no CSRF token). Every endpoint is read-only (GET, HEAD, OPTIONS;
    anything else is 405) and needs the token's ``read`` scope (``ReadScope``). Endpoints ask
    for a signed-in person, except those that serve what the portal's pages show to everyone
    (published good practices and toolkits, for instance): such a view sets
    ``permission_classes = [PublicRead]`` and then answers anonymous readers too, with only the
    public rows. The schema and the documentation page are public: they describe the API and
    hold no data.

Lists
    Page-number pagination as the list pages have (``?page=2&page_size=100``, at most
    ``MAX_PAGE_SIZE``) with ``count``, ``next`` and ``previous``; each list is ordered by the
    list's ``ordering`` parameter (the FilterSet's), then by id, so that pages are stable.
    Ids are the database's primary keys and never change; slugs (which may change) are given
    beside them.

Values
    Dates and moments are ISO 8601 (moments with their offset); events also give their IANA time
    zone. Decimal values are strings of exact decimals; amounts of money are objects
    ``{"amount": "650000.00", "currency": "EUR"}`` (``MoneyField``), never floats.

Errors
    Every error is JSON: ``{"detail": <message>, "code": <code>}``, with ``"fields": {<name>:
    [<messages>]}`` when parameters were refused (400). 401 says why a token was refused; 429
    carries ``Retry-After``.

Throttling
    ``RequestRateThrottle``: ``TANDEM_API_RATE`` requests per token (or per signed-in person
    using the session), ``TANDEM_API_ANONYMOUS_RATE`` per address for anonymous readers, counted
    in the default cache. In production that is ``config.cache.FaultTolerantRedisCache``: with
    Redis down the counts are lost and nobody is throttled, rather than every request failing.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

MAX_PAGE_SIZE = 200


# Pagination --------------------------------------------------------------------------------------


class ApiPagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE
    page_size_query_description = format_lazy(
        _("How many results a page holds (at most {max})."), max=MAX_PAGE_SIZE
    )

    def get_page_size(self, request):
        return super().get_page_size(request) or settings.TANDEM_API_PAGE_SIZE


# Values ----------------------------------------------------------------------------------------


def decimal_text(value: Decimal | None) -> str | None:
    """An exact decimal as a string, never in exponent notation ("1E+3" is "1000")."""
    if value is None:
        return None
    return format(value, "f")


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "amount": {"type": "string", "format": "decimal", "example": "650000.00"},
            "currency": {"type": "string", "example": "EUR", "description": "ISO 4217 code"},
        },
        "required": ["amount", "currency"],
    }
)
class MoneyField(serializers.Field):
    """An amount with its currency: ``{"amount": "123.45", "currency": "EUR"}``, the amount the
    exact decimal stored. ``currency`` names the attribute of the object (dotted for related
    objects, "programme.currency") that holds the ISO 4217 code."""

    def __init__(self, *, currency: str = "currency", **kwargs):
        self.currency_path = currency.split(".")
        kwargs["read_only"] = True
        kwargs.setdefault("allow_null", True)
        super().__init__(source="*", **kwargs)
        self.amount_source: str | None = None

    def bind(self, field_name, parent):
        super().bind(field_name, parent)
        self.amount_source = field_name

    def to_representation(self, instance):
        amount = getattr(instance, self.amount_source)
        if amount is None:
            return None
        currency = instance
        for part in self.currency_path:
            currency = getattr(currency, part)
        return {"amount": decimal_text(amount), "currency": str(currency)}


@extend_schema_field({"type": "string", "format": "decimal", "example": "0.10"})
class DecimalText(serializers.Field):
    """A decimal that is not money (a rate, a share, coordinates) as an exact string."""

    def __init__(self, **kwargs):
        kwargs["read_only"] = True
        super().__init__(**kwargs)

    def to_representation(self, value):
        return decimal_text(value)


# Who may read ------------------------------------------------------------------------------------


class ReadScope(BasePermission):
    """The default: a signed-in person (token or session), reading; a token needs its ``read``
    scope (``accounts.ApiScope``)."""

    required_scope = "read"

    def has_permission(self, request, view) -> bool:
        _read_only(request)
        if not (request.user and request.user.is_authenticated):
            return False
        return _token_allows(request, getattr(view, "required_scope", self.required_scope))


class PublicRead(BasePermission):
    """For views whose rows the portal shows to everyone: anyone may read; a token still needs
    its scope. The view's queryset must give anonymous readers only the public rows."""

    def has_permission(self, request, view) -> bool:
        _read_only(request)
        return _token_allows(request, getattr(view, "required_scope", ReadScope.required_scope))


def _read_only(request) -> None:
    """Any write is 405 Method Not Allowed, whoever asks: the permission runs before DRF looks
    for the method's handler, so without this a write would get 401 or 403 instead."""
    if request.method not in SAFE_METHODS:
        raise MethodNotAllowed(request.method)


def _token_allows(request, scope: str) -> bool:
    scopes = getattr(request.auth, "scopes", None)
    return scopes is None or scope in scopes  # None: the session, which may read everything


# Throttling --------------------------------------------------------------------------------------


class RequestRateThrottle(SimpleRateThrottle):
    """TANDEM_API_RATE per token (or signed-in person), TANDEM_API_ANONYMOUS_RATE per address.
    The rates are read when a request comes, so a change of settings applies at once."""

    scope = "api"

    def get_rate(self) -> str:
        return settings.TANDEM_API_RATE

    def allow_request(self, request, view):
        anonymous = not (request.user and request.user.is_authenticated)
        self.rate = settings.TANDEM_API_ANONYMOUS_RATE if anonymous else settings.TANDEM_API_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view) -> str:
        token_id = getattr(request.auth, "pk", None)
        if token_id is not None:
            ident = f"token-{token_id}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"address-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


# Filters ---------------------------------------------------------------------------------------


class FilterBackend(DjangoFilterBackend):
    """django-filter's backend, which also passes the view's ``filterset_kwargs(request)`` to the
    FilterSet (the list pages' FilterSets take the person's schemes, cities or programmes)."""

    def get_filterset_kwargs(self, request, queryset, view):
        kwargs = super().get_filterset_kwargs(request, queryset, view)
        kwargs.pop("request", None)
        extra = getattr(view, "filterset_kwargs", None)
        return {**kwargs, **(extra(request) if extra else {})}


def form_parameters(form_class) -> list[OpenApiParameter]:
    """The query parameters of a filter form (a list page's ``forms.Form``), for the schema of a
    view that filters with it."""
    from django import forms

    types = (
        (forms.DateField, OpenApiTypes.DATE),
        (forms.BooleanField, OpenApiTypes.BOOL),
        (forms.IntegerField, OpenApiTypes.INT),
    )
    parameters = []
    for name, field in form_class.base_fields.items():
        kind = next((t for cls, t in types if isinstance(field, cls)), OpenApiTypes.STR)
        choices = getattr(field, "choices", None)
        enum = None
        if isinstance(field, forms.ChoiceField) and not isinstance(field, forms.ModelChoiceField):
            enum = [value for value, _label in choices if value] or None
        parameters.append(
            OpenApiParameter(
                name,
                kind,
                OpenApiParameter.QUERY,
                required=False,
                description=str(field.help_text or field.label or ""),
                enum=enum,
            )
        )
    return parameters


# Errors ----------------------------------------------------------------------------------------


def exception_handler(exc, context):
    """DRF's handler, with every error in one shape: ``{"detail", "code"[, "fields"]}``."""
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"detail": exc.messages}
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"detail": exc.detail}
        response.data = {
            "detail": str(_("Some parameters were refused; see fields.")),
            "code": "invalid",
            "fields": {name: _messages(value) for name, value in fields.items()},
        }
    else:
        detail = getattr(exc, "detail", "")
        response.data = {"detail": str(detail), "code": getattr(detail, "code", "error")}
    return response


def _messages(value) -> list[str]:
    if isinstance(value, list | tuple):
        return [str(item) for item in value]
    if isinstance(value, dict):
        return [str(item) for items in value.values() for item in _messages(items)]
    return [str(value)]
