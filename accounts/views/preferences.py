"""The person's own settings: their time zone."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from config import clock
from config.views import add_service_errors, render_form

from ..forms import TimeZoneForm
from ..selectors import home_zone_of, zone_of
from ..services import user_time_zone_set


@login_required
def my_settings(request: HttpRequest) -> HttpResponse:
    """Where the person is: pages show times in this zone and "today" is today there."""
    user = request.user
    automatic = clock.zone_name(home_zone_of(user))
    form = TimeZoneForm(
        request.POST if request.method == "POST" else None,
        initial={"time_zone": user.time_zone},
        automatic=automatic,
    )
    if request.method == "POST" and form.is_valid():
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
        "zone": clock.zone_name(zone),
        "now": clock.moment_text(clock.now(), zone),
    }
    return render_form(request, "accounts/settings.html", context)
