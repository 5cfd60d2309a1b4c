"""The claims app's pages, under /claims/ (namespace ``claims``). Each area keeps its block."""

from django.urls import path

from .views import claims, packs

app_name = "claims"

urlpatterns: list = [
    # The city's claims (claim pages) -------------------------------------------------------
    path("<int:pk>/", claims.claim_detail, name="claim"),
    # Verification (controllers) ------------------------------------------------------------
    # Set-up, audits and budget burn (coordinators) -----------------------------------------
    # Evidence packs --------------------------------------------------------------------------
    path("<int:pk>/pack/", packs.pack_request, name="pack_request"),
    path("packs/<int:pk>/", packs.pack_detail, name="pack"),
    path("packs/<int:pk>/status/", packs.pack_status, name="pack_status"),
    path("packs/<int:pk>/retry/", packs.pack_retry, name="pack_retry"),
    path("packs/<int:pk>/download/", packs.pack_download, name="pack_download"),
]
