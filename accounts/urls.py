from django.urls import path

from . import views, views_privacy

app_name = "accounts"

urlpatterns = [
    path("invitations/<str:token>/", views.invitation_accept_view, name="invitation_accept"),
    path("account/data/", views_privacy.my_data, name="my_data"),
    path("account/data/export.json", views_privacy.my_data_export, name="my_data_export"),
    path("people/<int:pk>/erase/", views_privacy.person_erase, name="person_erase"),
]
