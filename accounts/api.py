"""The read API's side of identity: personal tokens as a Django REST framework authentication
class, and the log of every API request (``config.api`` explains the API as a whole).

A request carries ``Authorization: Bearer <secret>``. The secret is hashed and looked up; an
unknown, revoked or expired token, or one whose owner's account is no longer active, is refused
with 401 and a message that says which. A request without the header is not authenticated by a
token (the browser session may authenticate it, or it stays anonymous).
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from config.tokens import secret_hash

from .models import ApiToken
from .services import api_request_log, token_used

logger = logging.getLogger(__name__)

KEYWORD = b"bearer"
# Where the token that authenticated a request is kept on Django's request, for the log.
TOKEN_ATTRIBUTE = "tandem_api_token"  # noqa: S105  an attribute's name


class BearerTokenAuthentication(BaseAuthentication):
    """``Authorization: Bearer <secret>`` with a personal API token (``accounts.ApiToken``)."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send the token as “Authorization: Bearer <token>”, with no spaces in it.")
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from None
        token = (
            ApiToken.objects.select_related("owner").filter(key_hash=secret_hash(secret)).first()
        )
        if token is None:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(_("This token was revoked."))
        now = timezone.now()
        if token.is_expired(now):
            raise exceptions.AuthenticationFailed(
                _("This token expired on %(date)s. Create a new one on your API tokens page.")
                % {"date": formats.date_format(timezone.localtime(token.expires_at))}
            )
        if not token.owner.is_active:
            raise exceptions.AuthenticationFailed(_("The account this token belongs to is closed."))
        token_used(token, now=now)
        setattr(request._request, TOKEN_ATTRIBUTE, token)
        return token.owner, token

    def authenticate_header(self, request) -> str:
        # Makes an unauthenticated request a 401 (with this challenge), not a 403.
        return 'Bearer realm="api"'


class ApiRequestLogMiddleware:
    """Writes one ``accounts.ApiRequest`` for every request under the API's prefix, whatever its
    answer (401 and 429 included). Outside the lost-connection retry (config.middleware), so the
    row is written once, after any rerun; a log that cannot be written is told in the server's
    log and costs the request nothing."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(settings.TANDEM_API_PREFIX):
            try:
                api_request_log(
                    user=getattr(request, "user", None),
                    token=getattr(request, TOKEN_ATTRIBUTE, None),
                    method=request.method or "",
                    path=request.path,
                    status=response.status_code,
                )
            except DatabaseError:
                logger.warning("API request not logged: %s %s", request.method, request.path)
        return response


class BearerTokenScheme(OpenApiAuthenticationExtension):
    """How the schema describes the token (a bearer token in the Authorization header)."""

    target_class = BearerTokenAuthentication
    name = "token"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization",
            token_prefix="Bearer",  # noqa: S106  the scheme's name
        )
