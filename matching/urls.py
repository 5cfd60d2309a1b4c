from django.urls import path

from . import views

app_name = "matching"

urlpatterns = [
    path("programmes/<slug:slug>/matching/", views.matching, name="matching"),
    path("programmes/<slug:slug>/matching/propose/", views.matching_propose, name="propose"),
]
