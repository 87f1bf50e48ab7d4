from django.urls import path

from portal.exportjobs import views

urlpatterns = [
    path("exports/", views.export_job_list, name="export_job_list"),
    path("exports/new/", views.export_job_create, name="export_job_create"),
    path("exports/<int:pk>/", views.export_job_detail, name="export_job_detail"),
    path("exports/<int:pk>/status/", views.export_job_status, name="export_job_status"),
    path("exports/<int:pk>/download/", views.export_job_download, name="export_job_download"),
]
