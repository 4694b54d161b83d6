from django.urls import path

from . import views

W = "w/<uuid:workspace_id>/"
A = W + "segments/<uuid:analysis_id>/"

urlpatterns = [
    path(W + "clients/<uuid:client_id>/insights/", views.insights_view, name="insights"),
    path(A, views.analysis_view, name="segment_analysis"),
    path(A + "delete/", views.analysis_delete_view, name="segment_analysis_delete"),
]
