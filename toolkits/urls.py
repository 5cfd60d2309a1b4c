from django.urls import include, path

app_name = "toolkits"

# Public catalogue and toolkits, then writing and reviewing practices, then toolkit editing and
# PDFs; each part has its own module.
urlpatterns = [
    path("", include("toolkits.urls_catalogue")),
    path("", include("toolkits.urls_practices")),
    path("", include("toolkits.urls_toolkits")),
]
