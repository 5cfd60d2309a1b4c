"""The officer's own time: My time, the month grid, single entries."""

from django.urls import path

from . import views_time

urlpatterns = [
    path("", views_time.my_time, name="my_time"),
    path("entries/new/", views_time.entry_create, name="entry_create"),
    path("entries/<int:pk>/edit/", views_time.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", views_time.entry_delete, name="entry_delete"),
    path("<slug:programme>/<int:year>/<int:month>/", views_time.grid, name="grid"),
]
