"""URLs of the events pages; included by mentoring/urls.py under the mentoring namespace."""

from django.urls import path

from .views import events

urlpatterns = [
    path("events/", events.event_list, name="events"),
    path("events/new/", events.event_create_view, name="event_create"),
    path("events/<int:pk>/", events.event_detail, name="event"),
    path("events/<int:pk>/edit/", events.event_update_view, name="event_update"),
    path("events/<int:pk>/status/", events.event_status_view, name="event_status"),
    path("events/<int:pk>/attendance/", events.attendance_view, name="event_attendance"),
    path(
        "events/<int:pk>/attendance/<int:attendance_pk>/delete/",
        events.attendance_delete_view,
        name="attendance_delete",
    ),
    path("events/<int:pk>/report/", events.report_view, name="event_report"),
    path("calendar/", events.calendar_view, name="calendar"),
    path("calendar/new-links/", events.calendar_regenerate_view, name="calendar_regenerate"),
    path(
        "calendar/<str:token>/events.ics",
        events.calendar_person_feed,
        name="calendar_person_feed",
    ),
    path(
        "calendar/<str:token>/programme-<slug:slug>.ics",
        events.calendar_programme_feed,
        name="calendar_programme_feed",
    ),
]
