from django.urls import path

from . import views

W = "w/<uuid:workspace_id>/"
A = W + "segments/<uuid:analysis_id>/"

urlpatterns = [
    path(W + "clients/<uuid:client_id>/insights/", views.insights_view, name="insights"),
    path(W + "clients/<uuid:client_id>/listening/", views.listening_view, name="listening"),
    path(
        W + "clients/<uuid:client_id>/listening/tactic/",
        views.listening_tactic_view,
        name="listening_tactic",
    ),
    path(A, views.analysis_view, name="segment_analysis"),
    path(A + "delete/", views.analysis_delete_view, name="segment_analysis_delete"),
]
