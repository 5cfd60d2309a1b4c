from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest

from mentoring.selectors import programme_context

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    """The main navigation and the programme switcher of the header, for the programme the
    person works in now. A request refused before the middleware knew who sent it (a Host
    header the site does not serve, answered 400) is shown as to a visitor."""
    user = getattr(request, "user", None) or AnonymousUser()
    return {
        "navigation": navigation_for(user),
        "programme_context": programme_context(user),
    }
