from django.urls import path

from . import views_catalogue

urlpatterns = [
    path("practices/", views_catalogue.catalogue, name="catalogue"),
    path("practices/<slug:slug>/", views_catalogue.practice, name="practice"),
    path("toolkits/", views_catalogue.toolkits, name="toolkits"),
    path("toolkits/<slug:slug>/", views_catalogue.toolkit, name="toolkit"),
]
