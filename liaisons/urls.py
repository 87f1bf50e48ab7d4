from django.urls import include, path

from liaisons import views

urlpatterns = [
    path("liaisons/", views.liaison_list, name="liaison_list"),
    path("liaisons/export/", views.liaison_export, name="liaison_export"),
    path("liaisons/new/", views.liaison_appoint, name="liaison_appoint"),
    path("liaisons/<int:pk>/", views.liaison_detail, name="liaison_detail"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison_end"),
    path("liaisons/<int:pk>/keep/", views.liaison_keep, name="liaison_keep"),
    path("liaisons/sessions/", views.liaison_session_list, name="liaison_session_list"),
    path("liaisons/sessions/export/", views.liaison_session_export, name="liaison_session_export"),
    path("liaisons/sessions/new/", views.liaison_session_create, name="liaison_session_create"),
    path(
        "liaisons/sessions/<int:pk>/",
        views.liaison_session_detail,
        name="liaison_session_detail",
    ),
    path(
        "liaisons/sessions/<int:pk>/attendance/",
        views.liaison_session_attendance,
        name="liaison_session_attendance",
    ),
    path("liaisons/reports/", views.liaison_report_list, name="liaison_report_list"),
    path("liaisons/reports/export/", views.liaison_report_export, name="liaison_report_export"),
    path("liaisons/reports/<int:pk>/", views.liaison_report_detail, name="liaison_report_detail"),
    path("liaisons/reports/<int:pk>/edit/", views.liaison_report_edit, name="liaison_report_edit"),
    path(
        "liaisons/reports/<int:pk>/follow/<slug:kind>/",
        views.liaison_report_follow,
        name="liaison_report_follow",
    ),
    path(
        "liaisons/reports/<int:pk>/<slug:action>/",
        views.liaison_report_step,
        name="liaison_report_step",
    ),
    path("liaisons/rounds/", views.liaison_round_list, name="liaison_round_list"),
    path("liaisons/rounds/export/", views.liaison_round_export, name="liaison_round_export"),
    path("liaisons/rounds/new/", views.liaison_round_create, name="liaison_round_create"),
    path("liaisons/rounds/<int:pk>/edit/", views.liaison_round_edit, name="liaison_round_edit"),
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/export/", views.consultation_export, name="consultation_export"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/draft/", views.consultation_draft, name="consultation_draft"),
    path(
        "consultations/<int:pk>/<slug:action>/",
        views.consultation_step,
        name="consultation_step",
    ),
    path("", include("liaisons.publicity.urls")),
]
