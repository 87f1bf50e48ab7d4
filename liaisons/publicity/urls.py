from django.urls import path

from liaisons.publicity import views

urlpatterns = [
    path("publicity/", views.publicity_piece_list, name="publicity_piece_list"),
    path("publicity/export/", views.publicity_piece_export, name="publicity_piece_export"),
    path("publicity/new/", views.publicity_piece_create, name="publicity_piece_create"),
    path("publicity/<int:pk>/", views.publicity_piece_detail, name="publicity_piece_detail"),
    path("publicity/<int:pk>/edit/", views.publicity_piece_edit, name="publicity_piece_edit"),
    path("publicity/<int:pk>/images/", views.publicity_image_add, name="publicity_image_add"),
    path(
        "publicity/<int:pk>/<slug:action>/",
        views.publicity_piece_step,
        name="publicity_piece_step",
    ),
    path("publicity/images/<int:pk>/", views.publicity_image, name="publicity_image"),
    path(
        "publicity/images/<int:pk>/remove/",
        views.publicity_image_remove,
        name="publicity_image_remove",
    ),
    path("publicity/reviews/<int:pk>/", views.publicity_review_open, name="publicity_review_open"),
    path("publicity/rotation/", views.publicity_rotation, name="publicity_rotation"),
    path(
        "publicity/rotation/members/new/",
        views.publicity_member_add,
        name="publicity_member_add",
    ),
    path(
        "publicity/rotation/members/<int:pk>/end/",
        views.publicity_member_end,
        name="publicity_member_end",
    ),
    path(
        "publicity/rotation/members/<int:pk>/move/",
        views.publicity_member_move,
        name="publicity_member_move",
    ),
    path("publicity/rotation/rhythm/", views.publicity_rhythm, name="publicity_rhythm"),
    path(
        "publicity/rotation/slots/<int:pk>/<slug:action>/",
        views.publicity_slot_step,
        name="publicity_slot_step",
    ),
    path("publicity/year/", views.publicity_year, name="publicity_year"),
]
