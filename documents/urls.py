from django.urls import path

from config import converters  # noqa: F401  registers the <key:> converter

from . import views

app_name = "documents"

urlpatterns = [
    path("runs/<int:pk>/", views.import_run, name="import_run"),
    path("runs/<int:pk>/status/", views.import_run_status, name="import_run_status"),
    path("runs/<int:pk>/confirm/", views.import_run_confirm, name="import_run_confirm"),
    path("runs/<int:pk>/retry/", views.import_run_retry, name="import_run_retry"),
    path("<key:kind>/<str:ident>/", views.import_page, name="import"),
    path(
        "<key:kind>/<str:ident>/template.<key:fmt>",
        views.import_template,
        name="import_template",
    ),
    path(
        "<key:kind>/<str:ident>/current.<key:fmt>",
        views.import_current,
        name="import_current",
    ),
]
