"""API for the engagement value scale and the simulator's saved periods."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cxmaturity.api import revision_field
from workspaces.api import WorkspaceScopedViewSet

from .. import selectors, services
from ..models import StrategyPlan


class CategoryRangeIn(serializers.Serializer):
    key = serializers.SlugField(max_length=40)
    min_points = serializers.IntegerField(min_value=0, max_value=10**9)
    max_points = serializers.IntegerField(min_value=0, max_value=10**9, allow_null=True)
    revision = revision_field()


class ScaleIn(serializers.Serializer):
    categories = CategoryRangeIn(many=True, allow_empty=False, max_length=50)


class CategoryValueOut(serializers.Serializer):
    value = serializers.IntegerField()
    share = serializers.FloatField()


class EngagementValueOut(serializers.Serializer):
    """The scale checked and a period valued by SCORING.md §3."""

    valid = serializers.BooleanField()
    errors = serializers.ListField(child=serializers.CharField())
    engagement_value = serializers.IntegerField()
    value_per_visit = serializers.FloatField(allow_null=True)
    by_category = serializers.DictField(child=CategoryValueOut())


class CategoryOut(serializers.Serializer):
    key = serializers.SlugField()
    name = serializers.CharField()
    min_points = serializers.IntegerField()
    max_points = serializers.IntegerField(allow_null=True)
    position = serializers.IntegerField()
    revision = serializers.IntegerField()


class GoalPointsOut(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    category = serializers.SlugField(source="category.key", allow_null=True, default=None)
    points = serializers.IntegerField(allow_null=True)


class ScaleOut(serializers.Serializer):
    categories = CategoryOut(many=True)
    revision = serializers.CharField(
        help_text=_("The whole scale's revision, also its ETag (If-Match on a change)")
    )
    goals = GoalPointsOut(many=True)
    validation = EngagementValueOut()


class SimulationIn(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    visits = serializers.IntegerField(min_value=0, max_value=10**9)
    conversions = serializers.DictField(
        child=serializers.IntegerField(min_value=0, max_value=10**9), allow_empty=True
    )


class SimulationOut(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    visits = serializers.IntegerField()
    conversions = serializers.DictField(child=serializers.IntegerField())
    created_at = serializers.DateTimeField()
    engagement_value = EngagementValueOut(help_text=_("SCORING.md §3 on the current scale"))


def _scale_out(plan: StrategyPlan) -> dict:
    categories = selectors.category_list(plan=plan)
    return ScaleOut(
        {
            "categories": categories,
            "revision": services.scale_tag(categories),
            "goals": selectors.goal_list(plan=plan),
            "validation": selectors.engagement_scale(plan=plan),
        }
    ).data


def _simulation_out(plan: StrategyPlan, period) -> dict:
    period.engagement_value = selectors.engagement_scale(
        plan=plan, visits=period.visits, conversions=period.conversions
    )
    return SimulationOut(period).data


class ScaleViewSet(WorkspaceScopedViewSet):
    """The plan's engagement value scale: categories with their point ranges, the digital
    goals' points, and the SCORING.md §3 check of the whole."""

    serializer_class = ScaleIn

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])

    @extend_schema(summary=_("The engagement value scale"), responses=ScaleOut)
    def retrieve(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        return Response(_scale_out(self.plan))

    @extend_schema(
        summary=_("Set the categories' point ranges (saved only when the scale is valid)"),
        request=ScaleIn,
        responses=ScaleOut,
    )
    def update(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        data = ScaleIn(data=request.data)
        data.is_valid(raise_exception=True)
        rows = data.validated_data["categories"]
        header = request.headers.get("If-Match")
        services.scale_update(
            plan=self.plan,
            ranges={r["key"]: (r["min_points"], r["max_points"]) for r in rows},
            revisions={r["key"]: r["revision"] for r in rows if "revision" in r},
            expected_tag=header.removeprefix("W/").strip().strip('"') if header else None,
        )
        return Response(_scale_out(self.plan))


class SimulationViewSet(WorkspaceScopedViewSet):
    """Saved simulator periods: visits and conversions per digital goal, each valued on
    the plan's current scale."""

    serializer_class = SimulationIn
    pagination_class = None  # a plan keeps a handful of periods

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])

    @extend_schema(
        summary=_("Saved periods with their engagement value"),
        responses=SimulationOut(many=True),
        operation_id="plan_simulations_list",
    )
    def list(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        periods = selectors.periods_valued(plan=self.plan)
        return Response(SimulationOut(periods, many=True).data)

    @extend_schema(
        summary=_("Save a period (conversions keyed by digital goal id)"),
        request=SimulationIn,
        responses={201: SimulationOut},
    )
    def create(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        data = SimulationIn(data=request.data)
        data.is_valid(raise_exception=True)
        period = services.period_save(plan=self.plan, **data.validated_data)
        return Response(_simulation_out(self.plan, period), status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("One saved period"), responses=SimulationOut)
    def retrieve(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        period = selectors.period_get(plan=self.plan, period_id=pk)
        return Response(_simulation_out(self.plan, period))

    @extend_schema(summary=_("Delete a saved period"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        services.period_delete(period=selectors.period_get(plan=self.plan, period_id=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)
