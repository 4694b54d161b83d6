from django.urls import path

from .api import ListeningViewSet, SegmentAnalysisViewSet

W = "workspaces/<uuid:workspace_id>/"

urlpatterns = [
    path(
        W + "segment-analyses/",
        SegmentAnalysisViewSet.as_view({"get": "list", "post": "create"}),
        name="api-segment-analysis-list",
    ),
    path(
        W + "segment-analyses/<uuid:pk>/",
        SegmentAnalysisViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-segment-analysis-detail",
    ),
    path(
        W + "clients/<uuid:client_id>/listening/",
        ListeningViewSet.as_view({"get": "comparison", "post": "upload"}),
        name="api-client-listening",
    ),
]
