"""Routes of the pages that compose several apps (cxmaturity.portal, the archives); their
paths and names are the ones they had under workspaces."""

from django.urls import path

from . import backup_views, portal

# The client hub's tabs (cxmaturity.portal).
C = "w/<uuid:workspace_id>/clients/<uuid:client_id>/"

urlpatterns = [
    path("w/<uuid:workspace_id>/", portal.workspace_dashboard_view, name="workspace_dashboard"),
    path(C, portal.client_detail_view, name="client_detail"),
    path(C + "assessments/", portal.client_assessments_view, name="client_assessments"),
    path(C + "results/", portal.client_results_view, name="client_results"),
    path(C + "roadmap/", portal.client_roadmap_view, name="client_roadmap"),
    path(C + "plans/", portal.client_plans_view, name="client_plans"),
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
