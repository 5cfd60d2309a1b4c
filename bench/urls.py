"""The portal's addresses plus the benchmark's floors: the least a page can cost here.

``/bench/floor/`` answers "ok" behind the same middleware as every page; signed in, it also loads
the person (and their unread count) as every signed-in page does. A page's time divided by this
floor's, measured in the same run, is its ratio in bench/RESULTS.md. The static floor is a file
served by WhiteNoise from ``WHITENOISE_ROOT`` (bench/settings.py).
"""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.decorators.http import require_safe


@require_safe
def floor(request: HttpRequest) -> HttpResponse:
    """ "ok", after reading who asks (as a page that checks a permission does)."""
    return HttpResponse("ok" if request.user.is_authenticated else "ok (anonymous)")


urlpatterns = [
    path("bench/floor/", floor),
    path("", include("config.urls")),
]
