"""The claims app's pages, under /claims/ (namespace ``claims``). Each area keeps its block."""

from django.urls import path

from .views import claims

app_name = "claims"

urlpatterns: list = [
    # The city's claims (claim pages) -------------------------------------------------------
    path("", claims.claim_list, name="list"),
    path("open/<int:period>/<int:city>/", claims.claim_start, name="open"),
    path("<int:pk>/", claims.claim_detail, name="claim"),
    path("<int:pk>/lines.<str:fmt>", claims.claim_export, name="export"),
    path("<int:pk>/lines/new/", claims.line_create, name="line_create"),
    path("lines/<int:pk>/", claims.line_edit, name="line_edit"),
    path("lines/<int:pk>/delete/", claims.line_remove, name="line_delete"),
    path("lines/<int:pk>/receipt/", claims.receipt, name="receipt"),
    path("<int:pk>/submit/", claims.claim_submit_page, name="submit"),
    path("<int:pk>/reopen/", claims.claim_reopen_page, name="reopen"),
    # Verification (controllers) ------------------------------------------------------------
    # Set-up, audits and budget burn (coordinators) -----------------------------------------
    # Evidence packs --------------------------------------------------------------------------
]
