from django.urls import path

from meetings import views

urlpatterns = [
    path("meetings/", views.meeting_list, name="meeting_list"),
    path("meetings/export/", views.meeting_export, name="meeting_export"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/attendance/", views.meeting_attendance, name="meeting_attendance"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda_add, name="meeting_agenda_add"),
    path("meetings/<int:pk>/materials/", views.meeting_material_add, name="meeting_material_add"),
    path("meetings/<int:pk>/invite/", views.meeting_invite, name="meeting_invite"),
    path("meetings/<int:pk>/meeting.ics", views.meeting_ics, name="meeting_ics"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("meetings/<int:pk>/minutes/submit/", views.minutes_submit, name="minutes_submit"),
    path("meetings/agenda/<int:pk>/move/", views.agenda_item_move, name="agenda_item_move"),
    path("meetings/agenda/<int:pk>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path(
        "meetings/agenda/<int:pk>/follow-ups/new/",
        views.follow_up_create,
        name="follow_up_create",
    ),
    path("meetings/materials/<int:pk>/", views.meeting_material, name="meeting_material"),
    path("meetings/years/<int:year>/", views.meeting_year, name="meeting_year"),
    path("topics/", views.topic_list, name="topic_list"),
    path("topics/new/", views.topic_create, name="topic_create"),
    path("topics/export/", views.topic_export, name="topic_export"),
    path("topics/<int:pk>/decide/", views.topic_decide, name="topic_decide"),
    path("follow-ups/", views.follow_up_list, name="follow_up_list"),
    path("follow-ups/export/", views.follow_up_export, name="follow_up_export"),
    path("follow-ups/<int:pk>/", views.follow_up_detail, name="follow_up_detail"),
    path("follow-ups/<int:pk>/update/", views.follow_up_update, name="follow_up_update"),
    path("follow-ups/<int:pk>/close/", views.follow_up_close, name="follow_up_close"),
]
