"""URLs of the toolkit editing pages: the workspace of expert partners and coordinators, and
each toolkit's details, practices, key success factors and editions."""

from django.urls import path

from . import views_manage as views

urlpatterns = [
    path("workspace/toolkits/", views.toolkit_workspace, name="toolkit_workspace"),
    path("workspace/toolkits/new/", views.toolkit_create, name="toolkit_create"),
    path("toolkits/<slug:slug>/edit/", views.toolkit_edit, name="toolkit_edit"),
    path("toolkits/<slug:slug>/practices/", views.toolkit_practices, name="toolkit_practices"),
    path("toolkits/<slug:slug>/success-factors/", views.toolkit_factors, name="toolkit_factors"),
    path("toolkits/<slug:slug>/publish/", views.edition_publish, name="edition_publish"),
]
