from django.urls import path

from outreach.views import figures, imports, learning, pairs, study, suggestions

urlpatterns = [
    # --- figures ---
    path("figures/", figures.figure_list, name="figure_list"),
    path("figures/export/", figures.figure_export, name="figure_export"),
    path("figures/new/", figures.figure_create, name="figure_create"),
    path("figures/import/", imports.figure_import, name="figure_import"),
    path(
        "figures/import/template.xlsx",
        imports.figure_import_template,
        name="figure_import_template",
    ),
    path(
        "figures/import/<slug:token>/confirm/",
        imports.figure_import_confirm,
        name="figure_import_confirm",
    ),
    path("returned-overseas/", figures.overseas_list, name="overseas_list"),
    path("returned-overseas/export/", figures.overseas_export, name="overseas_export"),
    path("figures/<int:pk>/", figures.figure_detail, name="figure_detail"),
    path("figures/<int:pk>/edit/", figures.figure_edit, name="figure_edit"),
    path("figures/<int:pk>/positions/", figures.position_add, name="position_add"),
    path(
        "figures/<int:pk>/positions/<int:position>/delete/",
        figures.position_delete,
        name="position_delete",
    ),
    path("figures/<int:pk>/overseas/", figures.overseas_add, name="overseas_add"),
    path(
        "figures/<int:pk>/overseas/<int:record>/delete/",
        figures.overseas_delete,
        name="overseas_delete",
    ),
    path(
        "figures/<int:pk>/sensitive/", figures.figure_sensitive_edit, name="figure_sensitive_edit"
    ),
    # --- pairs ---
    path("pairs/", pairs.pair_list, name="pair_list"),
    path("pairs/export/", pairs.pair_export, name="pair_export"),
    path("pairs/new/", pairs.pair_create, name="pair_create"),
    path("pairs/<int:pk>/end/", pairs.pair_end, name="pair_end"),
    path("pairs/coverage/", pairs.coverage_board, name="coverage_board"),
    path("pairs/coverage/export/", pairs.coverage_export, name="coverage_export"),
    path("contacts/", pairs.contact_list, name="contact_list"),
    path("contacts/export/", pairs.contact_export, name="contact_export"),
    path("contacts/new/", pairs.contact_create, name="contact_create"),
    path("contacts/<int:pk>/", pairs.contact_detail, name="contact_detail"),
    path("contacts/<int:pk>/edit/", pairs.contact_edit, name="contact_edit"),
    path("talks/", pairs.talk_list, name="talk_list"),
    path("talks/export/", pairs.talk_export, name="talk_export"),
    path("talks/new/", pairs.talk_create, name="talk_create"),
    path("talks/briefing/", pairs.briefing_create, name="briefing_create"),
    path("talks/<int:pk>/", pairs.talk_detail, name="talk_detail"),
    path("talks/<int:pk>/edit/", pairs.talk_edit, name="talk_edit"),
    path("talks/<int:pk>/<slug:action>/", pairs.talk_action, name="talk_action"),
    # --- suggestions ---
    path("suggestions/", suggestions.suggestion_list, name="suggestion_list"),
    path("suggestions/export/", suggestions.suggestion_export, name="suggestion_export"),
    path("suggestions/new/", suggestions.suggestion_create, name="suggestion_create"),
    path("suggestions/<int:pk>/", suggestions.suggestion_detail, name="suggestion_detail"),
    path(
        "suggestions/<int:pk>/<slug:action>/",
        suggestions.suggestion_step,
        name="suggestion_step",
    ),
    # --- learning ---
    path("reserve/", learning.reserve_list, name="reserve_list"),
    path("reserve/export/", learning.reserve_export, name="reserve_export"),
    path("reserve/new/", learning.reserve_create, name="reserve_create"),
    path("reserve/<int:pk>/", learning.reserve_detail, name="reserve_detail"),
    path("reserve/<int:pk>/card.pdf", learning.reserve_card, name="reserve_card"),
    path("reserve/<int:pk>/edit/", learning.reserve_edit, name="reserve_edit"),
    path("reserve/<int:pk>/end/", learning.reserve_end, name="reserve_end"),
    path("reserve/<int:pk>/trainings/", learning.training_create, name="training_create"),
    path(
        "reserve/<int:pk>/trainings/<int:training>/delete/",
        learning.training_delete,
        name="training_delete",
    ),
    path(
        "trainings/<int:training>/certificate/",
        learning.training_certificate,
        name="training_certificate",
    ),
    # --- study ---
    path("studies/", study.study_list, name="study_list"),
    path("studies/new/", study.study_create, name="study_create"),
    path("studies/mine/", study.my_studies, name="my_studies"),
    path("studies/board/", study.study_board, name="study_board"),
    path("studies/board/export/", study.study_board_export, name="study_board_export"),
    path("studies/<int:pk>/", study.study_detail, name="study_detail"),
    path("studies/<int:pk>/confirm/", study.study_confirm, name="study_confirm"),
    path("studies/<int:pk>/record/", study.study_record, name="study_record"),
    path("studies/<int:pk>/material/", study.study_attachment, name="study_attachment"),
    path("figures/<int:pk>/five-ones/", study.five_ones, name="five_ones"),
    path(
        "figures/<int:pk>/five-ones/<int:record>/delete/",
        study.five_one_delete,
        name="five_one_delete",
    ),
    path(
        "figures/<int:pk>/five-ones/<int:record>/evidence/",
        study.five_one_evidence,
        name="five_one_evidence",
    ),
]
