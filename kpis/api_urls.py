from django.urls import path

from .api import (
    STEP_APIS,
    KPIDetailViewSet,
    KPIViewSet,
    MeasurementViewSet,
    PlanItemDetailViewSet,
    PlanItemViewSet,
    PlanViewSet,
    ScaleViewSet,
    SimulationViewSet,
)

W = "workspaces/<uuid:workspace_id>/plans/"
P = W + "<uuid:plan_id>/"

urlpatterns = [
    path(W, PlanViewSet.as_view({"get": "list", "post": "create"}), name="api-plan-list"),
    path(W + "<uuid:pk>/", PlanViewSet.as_view({"get": "retrieve"}), name="api-plan-detail"),
    path(
        W + "<uuid:pk>/activate/",
        PlanViewSet.as_view({"post": "activate"}),
        name="api-plan-activate",
    ),
    path(
        W + "<uuid:pk>/coverage/",
        PlanViewSet.as_view({"get": "coverage"}),
        name="api-plan-coverage",
    ),
    path(
        W + "<uuid:pk>/scorecard/",
        PlanViewSet.as_view({"get": "scorecard"}),
        name="api-plan-scorecard",
    ),
    *[
        path(
            P + f"{step}/",
            PlanItemViewSet.as_view({"get": "list", "post": "create"}, step=step),
            name=f"api-plan-{step}",
        )
        for step in STEP_APIS
    ],
    path(P + "kpis/", KPIViewSet.as_view({"get": "list", "post": "create"}), name="api-plan-kpis"),
    *[
        path(
            P + f"{step}/<uuid:pk>/",
            PlanItemDetailViewSet.as_view(
                {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}, step=step
            ),
            name=f"api-plan-{step}-detail",
        )
        for step in STEP_APIS
    ],
    path(
        P + "kpis/<uuid:pk>/",
        KPIDetailViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-plan-kpi-detail",
    ),
    path(
        P + "kpis/<uuid:pk>/measurements/",
        KPIDetailViewSet.as_view({"get": "measurements"}),
        name="api-plan-kpi-measurements",
    ),
    path(
        P + "measurements/",
        KPIViewSet.as_view({"post": "measurements"}),
        name="api-plan-measurements",
    ),
    path(
        P + "measurements/<uuid:pk>/",
        MeasurementViewSet.as_view(
            {"get": "retrieve", "patch": "partial_update", "delete": "destroy"}
        ),
        name="api-plan-measurement-detail",
    ),
    path(
        P + "scale/",
        ScaleViewSet.as_view({"get": "retrieve", "put": "update"}),
        name="api-plan-scale",
    ),
    path(
        P + "simulations/",
        SimulationViewSet.as_view({"get": "list", "post": "create"}),
        name="api-plan-simulations",
    ),
    path(
        P + "simulations/<uuid:pk>/",
        SimulationViewSet.as_view({"get": "retrieve", "delete": "destroy"}),
        name="api-plan-simulation-detail",
    ),
]
