from django.urls import path

from . import views_workflow as views

urlpatterns = [
    path("plans/<int:pk>/steps/<str:name>/", views.transition, name="transition"),
    path("plans/<int:pk>/versions/", views.versions, name="versions"),
    path("plans/<int:pk>/versions/<int:number>/", views.version, name="version"),
    path("plans/<int:pk>/versions/<int:number>/comments/", views.comment_add, name="comment_add"),
    path("plans/<int:pk>/compare/", views.compare, name="compare"),
]
