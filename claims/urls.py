"""The claims app's pages, under /claims/ (namespace ``claims``). Each area keeps its block."""

from django.urls import path

from .views import audits, claims, packs, programme, setup, verification

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
    path("setup/<slug:programme>/", setup.setup, name="setup"),
    path("setup/<slug:programme>/rules/", setup.rules, name="rules"),
    path("setup/<slug:programme>/periods/", setup.periods, name="periods"),
    path("setup/<slug:programme>/periods/new/", setup.period_create, name="period_create"),
    path(
        "setup/<slug:programme>/periods/generate/",
        setup.periods_generate,
        name="periods_generate",
    ),
    path("setup/<slug:programme>/periods/<int:pk>/", setup.period_edit, name="period_edit"),
    path("setup/<slug:programme>/cost-options/", setup.cost_options, name="cost_options"),
    path(
        "setup/<slug:programme>/cost-options/new/",
        setup.cost_option_create,
        name="cost_option_create",
    ),
    path(
        "setup/<slug:programme>/cost-options/<int:pk>/",
        setup.cost_option_edit,
        name="cost_option_edit",
    ),
    path(
        "setup/<slug:programme>/cost-options/<int:pk>/remove/",
        setup.cost_option_remove,
        name="cost_option_remove",
    ),
    path("setup/<slug:programme>/budgets/", setup.budgets, name="budgets"),
    path(
        "setup/<slug:programme>/checklist/",
        setup.checklist_questions,
        name="checklist_questions",
    ),
    path(
        "setup/<slug:programme>/checklist/new/",
        setup.checklist_question_create,
        name="checklist_question_create",
    ),
    path(
        "setup/<slug:programme>/checklist/staff-checks/",
        setup.checklist_auto_checks,
        name="checklist_auto_checks",
    ),
    path(
        "setup/<slug:programme>/checklist/<int:pk>/",
        setup.checklist_question_edit,
        name="checklist_question_edit",
    ),
    path(
        "setup/<slug:programme>/checklist/<int:pk>/delete/",
        setup.checklist_question_delete,
        name="checklist_question_delete",
    ),
    path("setup/<slug:programme>/assignments/", setup.assignments, name="assignments"),
    path(
        "setup/<slug:programme>/assignments/new/",
        setup.assignment_create,
        name="assignment_create",
    ),
    path(
        "setup/<slug:programme>/assignments/<int:pk>/",
        setup.assignment_edit,
        name="assignment_edit",
    ),
    path(
        "setup/<slug:programme>/assignments/<int:pk>/end/",
        setup.assignment_end,
        name="assignment_end",
    ),
    path("<int:pk>/audits/new/", audits.audit_create, name="audit_create"),
    path("audits/<int:pk>/corrections/new/", audits.correction_create, name="correction_create"),
    path("programme/<slug:programme>/", programme.overview, name="overview"),
    path("programme/<slug:programme>/budget/", programme.budget, name="budget"),
    path("programme/<slug:programme>/budget/<slug:city>/", programme.budget, name="budget_city"),
    # Evidence packs --------------------------------------------------------------------------
    path("<int:pk>/pack/", packs.pack_request, name="pack_request"),
    path("packs/<int:pk>/", packs.pack_detail, name="pack"),
    path("packs/<int:pk>/status/", packs.pack_status, name="pack_status"),
    path("packs/<int:pk>/retry/", packs.pack_retry, name="pack_retry"),
    path("packs/<int:pk>/download/", packs.pack_download, name="pack_download"),
]
