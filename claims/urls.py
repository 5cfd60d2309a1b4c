"""The claims app's pages, under /claims/ (namespace ``claims``). Each area keeps its block."""

from django.urls import path

from .views import claims, verification

app_name = "claims"

urlpatterns: list = [
    # The city's claims (claim pages) -------------------------------------------------------
    path("<int:pk>/", claims.claim_detail, name="claim"),
    # Verification (controllers) ------------------------------------------------------------
    path("control/", verification.control_home, name="control"),
    path("<int:pk>/verification/", verification.verify, name="verify"),
    path("<int:pk>/verification/start/", verification.start, name="verification_start"),
    path("<int:pk>/verification/sample/", verification.sample, name="sample"),
    path("<int:pk>/verification/checklist/", verification.checklist, name="checklist"),
    path("<int:pk>/verification/checklist/run/", verification.auto_checks, name="auto_checks"),
    path("<int:pk>/verification/certify/", verification.certify, name="certify"),
    path("<int:pk>/certificate/", verification.certificate, name="certificate"),
    path("lines/<int:pk>/verify/", verification.line_check, name="line_verify"),
    path("lines/<int:pk>/park/", verification.park, name="line_park"),
    path("lines/<int:pk>/unpark/", verification.unpark, name="line_unpark"),
    # Set-up, audits and budget burn (coordinators) -----------------------------------------
    # Evidence packs --------------------------------------------------------------------------
]
