from django.http import HttpRequest

from mentoring.selectors import programme_context

from .navigation import navigation_for


def navigation(request: HttpRequest) -> dict:
    """The main navigation and the programme switcher of the header, for the programme the
    person works in now."""
    return {
        "navigation": navigation_for(request.user),
        "programme_context": programme_context(request.user),
    }
