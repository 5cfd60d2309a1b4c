from django.urls import include, path

from .views import pairings, programmes

app_name = "mentoring"

urlpatterns = [
    path("programmes/new/", programmes.programme_create_view, name="programme_create"),
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme"),
    path("programmes/<slug:slug>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<slug:slug>/schemes/new/", programmes.scheme_edit, name="scheme_create"),
    path(
        "programmes/<slug:slug>/schemes/<int:pk>/edit/", programmes.scheme_edit, name="scheme_edit"
    ),
    path(
        "programmes/<slug:slug>/cities/add/",
        programmes.participation_add_view,
        name="participation_add",
    ),
    path(
        "programmes/<slug:slug>/cities/<int:city_pk>/remove/",
        programmes.participation_remove_view,
        name="participation_remove",
    ),
    path("organisations/", programmes.organisation_list, name="organisations"),
    path("organisations/new/", programmes.organisation_edit, name="organisation_create"),
    path("organisations/<int:pk>/edit/", programmes.organisation_edit, name="organisation_edit"),
    path("pairings/", pairings.pairing_list, name="pairings"),
    path("pairings/new/", pairings.pairing_create_view, name="pairing_create"),
    path("pairings/<int:pk>/", pairings.pairing_detail, name="pairing"),
    path("pairings/<int:pk>/edit/", pairings.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/status/", pairings.pairing_status, name="pairing_status"),
    path("", include("mentoring.urls_events")),
    path("", include("mentoring.urls_matching")),
]
