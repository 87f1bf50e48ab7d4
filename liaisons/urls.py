from django.urls import path

from liaisons import views

urlpatterns = [
    path("liaisons/", views.liaison_list, name="liaison_list"),
    path("liaisons/new/", views.liaison_appoint, name="liaison_appoint"),
    path("liaisons/<int:pk>/", views.liaison_detail, name="liaison_detail"),
    path("liaisons/<int:pk>/end/", views.liaison_end, name="liaison_end"),
    path("liaisons/<int:pk>/keep/", views.liaison_keep, name="liaison_keep"),
    path("liaisons/sessions/", views.liaison_session_list, name="liaison_session_list"),
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
    path("consultations/", views.consultation_list, name="consultation_list"),
    path("consultations/new/", views.consultation_create, name="consultation_create"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation_detail"),
    path("consultations/<int:pk>/draft/", views.consultation_draft, name="consultation_draft"),
    path(
        "consultations/<int:pk>/<slug:action>/",
        views.consultation_step,
        name="consultation_step",
    ),
]
