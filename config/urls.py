from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.urls import api_urlpatterns as accounts_api
from accounts.views.preferences import set_language
from actionplans.urls import api_urlpatterns as actionplans_api
from config import converters  # noqa: F401  registers <token:>, <signed:>, <key:> before any app
from config.api import views as api_views
from mentoring.urls import api_urlpatterns as mentoring_api
from portal.views.home import home
from reporting.urls import api_urlpatterns as reporting_api
from toolkits.urls import api_urlpatterns as toolkits_api

# The read API (config/api/): its schema and documentation, then each app's api_urlpatterns.
api_v1 = [
    *api_views.urlpatterns,
    *toolkits_api,
    *actionplans_api,
    *reporting_api,
    *accounts_api,
    *mentoring_api,
]

urlpatterns = [
    path("api/v1/", include((api_v1, "api"))),
    path("", home, name="home"),
    path("accounts/", include("allauth.urls")),
    path("", include("accounts.urls")),
    path("", include("mentoring.urls")),
    path("time/", include("reporting.urls")),
    path("claims/", include("claims.urls")),
    path("", include("toolkits.urls")),
    path("", include("actionplans.urls")),
    path("", include("matching.urls")),
    path("audit/", include("audit.urls")),
    path("notifications/", include("notifications.urls")),
    path("imports/", include("documents.urls")),
    # The pages that combine apps, last: their paths must not shadow the apps' own.
    path("", include("portal.urls")),
    # Django's language switcher, which also keeps a signed-in person's choice for their e-mails.
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
