from django.urls import path
from rest_framework.routers import SimpleRouter

from config import converters  # noqa: F401  registers the <token:>, <signed:> and <key:> converters

from . import api
from .views import catalogue, manage, pdf, practices

app_name = "toolkits"

urlpatterns = [
    path("practices/", catalogue.catalogue, name="catalogue"),
    path("practices/cities.json", catalogue.city_names, name="city_suggestions"),
    path("practices/<slug:slug>/", catalogue.practice, name="practice"),
    path("toolkits/", catalogue.toolkits, name="toolkits"),
    path("toolkits/<slug:slug>/", catalogue.toolkit, name="toolkit"),
    path("workspace/practices/", practices.my_practices, name="my_practices"),
    path("workspace/practices/new/", practices.practice_create, name="practice_create"),
    path("workspace/reviews/", practices.review_queue, name="review_queue"),
    path("practices/<slug:slug>/edit/", practices.practice_edit, name="practice_edit"),
    path("practices/<slug:slug>/images/", practices.practice_images, name="practice_images"),
    path(
        "practices/<slug:slug>/images/<int:pk>/delete/",
        practices.practice_image_delete,
        name="practice_image_delete",
    ),
    path(
        "practices/<slug:slug>/images/<int:pk>/file/",
        practices.practice_image,
        name="practice_image",
    ),
    path("practices/<slug:slug>/submit/", practices.practice_submit, name="practice_submit"),
    path("practices/<slug:slug>/review/", practices.practice_review, name="practice_review"),
    path("practices/<slug:slug>/withdraw/", practices.practice_withdraw, name="practice_withdraw"),
    path("workspace/toolkits/", manage.toolkit_workspace, name="toolkit_workspace"),
    path("workspace/toolkits/new/", manage.toolkit_create, name="toolkit_create"),
    path("toolkits/<slug:slug>/edit/", manage.toolkit_edit, name="toolkit_edit"),
    path("toolkits/<slug:slug>/practices/", manage.toolkit_practices, name="toolkit_practices"),
    path("toolkits/<slug:slug>/success-factors/", manage.toolkit_factors, name="toolkit_factors"),
    path("toolkits/<slug:slug>/publish/", manage.edition_publish, name="edition_publish"),
    path(
        "toolkits/<slug:slug>/editions/<int:number>/<key:language>.pdf",
        pdf.edition_pdf,
        name="edition_pdf",
    ),
    path("toolkits/<slug:slug>/renderings/", pdf.toolkit_renderings, name="toolkit_renderings"),
    path("practices/<slug:slug>/pdf/<key:language>/", pdf.practice_pdf, name="practice_pdf"),
    path("renderings/<int:pk>/", pdf.rendering_detail, name="rendering"),
    path("renderings/<int:pk>/status/", pdf.rendering_status, name="rendering_status"),
    path("renderings/<int:pk>/retry/", pdf.rendering_retry, name="rendering_retry"),
    path("renderings/<int:pk>/redo/", pdf.rendering_redo, name="rendering_redo"),
]

# The read API, under /api/v1/ in the "api" namespace (config/urls.py, config/api/).
router = SimpleRouter()
router.register("practices", api.PracticeViewSet, basename="practice")
router.register("toolkits", api.ToolkitViewSet, basename="toolkit")
api_urlpatterns = router.urls
