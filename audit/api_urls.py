from django.urls import path

from .api import AuditEventViewSet

urlpatterns = [
    path(
        "workspaces/<uuid:workspace_id>/audit/",
        AuditEventViewSet.as_view({"get": "list"}),
        name="api-audit-list",
    ),
]
