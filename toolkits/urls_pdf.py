from django.urls import path

from . import views_pdf as views

urlpatterns = [
    path(
        "toolkits/<slug:slug>/editions/<int:number>/<str:language>.pdf",
        views.edition_pdf,
        name="edition_pdf",
    ),
    path("toolkits/<slug:slug>/renderings/", views.toolkit_renderings, name="toolkit_renderings"),
    path("practices/<slug:slug>/pdf/<str:language>/", views.practice_pdf, name="practice_pdf"),
    path("renderings/<int:pk>/", views.rendering_detail, name="rendering"),
    path("renderings/<int:pk>/status/", views.rendering_status, name="rendering_status"),
    path("renderings/<int:pk>/retry/", views.rendering_retry, name="rendering_retry"),
    path("renderings/<int:pk>/redo/", views.rendering_redo, name="rendering_redo"),
]
