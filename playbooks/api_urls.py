from django.urls import path

from .api import CampaignViewSet, DocumentViewSet

W = "workspaces/<uuid:workspace_id>/"

urlpatterns = [
    path(
        W + "campaigns/",
        CampaignViewSet.as_view({"get": "list", "post": "create"}),
        name="api-campaign-list",
    ),
    path(
        W + "campaigns/draft/",
        CampaignViewSet.as_view({"post": "draft"}),
        name="api-campaign-draft",
    ),
    path(
        W + "campaigns/<uuid:pk>/",
        CampaignViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-campaign-detail",
    ),
    path(
        W + "campaigns/<uuid:pk>/results/",
        CampaignViewSet.as_view({"get": "results"}),
        name="api-campaign-results",
    ),
    path(
        W + "campaigns/<uuid:pk>/test-results/",
        CampaignViewSet.as_view({"put": "test_results"}),
        name="api-campaign-test-results",
    ),
    path(
        W + "documents/",
        DocumentViewSet.as_view({"get": "list", "post": "create"}),
        name="api-document-list",
    ),
    path(
        W + "documents/<uuid:pk>/",
        DocumentViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="api-document-detail",
    ),
]
