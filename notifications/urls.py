from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:pk>/open/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
    path("bell/", views.bell, name="bell"),
    path("settings/", views.preferences, name="preferences"),
    path("choose/<signed:token>/", views.one_click, name="one_click"),
]
