from django.urls import include, path

from reports import views

urlpatterns = [
    path("reports/annual/", views.annual_report_list, name="annual_report_list"),
    path("reports/annual/export/", views.annual_report_export, name="annual_report_export"),
    path("reports/annual/new/", views.annual_report_create, name="annual_report_create"),
    path("reports/annual/<int:year>/", views.annual_report_detail, name="annual_report_detail"),
    path("reports/annual/<int:year>/edit/", views.annual_report_edit, name="annual_report_edit"),
    path(
        "reports/annual/<int:year>/sections/new/",
        views.annual_report_section_add,
        name="annual_report_section_add",
    ),
    path(
        "reports/annual/<int:year>/fill-all/",
        views.annual_report_fill_all,
        name="annual_report_fill_all",
    ),
    path(
        "reports/annual/<int:year>/fill/<slug:source>/",
        views.annual_report_fill,
        name="annual_report_fill",
    ),
    path(
        "reports/annual/<int:year>/submit/", views.annual_report_submit, name="annual_report_submit"
    ),
    path("reports/inspection/", views.self_report_list, name="self_report_list"),
    path("reports/inspection/export/", views.self_report_export, name="self_report_export"),
    path("reports/inspection/new/", views.self_report_create, name="self_report_create"),
    path("reports/inspection/<int:pk>/", views.self_report_detail, name="self_report_detail"),
    path("reports/inspection/<int:pk>/edit/", views.self_report_edit, name="self_report_edit"),
    path(
        "reports/inspection/<int:pk>/sections/new/",
        views.self_report_section_add,
        name="self_report_section_add",
    ),
    path("reports/inspection/<int:pk>/fill/", views.self_report_fill, name="self_report_fill"),
    path(
        "reports/inspection/<int:pk>/submit/", views.self_report_submit, name="self_report_submit"
    ),
    path("", include("reports.review_urls")),
    # Experiences, briefings and information sent upward: reports.upward_urls.
    path("", include("reports.upward_urls")),
]
