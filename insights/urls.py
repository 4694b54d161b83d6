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
    path(A + "at-risk.csv", views.analysis_at_risk_csv_view, name="segment_analysis_at_risk_csv"),
    path(
        A + "compare/<uuid:other_id>/",
        views.analysis_compare_view,
        name="segment_analysis_compare",
    ),
]
