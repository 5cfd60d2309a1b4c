from django.urls import path

from .views import invitations, privacy

app_name = "accounts"

urlpatterns = [
    path("invitations/<str:token>/", invitations.invitation_accept_view, name="invitation_accept"),
    path("account/data/", privacy.my_data, name="my_data"),
    path("account/data/export.json", privacy.my_data_export, name="my_data_export"),
    path("people/<int:pk>/erase/", privacy.person_erase, name="person_erase"),
]
