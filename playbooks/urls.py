from django.urls import path

from . import views

W = "w/<uuid:workspace_id>/"
C = W + "clients/<uuid:client_id>/"
K = W + "campaigns/<uuid:campaign_id>/"
D = W + "documents/<uuid:document_id>/"

urlpatterns = [
    path(C + "campaigns/", views.campaign_list_view, name="campaign_list"),
    path(C + "campaigns/new/", views.campaign_create_view, name="campaign_create"),
    path(C + "campaigns/draft/", views.campaign_draft_view, name="campaign_draft"),
    path(C + "playbooks/", views.document_list_view, name="document_list"),
    path(C + "playbooks/new/", views.document_preflight_view, name="document_preflight"),
    path(K, views.campaign_detail_view, name="campaign_detail"),
    path(K + "results/", views.campaign_results_view, name="campaign_results"),
    path(K + "results/test/", views.campaign_test_results_view, name="campaign_test_results"),
    path(K + "edit/", views.campaign_edit_view, name="campaign_edit"),
    path(K + "delete/", views.campaign_delete_view, name="campaign_delete"),
    path(K + "pdf/", views.campaign_document_view, name="campaign_document"),
    path(D, views.document_detail_view, name="document_detail"),
    path(D + "download/", views.document_download_view, name="document_download"),
]
