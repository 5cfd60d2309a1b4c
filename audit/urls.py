from django.urls import path

from config import converters  # noqa: F401  registers the <token:>, <signed:> and <key:> converters

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.log, name="log"),
    path("<key:kind>/<int:pk>/", views.history, name="history"),
]
