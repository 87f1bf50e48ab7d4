from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from portal import views

handler500 = "portal.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/export/", views.unit_export, name="unit_export"),
    path("units/new/", views.unit_create, name="unit_create"),
    path("units/<int:pk>/", views.unit_detail, name="unit_detail"),
    path("units/<int:pk>/edit/", views.unit_update, name="unit_update"),
    path("units/<int:pk>/history/", views.unit_history, name="unit_history"),
    path("people/", views.person_list, name="person_list"),
    path("people/export/", views.person_export, name="person_export"),
    path("people/new/", views.person_create, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    path("people/<int:pk>/edit/", views.person_update, name="person_update"),
    path("people/<int:pk>/history/", views.person_history, name="person_history"),
    path("sensitive-views/", views.sensitive_view_list, name="sensitive_view_list"),
    path("sensitive-views/export/", views.sensitive_view_export, name="sensitive_view_export"),
    path("calendar/", views.workday_calendar, name="workday_calendar"),
    path("calendar/<int:year>/", views.workday_year_detail, name="workday_year_detail"),
    path("calendar/<int:year>/edit/", views.workday_year_edit, name="workday_year_edit"),
    path("documents/", include("portal.documents.urls")),
    path(
        "accounts/login/",
        views.PortalLoginView.as_view(),
        name="login",
    ),
    path("accounts/lockouts/", views.lockout_list, name="lockout_list"),
    path("accounts/lockouts/export/", views.lockout_export, name="lockout_export"),
    path("accounts/lockouts/reset/", views.lockout_reset, name="lockout_reset"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("", include("portal.deadlines.urls")),
    path("", include("portal.exportjobs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("", include("groups.urls")),
    path("", include("meetings.urls")),
    path("", include("reports.urls")),
    path("", include("outreach.urls")),
    path("", include("liaisons.urls")),
    path("", include("inspections.urls")),
    path("admin/", admin.site.urls),
]
