from django.urls import path

from . import views_practices as views

urlpatterns = [
    path("workspace/practices/", views.my_practices, name="my_practices"),
    path("workspace/practices/new/", views.practice_create, name="practice_create"),
    path("workspace/reviews/", views.review_queue, name="review_queue"),
    path("practices/<slug:slug>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<slug:slug>/images/", views.practice_images, name="practice_images"),
    path(
        "practices/<slug:slug>/images/<int:pk>/delete/",
        views.practice_image_delete,
        name="practice_image_delete",
    ),
    path(
        "practices/<slug:slug>/images/<int:pk>/file/",
        views.practice_image,
        name="practice_image",
    ),
    path("practices/<slug:slug>/submit/", views.practice_submit, name="practice_submit"),
    path("practices/<slug:slug>/review/", views.practice_review, name="practice_review"),
    path("practices/<slug:slug>/withdraw/", views.practice_withdraw, name="practice_withdraw"),
]
