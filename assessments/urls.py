from django.urls import path

from . import respondent_manage_views as manage
from . import results_views, roadmap_views, views

W = "w/<uuid:workspace_id>/"
A = W + "assessments/<uuid:assessment_id>/"
R = A + "respondents/<uuid:respondent_id>/"

urlpatterns = [
    path(W + "questionnaires/", views.questionnaire_list_view, name="questionnaire_list"),
    path(
        W + "questionnaires/<uuid:version_id>/",
        views.questionnaire_detail_view,
        name="questionnaire_detail",
    ),
    path(
        W + "questionnaires/<uuid:version_id>/download/",
        views.questionnaire_download_view,
        name="questionnaire_download",
    ),
    path(
        W + "clients/<uuid:client_id>/assessments/new/",
        views.assessment_create_view,
        name="assessment_create",
    ),
    path(A, views.assessment_detail_view, name="assessment_detail"),
    path(A + "edit/", views.assessment_edit_view, name="assessment_edit"),
    path(A + "results/", results_views.assessment_results_view, name="assessment_results"),
    path(A + "targets/", results_views.assessment_targets_view, name="assessment_targets"),
    path(
        W + "roadmap-digest/",
        roadmap_views.workspace_roadmap_digest_view,
        name="workspace_roadmap_digest",
    ),
    path(
        W + "benchmark-pool/",
        results_views.workspace_benchmark_pool_view,
        name="workspace_benchmark_pool",
    ),
    path(
        A + "benchmark/",
        results_views.assessment_benchmark_filters_view,
        name="assessment_benchmark_filters",
    ),
    path(A + "again/", results_views.assessment_run_again_view, name="assessment_run_again"),
    path(
        A + "export/<slug:kind>.<slug:fmt>",
        results_views.assessment_export_view,
        name="assessment_export",
    ),
    path(A + "compare/", results_views.assessment_compare_view, name="assessment_compare"),
    path(A + "roadmap/", roadmap_views.roadmap_view, name="roadmap"),
    path(A + "roadmap/suggest/", roadmap_views.roadmap_suggest_view, name="roadmap_suggest"),
    path(A + "actions/new/", roadmap_views.action_form_view, name="action_create"),
    path(A + "actions/<uuid:action_id>/", roadmap_views.action_form_view, name="action_edit"),
    path(
        A + "actions/<uuid:action_id>/delete/",
        roadmap_views.action_delete_view,
        name="action_delete",
    ),
    path(
        A + "actions/<uuid:action_id>/quick/", roadmap_views.action_quick_view, name="action_quick"
    ),
    path(A + "status/", views.assessment_status_view, name="assessment_status"),
    path(A + "invite/", views.assessment_invite_view, name="assessment_invite"),
    path(A + "close/", views.assessment_close_view, name="assessment_close"),
    path(A + "delete/", views.assessment_delete_view, name="assessment_delete"),
    path(A + "consensus/<int:page>/", views.consensus_view, name="consensus"),
    path(A + "respondents/new/", manage.respondent_add_view, name="respondent_add"),
    path(A + "respondents/import/", manage.respondent_import_view, name="respondent_import"),
    path(
        A + "respondents/invite/", manage.respondents_invite_all_view, name="respondents_invite_all"
    ),
    path(R, manage.respondent_edit_view, name="respondent_edit"),
    path(R + "remove/", manage.respondent_remove_view, name="respondent_remove"),
    path(R + "revoke/", manage.respondent_revoke_view, name="respondent_revoke"),
    path(R + "reissue/", manage.respondent_reissue_view, name="respondent_reissue"),
    path(R + "erase/", manage.respondent_erase_view, name="respondent_erase"),
    path(W + "personal-data/", manage.personal_data_view, name="personal_data"),
    path(R + "action/", manage.respondent_action_view, name="respondent_action"),
    path(R + "link/", manage.respondent_link_view, name="respondent_link"),
]
