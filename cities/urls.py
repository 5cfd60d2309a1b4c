from django.urls import path

from . import views

app_name = "cities"

urlpatterns = [
    path("", views.city_list, name="list"),
    path("new/", views.city_edit, name="create"),
    path("<slug:slug>/", views.city_detail, name="detail"),
    path("<slug:slug>/edit/", views.city_edit, name="edit"),
]
