"""Two-factor authentication required of some roles (``TANDEM_2FA_REQUIRED_ROLES``).

A person holding such a role who has no authenticator app yet is sent to set one up before any
other page; once set up, allauth asks for a code at every sign-in, and the person cannot remove
the authenticator while the role requires it.
"""

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from .selectors import roles_of

SESSION_KEY = "tandem_2fa_ok"

# What a person may still reach while the set-up is pending: the two-factor pages themselves,
# signing out, re-entering the password that allauth asks for, and the language switch.
ALLOWED_URL_NAMES = {
    "account_logout",
    "account_reauthenticate",
    "set_language",
}


def requires_two_factor(user) -> bool:
    required = set(settings.TANDEM_2FA_REQUIRED_ROLES)
    return bool(required) and user.is_authenticated and bool(roles_of(user) & required)


def has_authenticator_app(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def _allowed(path: str) -> bool:
    if path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return True
    try:
        match = resolve(path)
    except Resolver404:
        return True  # a 404 page reveals nothing
    return match.url_name in ALLOWED_URL_NAMES or (match.url_name or "").startswith("mfa_")


class RequiredTwoFactorMiddleware:
    """Sends people whose role requires two-factor authentication to set it up first.

    The check costs two queries once per session: once satisfied, the session remembers it (an
    authenticator cannot be removed while the role requires it, see ``MFAAdapter``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.TANDEM_2FA_REQUIRED_ROLES
            and user.is_authenticated
            and not request.session.get(SESSION_KEY)
            and not _allowed(request.path_info)
        ):
            if not requires_two_factor(user) or has_authenticator_app(user):
                request.session[SESSION_KEY] = True
            else:
                messages.warning(
                    request,
                    _(
                        "Your role requires two-factor authentication. Set up an authenticator "
                        "app to continue."
                    ),
                )
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        """An authenticator app cannot be removed while the person's role requires one."""
        if authenticator.type == Authenticator.Type.TOTP and requires_two_factor(
            authenticator.user
        ):
            return False
        return super().can_delete_authenticator(authenticator)
