"""URLs of the matching pages; included by mentoring/urls.py under the mentoring namespace."""

from django.urls import path

from .views import matching

urlpatterns = [
    path("programmes/<slug:slug>/matching/", matching.matching, name="matching"),
    path(
        "programmes/<slug:slug>/matching/propose/",
        matching.matching_propose,
        name="matching_propose",
    ),
]
