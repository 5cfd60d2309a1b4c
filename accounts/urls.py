from django.urls import path

from config import converters  # noqa: F401  registers the <token:>, <signed:> and <key:> converters

from .views import api, invitations, preferences, privacy, tokens

app_name = "accounts"

urlpatterns = [
    path(
        "invitations/<signed:token>/", invitations.invitation_accept_view, name="invitation_accept"
    ),
    path("account/settings/", preferences.my_settings, name="settings"),
    path("account/data/", privacy.my_data, name="my_data"),
    path("account/api-tokens/", tokens.api_tokens, name="api_tokens"),
    path("account/api-tokens/<int:pk>/revoke/", tokens.api_token_revoke, name="api_token_revoke"),
    path("account/data/export.json", privacy.my_data_export, name="my_data_export"),
    path("people/<int:pk>/erase/", privacy.person_erase, name="person_erase"),
]

# Under /api/v1/ (config/urls.py), in the "api" namespace.
api_urlpatterns = [
    path("me/", api.MeView.as_view(), name="me"),
]
