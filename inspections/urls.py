from django.urls import path

from inspections import research_views, supervision_views, views

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
    path(
        "supervision/export.xlsx", supervision_views.supervision_export, name="supervision_export"
    ),
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
    path("admonitions/export.xlsx", views.admonition_export, name="admonition_export"),
    path("admonitions/new/", views.admonition_create, name="admonition_create"),
    path("admonitions/<int:pk>/", views.admonition_detail, name="admonition_detail"),
    path("admonitions/<int:pk>/report.file", views.admonition_report_file, name="admonition_file"),
    path("admonitions/<int:pk>/<slug:action>/", views.admonition_step, name="admonition_step"),
]

# Research guidance (调研指导) and research topics (调研课题): inspections.research_views.
urlpatterns += [
    path("research/contact-points/", research_views.contact_point_list, name="contact_point_list"),
    path(
        "research/contact-points/export.xlsx",
        research_views.contact_point_export,
        name="contact_point_export",
    ),
    path(
        "research/contact-points/new/",
        research_views.contact_point_create,
        name="contact_point_create",
    ),
    path(
        "research/contact-points/<int:pk>/edit/",
        research_views.contact_point_edit,
        name="contact_point_edit",
    ),
    path(
        "research/contact-points/<int:pk>/end/",
        research_views.contact_point_end,
        name="contact_point_end",
    ),
    path("research/visits/", research_views.research_visit_list, name="research_visit_list"),
    path(
        "research/visits/export.xlsx",
        research_views.research_visit_export,
        name="research_visit_export",
    ),
    path(
        "research/visits/new/", research_views.research_visit_create, name="research_visit_create"
    ),
    path(
        "research/visits/<int:pk>/",
        research_views.research_visit_detail,
        name="research_visit_detail",
    ),
    path(
        "research/visits/<int:pk>/report.file",
        research_views.research_visit_file,
        name="research_visit_file",
    ),
    path(
        "research/visits/<int:pk>/<slug:action>/",
        research_views.research_visit_step,
        name="research_visit_step",
    ),
    path("research/topics/", research_views.research_topic_list, name="research_topic_list"),
    path(
        "research/topics/export.xlsx",
        research_views.research_topic_export,
        name="research_topic_export",
    ),
    path(
        "research/topics/new/", research_views.research_topic_create, name="research_topic_create"
    ),
    path(
        "research/topics/<int:pk>/",
        research_views.research_topic_detail,
        name="research_topic_detail",
    ),
    path(
        "research/topics/<int:pk>/outcome.file",
        research_views.research_topic_file,
        name="research_topic_file",
    ),
    path(
        "research/topics/<int:pk>/<slug:action>/",
        research_views.research_topic_step,
        name="research_topic_step",
    ),
]
