from django.urls import path

from inspections import views

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
    path("admonitions/", views.admonition_list, name="admonition_list"),
    path("admonitions/new/", views.admonition_create, name="admonition_create"),
    path("admonitions/<int:pk>/", views.admonition_detail, name="admonition_detail"),
    path("admonitions/<int:pk>/report.file", views.admonition_report_file, name="admonition_file"),
    path("admonitions/<int:pk>/<slug:action>/", views.admonition_step, name="admonition_step"),
]
