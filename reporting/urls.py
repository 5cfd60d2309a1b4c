from django.urls import include, path

app_name = "reporting"

# Officers' own time; supervisors' and coordinators' review, rates and dashboards; reports.
urlpatterns = [
    path("", include("reporting.urls_time")),
    path("", include("reporting.urls_review")),
    path("reports/", include("reporting.urls_reports")),
]
