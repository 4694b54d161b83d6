"""Routes of the pages that compose several apps (cxmaturity.portal, the archives); their
paths and names are the ones they had under workspaces."""

from django.urls import path

from . import backup_views, portal

urlpatterns = [
    path("w/<uuid:workspace_id>/", portal.workspace_dashboard_view, name="workspace_dashboard"),
    path(
        "w/<uuid:workspace_id>/clients/<uuid:client_id>/",
        portal.client_detail_view,
        name="client_detail",
    ),
    path(
        "w/<uuid:workspace_id>/clients/<uuid:client_id>/archive.zip",
        backup_views.client_backup_view,
        name="client_backup",
    ),
    path(
        "w/<uuid:workspace_id>/settings/archive.zip",
        backup_views.workspace_backup_view,
        name="workspace_backup",
    ),
]
