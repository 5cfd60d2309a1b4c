from django.urls import include, path

app_name = "toolkits"

# The public catalogue, writing and reviewing practices, editing toolkits, and their PDFs: each
# part has its own module.
urlpatterns = [
    path("", include("toolkits.urls_catalogue")),
    path("", include("toolkits.urls_practices")),
    path("", include("toolkits.urls_manage")),
    path("", include("toolkits.urls_pdf")),
]
