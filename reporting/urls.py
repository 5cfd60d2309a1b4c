from django.urls import path
from rest_framework.routers import SimpleRouter

from config import converters  # noqa: F401  registers the <token:>, <signed:> and <key:> converters

from . import api
from .views import other_grants, reports, review, time

app_name = "reporting"

urlpatterns = [
    path("", time.my_time, name="my_time"),
    path("entries/new/", time.entry_create, name="entry_create"),
    path("entries/<int:pk>/edit/", time.entry_edit, name="entry_edit"),
    path("entries/<int:pk>/delete/", time.entry_delete, name="entry_delete"),
    path("other-grants/", other_grants.other_grants, name="other_grants"),
    path("other-grants/new/", other_grants.other_grant_create, name="other_grant_create"),
    path("other-grants/<int:pk>/edit/", other_grants.other_grant_edit, name="other_grant_edit"),
    path(
        "other-grants/<int:pk>/delete/",
        other_grants.other_grant_delete,
        name="other_grant_delete",
    ),
    path("<slug:programme>/<int:year>/<int:month>/", time.grid, name="grid"),
    path("months/<int:pk>/", review.month_detail, name="month"),
    path("months/<int:pk>/submit/", review.month_submit, name="month_submit"),
    path("months/<int:pk>/approve/", review.month_approve, name="month_approve"),
    path("months/<int:pk>/return/", review.month_return, name="month_return"),
    path("months/<int:pk>/reopen/", review.month_reopen, name="month_reopen"),
    path("approvals/", review.approvals, name="approvals"),
    path("rates/", review.rates, name="rates"),
    path("rates/new/", review.rate_create, name="rate_create"),
    path("rates/<int:pk>/edit/", review.rate_edit, name="rate_edit"),
    path("exchange-rates/<slug:programme>/", review.exchange_rates, name="exchange_rates"),
    path(
        "exchange-rates/<slug:programme>/<int:pk>/",
        review.exchange_rate_edit,
        name="exchange_rate_edit",
    ),
    path("dashboard/<slug:programme>/", review.programme_dashboard, name="programme_dashboard"),
    path(
        "dashboard/<slug:programme>/cities/<int:city>/",
        review.city_dashboard,
        name="city_dashboard",
    ),
    path("reports/", reports.report_list, name="reports"),
    path("reports/<int:pk>/", reports.report_detail, name="report"),
    path("reports/<int:pk>/status/", reports.report_status, name="report_status"),
    path("reports/<int:pk>/retry/", reports.report_retry, name="report_retry"),
    path("reports/<int:pk>/<key:fmt>/", reports.report_download, name="report_download"),
]

# The read API, under /api/v1/ in the "api" namespace (config/urls.py, config/api/).
router = SimpleRouter()
router.register("staff-time", api.StaffTimeViewSet, basename="staff-time")
router.register("staff-cost-reports", api.StaffCostReportViewSet, basename="staff-cost-report")
api_urlpatterns = router.urls
