"""URLs of the experiences, briefings and information sent upward (included from
`reports.urls`)."""

from django.urls import path

from reports import upward_views as views

urlpatterns = [
    path("reports/experiences/", views.experience_list, name="experience_list"),
    path("reports/experiences/export/", views.experience_export, name="experience_export"),
    path("reports/experiences/new/", views.experience_create, name="experience_create"),
    path("reports/experiences/<int:pk>/", views.experience_detail, name="experience_detail"),
    path("reports/experiences/<int:pk>/edit/", views.experience_edit, name="experience_edit"),
    path(
        "reports/experiences/<int:pk>/attachment.file",
        views.experience_file,
        name="experience_file",
    ),
    path(
        "reports/experiences/<int:pk>/<slug:action>/",
        views.experience_step,
        name="experience_step",
    ),
    path("reports/briefings/", views.briefing_list, name="experience_briefing_list"),
    path("reports/briefings/export/", views.briefing_export, name="experience_briefing_export"),
    path("reports/briefings/new/", views.briefing_create, name="experience_briefing_create"),
    path("reports/briefings/<int:pk>/", views.briefing_detail, name="experience_briefing_detail"),
    path("reports/briefings/<int:pk>/edit/", views.briefing_edit, name="experience_briefing_edit"),
    path(
        "reports/briefings/<int:pk>/submit/",
        views.briefing_submit,
        name="experience_briefing_submit",
    ),
    path("reports/information/", views.information_list, name="information_list"),
    path("reports/information/export/", views.information_export, name="information_export"),
    path("reports/information/new/", views.information_create, name="information_create"),
    path("reports/information/summary/", views.information_summary, name="information_summary"),
    path(
        "reports/information/summary.xlsx",
        views.information_summary_export,
        name="information_summary_export",
    ),
    path("reports/information/<int:pk>/", views.information_detail, name="information_detail"),
    path("reports/information/<int:pk>/edit/", views.information_edit, name="information_edit"),
    path(
        "reports/information/<int:pk>/<slug:action>/",
        views.information_step,
        name="information_step",
    ),
]
