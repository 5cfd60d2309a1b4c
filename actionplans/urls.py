from django.urls import include, path

app_name = "actionplans"

# Editing a plan's content; the workflow, versions and comments; PDFs and the overviews.
urlpatterns = [
    path("", include("actionplans.urls_edit")),
    path("", include("actionplans.urls_workflow")),
    path("", include("actionplans.urls_overview")),
]
