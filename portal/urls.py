from django.urls import path

from .views import cities, frame, invitations, open_data, programmes, slugs

app_name = "portal"

# Mounted after every app's URLs: "programmes/new/" (mentoring) must win over a programme's slug.
urlpatterns = [
    path("invitations/", invitations.invitations, name="invitations"),
    path("invitations/<int:pk>/revoke/", invitations.invitation_revoke, name="invitation_revoke"),
    path("account/programme/", programmes.programme_switch, name="programme_switch"),
    path("programmes/<slug:slug>/", programmes.programme_detail, name="programme"),
    path("programmes/<slug:slug>/frame/", frame.frame, name="frame"),
    path(
        "programmes/<slug:slug>/frame/framework/new/",
        frame.framework_create_view,
        name="framework_create",
    ),
    path(
        "programmes/<slug:slug>/frame/commitments/new/",
        frame.commitment_edit,
        name="commitment_create",
    ),
    path(
        "programmes/<slug:slug>/frame/commitments/<int:pk>/",
        frame.commitment_edit,
        name="commitment_edit",
    ),
    path(
        "programmes/<slug:slug>/frame/target-groups/new/",
        frame.target_group_edit,
        name="target_group_create",
    ),
    path(
        "programmes/<slug:slug>/frame/target-groups/<int:pk>/",
        frame.target_group_edit,
        name="target_group_edit",
    ),
    path("pairings/<int:pk>/", programmes.pairing_detail, name="pairing"),
    path("cities/", cities.city_list, name="city_list"),
    path("cities/new/", cities.city_edit, name="city_create"),
    path("cities/<slug:slug>/", cities.city_detail, name="city_detail"),
    path("cities/<slug:slug>/edit/", cities.city_edit, name="city_edit"),
    path("slugs/<str:kind>/", slugs.slug_suggestion, name="slug_suggestion"),
    path("open-data/", open_data.open_data_index, name="open_data_index"),
    path("open-data/<slug:slug>/", open_data.open_data, name="open_data"),
    path("open-data/<slug:slug>/data.zip", open_data.open_data_zip, name="open_data_zip"),
    path("open-data/<slug:slug>/data.json", open_data.open_data_json, name="open_data_json"),
]
