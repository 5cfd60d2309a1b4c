from django.urls import path

from . import views_overview as views

urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path(
        "plans/<int:pk>/versions/<int:number>/pdf/<str:language>/",
        views.version_pdf,
        name="version_pdf",
    ),
    path("plans/pdfs/<int:pk>/", views.pdf, name="pdf"),
    path("plans/pdfs/<int:pk>/status/", views.pdf_status, name="pdf_status"),
    path("plans/pdfs/<int:pk>/retry/", views.pdf_retry, name="pdf_retry"),
]
