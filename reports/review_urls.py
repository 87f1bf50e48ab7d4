"""The performance review's URLs (述职评议), included by `reports.urls`."""

from django.urls import path

from reports import dashboard_views
from reports import review_views as views

urlpatterns = [
    path("reports/reviews/", views.review_round_list, name="review_round_list"),
    path(
        "reports/reviews/export/",
        views.review_round_list_export,
        name="review_round_list_export",
    ),
    path("reports/reviews/new/", views.review_round_create, name="review_round_create"),
    path("reports/reviews/<int:pk>/", views.review_round_detail, name="review_round_detail"),
    path("reports/reviews/<int:pk>/edit/", views.review_round_edit, name="review_round_edit"),
    path(
        "reports/reviews/<int:pk>/step/<slug:action>/",
        views.review_round_step,
        name="review_round_step",
    ),
    path("reports/reviews/<int:pk>/rate/", views.review_round_rate, name="review_round_rate"),
    path("reports/reviews/<int:pk>/adopt/", views.review_round_adopt, name="review_round_adopt"),
    path("reports/reviews/<int:pk>/ballot/", views.review_ballot, name="review_ballot"),
    path(
        "reports/reviews/<int:pk>/results.xlsx",
        views.review_round_export,
        name="review_round_export",
    ),
    path(
        "reports/reviews/<int:pk>/papers/draft/",
        views.review_papers_draft,
        name="review_papers_draft",
    ),
    path(
        "reports/reviews/<int:pk>/papers/feedback/<int:unit>/",
        views.review_paper_edit,
        {"purpose": "feedback"},
        name="review_feedback_edit",
    ),
    path(
        "reports/reviews/<int:pk>/papers/<slug:purpose>/",
        views.review_paper_edit,
        name="review_paper_edit",
    ),
    path(
        "reports/reviews/papers/<int:pk>/submit/",
        views.review_paper_submit,
        name="review_paper_submit",
    ),
    path(
        "reports/performance/<int:pk>/",
        views.performance_report_detail,
        name="performance_report_detail",
    ),
    path(
        "reports/performance/<int:pk>/step/<slug:action>/",
        views.performance_report_step,
        name="performance_report_step",
    ),
    path("reports/dashboard/", dashboard_views.dashboard, name="reports_dashboard"),
    path("reports/dashboard/mine/", dashboard_views.my_scorecard, name="my_scorecard"),
    path(
        "reports/dashboard/units/<int:pk>/",
        dashboard_views.unit_scorecard,
        name="unit_scorecard",
    ),
    path("reports/targets/", views.target_statement_list, name="target_statement_list"),
    path("reports/targets/export/", views.target_statement_export, name="target_statement_export"),
    path(
        "reports/targets/prepare/",
        views.target_statements_prepare,
        name="target_statements_prepare",
    ),
    path(
        "reports/targets/<int:pk>/", views.target_statement_detail, name="target_statement_detail"
    ),
    path(
        "reports/targets/<int:pk>/edit/", views.target_statement_edit, name="target_statement_edit"
    ),
    path(
        "reports/targets/<int:pk>/step/<slug:action>/",
        views.target_statement_step,
        name="target_statement_step",
    ),
]
