"""URLs of the review pages: months and their signatures, approvals, rates, dashboards.
Included by reporting/urls.py under the reporting namespace (mounted at /time/)."""

from django.urls import path

from . import views_review as views

urlpatterns = [
    path("months/<int:pk>/", views.month_detail, name="month"),
    path("months/<int:pk>/submit/", views.month_submit, name="month_submit"),
    path("months/<int:pk>/approve/", views.month_approve, name="month_approve"),
    path("months/<int:pk>/return/", views.month_return, name="month_return"),
    path("months/<int:pk>/reopen/", views.month_reopen, name="month_reopen"),
    path("approvals/", views.approvals, name="approvals"),
    path("rates/", views.rates, name="rates"),
    path("rates/new/", views.rate_create, name="rate_create"),
    path("rates/<int:pk>/edit/", views.rate_edit, name="rate_edit"),
    path("dashboard/<slug:programme>/", views.programme_dashboard, name="programme_dashboard"),
    path(
        "dashboard/<slug:programme>/cities/<int:city>/",
        views.city_dashboard,
        name="city_dashboard",
    ),
]
