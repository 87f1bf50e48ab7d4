from django.urls import path

from inspections import supervision_views, views

urlpatterns = [
    path("rectifications/", views.rectification_list, name="rectification_list"),
    path("rectifications/export.xlsx", views.rectification_export, name="rectification_export"),
    path("rectifications/new/", views.rectification_create, name="rectification_create"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification_detail"),
    path("rectifications/<int:pk>/edit/", views.rectification_edit, name="rectification_edit"),
    path(
        "rectifications/<int:pk>/progress/", views.progress_add, name="rectification_progress_add"
    ),
    path(
        "rectifications/progress/<int:pk>/evidence/",
        views.progress_evidence,
        name="rectification_evidence",
    ),
    path(
        "rectifications/measures/<int:pk>/<slug:action>/",
        views.measure_step,
        name="measure_step",
    ),
    path(
        "rectifications/<int:pk>/<slug:action>/",
        views.rectification_step,
        name="rectification_step",
    ),
    path("supervision/", supervision_views.supervision_list, name="supervision_list"),
    path("supervision/board/", supervision_views.supervision_board, name="supervision_board"),
    path(
        "supervision/board.xlsx",
        supervision_views.supervision_board_export,
        name="supervision_board_export",
    ),
    path("supervision/new/", supervision_views.supervision_create, name="supervision_create"),
    path("supervision/<int:pk>/", supervision_views.supervision_detail, name="supervision_detail"),
    path("supervision/<int:pk>/edit/", supervision_views.supervision_edit, name="supervision_edit"),
    path(
        "supervision/<int:pk>/papers/feedback/<int:unit>/",
        supervision_views.paper_edit,
        {"purpose": "feedback"},
        name="supervision_letter_edit",
    ),
    path(
        "supervision/<int:pk>/papers/<slug:purpose>/",
        supervision_views.paper_edit,
        name="supervision_paper_edit",
    ),
    path(
        "supervision/papers/<int:pk>/submit/",
        supervision_views.paper_submit,
        name="supervision_paper_submit",
    ),
    path(
        "supervision/findings/<int:pk>/evidence/",
        supervision_views.finding_evidence,
        name="supervision_evidence",
    ),
    path(
        "supervision/findings/<int:pk>/assign/",
        supervision_views.finding_assign,
        name="supervision_finding_assign",
    ),
    path(
        "supervision/<int:pk>/<slug:action>/",
        supervision_views.supervision_step,
        name="supervision_step",
    ),
    path("admonitions/", views.admonition_list, name="admonition_list"),
    path("admonitions/new/", views.admonition_create, name="admonition_create"),
    path("admonitions/<int:pk>/", views.admonition_detail, name="admonition_detail"),
    path("admonitions/<int:pk>/report.file", views.admonition_report_file, name="admonition_file"),
    path("admonitions/<int:pk>/<slug:action>/", views.admonition_step, name="admonition_step"),
]
