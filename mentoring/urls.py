from django.urls import include, path

from .views import programmes

app_name = "mentoring"

urlpatterns = [
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme"),
    path("pairings/", programmes.pairing_list, name="pairings"),
    path("pairings/<int:pk>/", programmes.pairing_detail, name="pairing"),
    path("", include("mentoring.urls_events")),
    path("", include("mentoring.urls_matching")),
]
