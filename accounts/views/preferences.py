"""The person's own settings: their time zone and their language (of pages and e-mails)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.i18n import set_language as django_set_language

from config import clock
from config.views import add_service_errors, render_form

from ..forms import LanguageForm, TimeZoneForm
from ..selectors import home_zone_of, zone_of
from ..services import user_language_set, user_time_zone_set


def _remember_language(response: HttpResponse, language: str) -> HttpResponse:
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language or settings.LANGUAGE_CODE,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


@login_required
def my_settings(request: HttpRequest) -> HttpResponse:
    """Where the person is (pages show times in this zone and "today" is today there), and the
    language of their pages and of the e-mails they receive."""
    user = request.user
    automatic = clock.zone_name(home_zone_of(user))
    posted = request.POST if request.method == "POST" else None
    language_posted = posted is not None and "language-language" in posted
    form = TimeZoneForm(
        posted if posted is not None and not language_posted else None,
        initial={"time_zone": user.time_zone},
        automatic=automatic,
    )
    language_form = LanguageForm(
        posted if language_posted else None, initial={"language": user.language}
    )
    if language_posted and language_form.is_valid():
        try:
            user_language_set(user=user, language=language_form.cleaned_data["language"])
        except ValidationError as error:
            add_service_errors(language_form, error)
        else:
            with translation.override(user.language or settings.LANGUAGE_CODE):
                messages.success(request, _("Saved. Pages and e-mails are now in this language."))
            return _remember_language(redirect("accounts:settings"), user.language)
    elif posted is not None and not language_posted and form.is_valid():
        try:
            user_time_zone_set(user=user, time_zone=form.cleaned_data["time_zone"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Saved. Times are now shown in %(zone)s.")
                % {"zone": clock.zone_name(zone_of(user))},
            )
            return redirect("accounts:settings")
    zone = zone_of(user)
    context = {
        "form": form,
        "language_form": language_form,
        "zone": clock.zone_name(zone),
        "now": clock.moment_text(clock.now(), zone),
    }
    if language_posted and language_form.errors:
        return render(request, "accounts/settings.html", context, status=400)
    return render_form(request, "accounts/settings.html", context)


def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switcher; a signed-in person's choice is also kept on their account,
    so that the e-mails they receive are in the language they read the portal in."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    if (
        request.method == "POST"
        and request.user.is_authenticated
        and language in dict(settings.LANGUAGES)
        and request.user.language != language
    ):
        user_language_set(user=request.user, language=language)
    return response
