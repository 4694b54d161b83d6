from django.urls import path

from . import views

urlpatterns = [
    path("w/<uuid:workspace_id>/audit/", views.audit_event_list_view, name="audit_event_list"),
    path(
        "w/<uuid:workspace_id>/audit/export.csv",
        views.audit_export_view,
        name="audit_export",
    ),
]
