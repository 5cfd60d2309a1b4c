"""The claims app's pages, under /claims/ (namespace ``claims``). Each area keeps its block."""

app_name = "claims"

urlpatterns: list = [
    # The city's claims (claim pages) -------------------------------------------------------
    # Verification (controllers) ------------------------------------------------------------
    # Set-up, audits and budget burn (coordinators) -----------------------------------------
    # Evidence packs --------------------------------------------------------------------------
]
