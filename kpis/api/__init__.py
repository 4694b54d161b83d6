"""REST API for strategy plans: plans, the steps' items, KPIs, measurements, coverage,
the scorecard, the scale and the simulator (under /api/v1/workspaces/{workspace_id}/plans/),
one module per resource."""

from .items import STEP_APIS, PlanItemDetailViewSet, PlanItemViewSet
from .kpis import KPIDetailViewSet, KPIViewSet, MeasurementViewSet
from .plans import PlanViewSet
from .scale import ScaleViewSet, SimulationViewSet

__all__ = [
    "STEP_APIS",
    "KPIDetailViewSet",
    "KPIViewSet",
    "MeasurementViewSet",
    "PlanItemDetailViewSet",
    "PlanItemViewSet",
    "PlanViewSet",
    "ScaleViewSet",
    "SimulationViewSet",
]
