from django.urls import path

from . import views

app_name = "mentoring"

urlpatterns = [
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("pairings/", views.pairing_list, name="pairings"),
    path("pairings/<int:pk>/", views.pairing_detail, name="pairing"),
]
