"""The claims app's pages, under /claims/ (namespace ``claims``). Each area keeps its block."""

from django.urls import path

from .views import claims

app_name = "claims"

urlpatterns: list = [
    # The city's claims (claim pages) -------------------------------------------------------
    path("<int:pk>/", claims.claim_detail, name="claim"),
    # Verification (controllers) ------------------------------------------------------------
    # Set-up, audits and budget burn (coordinators) -----------------------------------------
    # Evidence packs --------------------------------------------------------------------------
]
