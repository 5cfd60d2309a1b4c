from django.urls import path

from . import views_edit as views

urlpatterns = [
    path("plans/new/<int:pairing>/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_detail, name="plan"),
    path("plans/<int:pk>/sections/<str:section>/", views.section_edit, name="section_edit"),
    path("plans/<int:pk>/rows/<str:section>/add/", views.row_add, name="row_add"),
    path("plans/<int:pk>/rows/<str:section>/order/", views.rows_reorder, name="rows_reorder"),
    path("plans/<int:pk>/rows/<str:section>/<int:row>/", views.row_edit, name="row_edit"),
    path(
        "plans/<int:pk>/rows/<str:section>/<int:row>/delete/",
        views.row_delete,
        name="row_delete",
    ),
    path("plans/<int:pk>/actions/<int:row>/status/", views.action_status, name="action_status"),
    path(
        "plans/<int:pk>/indicators/<int:row>/measurements/",
        views.measurement_add,
        name="measurement_add",
    ),
]
