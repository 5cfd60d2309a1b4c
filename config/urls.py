from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from config import converters  # noqa: F401  registers <token:>, <signed:>, <key:> before any app
from portal.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("mentoring.urls")),
    path("time/", include("reporting.urls")),
    path("", include("toolkits.urls")),
    path("", include("actionplans.urls")),
    path("", include("matching.urls")),
    path("audit/", include("audit.urls")),
    # The pages that combine apps, last: their paths must not shadow the apps' own.
    path("", include("portal.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
