from django.urls import path

from .api import ListeningImportViewSet, ListeningViewSet, SegmentAnalysisViewSet
from .api_uploads import ChunkedUploadViewSet

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
        W + "segment-analyses/<uuid:pk>/at-risk/",
        SegmentAnalysisViewSet.as_view({"get": "at_risk"}),
        name="api-segment-analysis-at-risk",
    ),
    path(
        W + "segment-analyses/<uuid:pk>/compare/<uuid:other_id>/",
        SegmentAnalysisViewSet.as_view({"get": "compare"}),
        name="api-segment-analysis-compare",
    ),
    path(
        W + "clients/<uuid:client_id>/listening/",
        ListeningViewSet.as_view({"get": "comparison", "post": "upload"}),
        name="api-client-listening",
    ),
    path(
        W + "listening-imports/",
        ListeningImportViewSet.as_view({"get": "list"}),
        name="api-listening-import-list",
    ),
    path(
        W + "listening-imports/from-storage/",
        ListeningImportViewSet.as_view({"post": "from_storage"}),
        name="api-listening-import-from-storage",
    ),
    path(
        W + "listening-imports/<uuid:pk>/",
        ListeningImportViewSet.as_view({"get": "retrieve"}),
        name="api-listening-import-detail",
    ),
    path(
        W + "insight-uploads/",
        ChunkedUploadViewSet.as_view({"post": "create"}),
        name="api-insight-upload-start",
    ),
    path(
        W + "insight-uploads/<uuid:pk>/",
        ChunkedUploadViewSet.as_view({"get": "retrieve"}),
        name="api-insight-upload-detail",
    ),
    path(
        W + "insight-uploads/<uuid:pk>/chunks/<int:index>/",
        ChunkedUploadViewSet.as_view({"put": "chunk"}),
        name="api-insight-upload-chunk",
    ),
    path(
        W + "insight-uploads/<uuid:pk>/complete/",
        ChunkedUploadViewSet.as_view({"post": "complete"}),
        name="api-insight-upload-complete",
    ),
    path(
        W + "segment-analyses/from-storage/",
        ChunkedUploadViewSet.as_view({"post": "from_storage"}),
        name="api-segment-analysis-from-storage",
    ),
]
