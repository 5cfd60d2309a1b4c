from django.urls import path

from . import views_reports as views

# Mounted under "reports/" by reporting/urls.py.
urlpatterns = [
    path("", views.report_list, name="reports"),
    path("<int:pk>/", views.report_detail, name="report"),
    path("<int:pk>/status/", views.report_status, name="report_status"),
    path("<int:pk>/retry/", views.report_retry, name="report_retry"),
    path("<int:pk>/<str:fmt>/", views.report_download, name="report_download"),
]
