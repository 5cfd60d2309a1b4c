from django.urls import path
from rest_framework.routers import SimpleRouter

from config import converters  # noqa: F401  registers the <token:>, <signed:> and <key:> converters

from . import api
from .views import events, pairings, programmes, suggestions

app_name = "mentoring"

urlpatterns = [
    path("programmes/new/", programmes.programme_create_view, name="programme_create"),
    path("programmes/<slug:slug>/edit/", programmes.programme_edit, name="programme_edit"),
    path("programmes/<slug:slug>/schemes/new/", programmes.scheme_edit, name="scheme_create"),
    path(
        "programmes/<slug:slug>/schemes/<int:pk>/edit/", programmes.scheme_edit, name="scheme_edit"
    ),
    path("programmes/<slug:slug>/event-kinds/", programmes.event_kind_list, name="event_kinds"),
    path(
        "programmes/<slug:slug>/event-kinds/new/",
        programmes.event_kind_edit,
        name="event_kind_create",
    ),
    path(
        "programmes/<slug:slug>/event-kinds/<int:pk>/edit/",
        programmes.event_kind_edit,
        name="event_kind_edit",
    ),
    path(
        "programmes/<slug:slug>/cities/add/",
        programmes.participation_add_view,
        name="participation_add",
    ),
    path(
        "programmes/<slug:slug>/cities/add/names.json",
        suggestions.participation_city_names,
        name="participation_city_suggestions",
    ),
    path(
        "programmes/<slug:slug>/cities/names.json",
        suggestions.programme_city_names,
        name="programme_city_suggestions",
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
    path("pairings/<int:pk>/edit/", pairings.pairing_edit, name="pairing_edit"),
    path("pairings/<int:pk>/status/", pairings.pairing_status, name="pairing_status"),
    path("events/", events.event_list, name="events"),
    # Not a slug: never shadows a city's page (portal's cities/<slug>/).
    path("cities/names.json", suggestions.city_names, name="city_suggestions"),
    path("events/new/", events.event_create_view, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/edit/", events.event_update_view, name="event_update"),
    path("events/<int:pk>/status/", events.event_status_view, name="event_status"),
    path("events/<int:pk>/attendance/", events.attendance_view, name="event_attendance"),
    path(
        "events/<int:pk>/attendance/people.json",
        suggestions.attendance_people,
        name="attendance_people",
    ),
    path(
        "events/<int:pk>/attendance/<int:attendance_pk>/delete/",
        events.attendance_delete_view,
        name="attendance_delete",
    ),
    path("events/<int:pk>/report/", events.report_view, name="event_report"),
    path("calendar/", events.calendar_view, name="calendar"),
    path("calendar/new-links/", events.calendar_regenerate_view, name="calendar_regenerate"),
    path(
        "calendar/<token:token>/events.ics",
        events.calendar_person_feed,
        name="calendar_person_feed",
    ),
    path(
        "calendar/<token:token>/programme-<slug:slug>.ics",
        events.calendar_programme_feed,
        name="calendar_programme_feed",
    ),
]

# The read API, under /api/v1/ in the "api" namespace (config/urls.py, config/api/).
router = SimpleRouter()
router.register("programmes", api.ProgrammeViewSet, basename="programme")
router.register("schemes", api.SchemeViewSet, basename="scheme")
router.register("cities", api.CityViewSet, basename="city")
router.register("pairings", api.PairingViewSet, basename="pairing")
router.register("events", api.EventViewSet, basename="event")
router.register("visit-reports", api.ReportViewSet, basename="visit-report")
api_urlpatterns = router.urls
