from django.urls import path

from . import simulator_views, views

W = "w/<uuid:workspace_id>/"
P = W + "plans/<uuid:plan_id>/"

urlpatterns = [
    path(W + "clients/<uuid:client_id>/plans/new/", views.plan_create_view, name="plan_create"),
    path(P, views.plan_detail_view, name="plan_detail"),
    path(P + "activate/", views.plan_activate_view, name="plan_activate"),
    path(P + "scorecard/", views.scorecard_view, name="scorecard"),
    path(P + "kpis/", views.kpi_list_view, name="plan_kpis"),
    path(P + "kpis/<uuid:kpi_id>/", views.kpi_detail_view, name="plan_kpi"),
    path(P + "kpis/<uuid:kpi_id>/edit/", views.kpi_edit_view, name="plan_kpi_edit"),
    path(P + "map/", views.alignment_map_view, name="alignment_map"),
    path(P + "simulator/", simulator_views.simulator_view, name="simulator"),
    path(P + "scale/", views.scale_view, name="plan_scale"),
    path(P + "measurements/", views.measurements_view, name="plan_measurements"),
    path(
        P + "measurements/<uuid:measurement_id>/edit/",
        views.measurement_edit_view,
        name="plan_measurement_edit",
    ),
    path(
        P + "measurements/<uuid:measurement_id>/delete/",
        views.measurement_delete_view,
        name="plan_measurement_delete",
    ),
    path(P + "steps/<slug:step>/", views.step_view, name="plan_step"),
    path(
        P + "steps/<slug:step>/<uuid:item_id>/edit/",
        views.step_item_edit_view,
        name="plan_step_item_edit",
    ),
    path(
        P + "steps/<slug:step>/<uuid:item_id>/",
        views.step_item_delete_view,
        name="plan_step_item",
    ),
]
