from django.urls import path
from rest_framework.routers import SimpleRouter

from config import converters  # noqa: F401  registers the <token:>, <signed:> and <key:> converters

from . import api
from .views import edit, overview, workflow

app_name = "actionplans"

urlpatterns = [
    path("plans/new/<int:pairing>/", edit.plan_create, name="plan_create"),
    path("plans/<int:pk>/", edit.plan_detail, name="plan"),
    path("plans/<int:pk>/sections/<key:section>/", edit.section_edit, name="section_edit"),
    path("plans/<int:pk>/rows/<key:section>/add/", edit.row_add, name="row_add"),
    path("plans/<int:pk>/rows/<key:section>/order/", edit.rows_reorder, name="rows_reorder"),
    path("plans/<int:pk>/rows/<key:section>/<int:row>/", edit.row_edit, name="row_edit"),
    path(
        "plans/<int:pk>/rows/<key:section>/<int:row>/delete/",
        edit.row_delete,
        name="row_delete",
    ),
    path("plans/<int:pk>/actions/<int:row>/status/", edit.action_status, name="action_status"),
    path(
        "plans/<int:pk>/indicators/<int:row>/measurements/",
        edit.measurement_add,
        name="measurement_add",
    ),
    path("plans/<int:pk>/steps/<key:name>/", workflow.transition, name="transition"),
    path("plans/<int:pk>/versions/", workflow.versions, name="versions"),
    path("plans/<int:pk>/versions/<int:number>/", workflow.version, name="version"),
    path(
        "plans/<int:pk>/versions/<int:number>/comments/", workflow.comment_add, name="comment_add"
    ),
    path("plans/<int:pk>/compare/", workflow.compare, name="compare"),
    path("plans/", overview.plans, name="plans"),
    path(
        "plans/<int:pk>/versions/<int:number>/pdf/<key:language>/",
        overview.version_pdf,
        name="version_pdf",
    ),
    path("plans/pdfs/<int:pk>/", overview.pdf, name="pdf"),
    path("plans/pdfs/<int:pk>/status/", overview.pdf_status, name="pdf_status"),
    path("plans/pdfs/<int:pk>/retry/", overview.pdf_retry, name="pdf_retry"),
]

# The read API, under /api/v1/ in the "api" namespace (config/urls.py, config/api/).
router = SimpleRouter()
router.register("action-plans", api.PlanViewSet, basename="action-plan")
api_urlpatterns = router.urls
