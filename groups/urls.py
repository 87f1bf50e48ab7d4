from django.urls import path

from groups import views

urlpatterns = [
    # The leading group
    path("groups/", views.group_org, name="group_org"),
    path("groups/roster/", views.group_roster, name="group_roster"),
    path("groups/roster.xlsx", views.group_roster_export, name="group_roster_export"),
    path("groups/import/", views.group_roster_import, name="group_roster_import"),
    path(
        "groups/import/<slug:token>/confirm/",
        views.group_roster_import_confirm,
        name="group_roster_import_confirm",
    ),
    path("groups/import/template.xlsx", views.group_roster_template, name="group_roster_template"),
    path("groups/seats/new/", views.seat_create, name="group_seat_create"),
    path("groups/seats/<str:kind>/<int:pk>/end/", views.seat_end, name="group_seat_end"),
    path("groups/terms/new/", views.term_create, name="group_term_create"),
    # Work points
    path("work-points/", views.work_points_index, name="work_points_index"),
    path("work-points/new/", views.work_points_create, name="work_points_create"),
    path(
        "work-points/import-template.xlsx",
        views.work_points_template,
        name="work_points_template",
    ),
    path("work-points/<int:year>/", views.work_points_detail, name="work_points_detail"),
    path("work-points/<int:year>/edit/", views.work_points_edit, name="work_points_edit"),
    path("work-points/<int:year>/settings/", views.work_points_update, name="work_points_update"),
    path("work-points/<int:year>/submit/", views.work_points_submit, name="work_points_submit"),
    path("work-points/<int:year>/text/", views.work_points_text, name="work_points_text"),
    path("work-points/<int:year>/year-end/", views.work_points_summary, name="work_points_summary"),
    path(
        "work-points/<int:year>/year-end.xlsx",
        views.work_points_year_end_export,
        name="work_points_year_end_export",
    ),
    path("work-points/<int:year>/items.xlsx", views.work_points_export, name="work_points_export"),
    path("work-points/<int:year>/import/", views.work_points_import, name="work_points_import"),
    path(
        "work-points/<int:year>/import/<slug:token>/confirm/",
        views.work_points_import_confirm,
        name="work_points_import_confirm",
    ),
    path(
        "work-points/<int:year>/sections/new/",
        views.work_points_section_create,
        name="work_points_section_create",
    ),
    path(
        "work-points/sections/<int:pk>/edit/",
        views.work_points_section_update,
        name="work_points_section_update",
    ),
    path(
        "work-points/sections/<int:pk>/move/",
        views.work_points_section_move,
        name="work_points_section_move",
    ),
    path(
        "work-points/sections/<int:pk>/delete/",
        views.work_points_section_delete,
        name="work_points_section_delete",
    ),
    path(
        "work-points/<int:year>/items/new/",
        views.work_points_item_create,
        name="work_points_item_create",
    ),
    path("work-points/items/<int:pk>/", views.work_points_item, name="work_points_item"),
    path(
        "work-points/items/<int:pk>/edit/",
        views.work_points_item_update,
        name="work_points_item_update",
    ),
    path(
        "work-points/items/<int:pk>/move/",
        views.work_points_item_move,
        name="work_points_item_move",
    ),
    path(
        "work-points/items/<int:pk>/delete/",
        views.work_points_item_delete,
        name="work_points_item_delete",
    ),
    path(
        "work-points/items/<int:pk>/report/",
        views.work_points_report_create,
        name="work_points_report_create",
    ),
    path(
        "work-points/reports/<int:pk>/evidence/",
        views.work_points_evidence,
        name="work_points_evidence",
    ),
]
