from django.urls import path

from portal.documents import views

urlpatterns = [
    path("", views.document_list, name="document_list"),
    path("export/", views.document_export, name="document_export"),
    path("new/", views.document_create, name="document_create"),
    path("<int:pk>/", views.document_detail, name="document_detail"),
    path("<int:pk>/edit/", views.document_update, name="document_update"),
    path("<int:pk>/history/", views.document_history, name="document_history"),
    path("<int:pk>/submit/", views.document_submit, name="document_submit"),
    path("<int:pk>/pass/", views.document_pass, name="document_pass"),
    path("<int:pk>/return/", views.document_return, name="document_return"),
    path("<int:pk>/delegate/", views.document_delegate, name="document_delegate"),
    path(
        "<int:pk>/delegate/revoke/",
        views.document_delegation_revoke,
        name="document_delegation_revoke",
    ),
    path("<int:pk>/sign/", views.document_sign, name="document_sign"),
    path("<int:pk>/issue/", views.document_issue, name="document_issue"),
    path("<int:pk>/acknowledge/", views.document_acknowledge, name="document_acknowledge"),
    path("<int:pk>/revise/", views.document_revise, name="document_revise"),
    path("<int:pk>/pdf/", views.document_pdf, name="document_pdf"),
    path("<int:pk>/attachments/", views.document_attach, name="document_attach"),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/",
        views.document_attachment,
        name="document_attachment",
    ),
    path(
        "<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.document_detach,
        name="document_detach",
    ),
    path("verify/", views.document_verify_lookup, name="document_verify_lookup"),
    path("verify/<str:code>/", views.document_verify, name="document_verify"),
    path("series/", views.document_series_list, name="document_series_list"),
    path("series/export/", views.document_series_export, name="document_series_export"),
    path("series/<int:pk>/edit/", views.document_series_update, name="document_series_update"),
]
