from django.urls import path

from portal.deadlines import views

urlpatterns = [
    path("deadlines/", views.deadline_list, name="deadline_list"),
    path("deadlines/export/", views.deadline_export, name="deadline_export"),
    path("deadlines/<int:pk>/", views.deadline_detail, name="deadline_detail"),
    path("deadlines/<int:pk>/waive/", views.deadline_waive, name="deadline_waive"),
    path(
        "deadlines/<int:pk>/extension/",
        views.deadline_extension_request,
        name="deadline_extension_request",
    ),
    path(
        "deadlines/extensions/<int:pk>/",
        views.deadline_extension_decide,
        name="deadline_extension_decide",
    ),
    path("inbox/", views.inbox, name="inbox"),
    path("inbox/<int:pk>/read/", views.inbox_read, name="inbox_read"),
    path("inbox/read-all/", views.inbox_read_all, name="inbox_read_all"),
]
