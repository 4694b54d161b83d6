"""REST API for strategy plans: plans, the steps' items, KPIs, measurements, coverage and
the scorecard (under /api/v1/workspaces/{workspace_id}/plans/)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cxmaturity.api import revision_field
from workspaces.api import WorkspaceScopedViewSet
from workspaces.permissions import require_contribution
from workspaces.selectors import client_get

from . import selectors, services
from .models import (
    KPI,
    DigitalGoal,
    Direction,
    EngagementCategory,
    Involvement,
    Journey,
    LifecycleStage,
    MarketingObjective,
    SimulationPeriod,
    StrategicObjective,
    StrategicTheme,
    StrategyPlan,
)


class PlanOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")

    class Meta:
        model = StrategyPlan
        fields = ["id", "client", "title", "status", "created_at"]


class PlanIn(serializers.Serializer):
    client = serializers.UUIDField()
    title = serializers.CharField(max_length=200)


class ThemeIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    revision = revision_field()


class StrategicObjectiveIn(serializers.Serializer):
    theme = serializers.UUIDField(required=False, allow_null=True)
    statement = serializers.CharField(max_length=300)
    measure = serializers.CharField(max_length=200, required=False, allow_blank=True)
    due = serializers.DateField(required=False, allow_null=True)
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True)
    revision = revision_field()


class MarketingObjectiveIn(serializers.Serializer):
    strategic_objective = serializers.UUIDField(required=False, allow_null=True)
    statement = serializers.CharField(max_length=300)
    segment = serializers.CharField(max_length=200, required=False, allow_blank=True)
    journey = serializers.ChoiceField(choices=Journey.choices, required=False, allow_blank=True)
    lifecycle_stage = serializers.ChoiceField(
        choices=LifecycleStage.choices, required=False, allow_blank=True
    )
    due = serializers.DateField(required=False, allow_null=True)
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True)
    revision = revision_field()


class DigitalGoalIn(serializers.Serializer):
    marketing_objective = serializers.UUIDField(required=False, allow_null=True)
    name = serializers.CharField(max_length=200)
    channel = serializers.CharField(max_length=20, required=False, allow_blank=True)
    how_detected = serializers.CharField(max_length=300, required=False, allow_blank=True)
    category = serializers.SlugField(max_length=40, required=False, allow_blank=True)
    points = serializers.IntegerField(
        min_value=0, max_value=100000, required=False, allow_null=True
    )
    revision = revision_field()


class ItemOut(serializers.Serializer):
    id = serializers.UUIDField()
    position = serializers.IntegerField()
    revision = serializers.IntegerField()


class KPIOut(serializers.ModelSerializer):
    digital_goal = serializers.UUIDField(source="digital_goal_id", allow_null=True)
    marketing_objective = serializers.UUIDField(source="marketing_objective_id", allow_null=True)

    class Meta:
        model = KPI
        fields = [
            "id",
            "name",
            "description",
            "unit",
            "direction",
            "baseline",
            "target",
            "start",
            "due",
            "owner",
            "involvement",
            "journey",
            "digital_goal",
            "marketing_objective",
            "data_source",
            "position",
            "revision",
        ]


class KPIIn(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    unit = serializers.CharField(max_length=50, required=False, allow_blank=True)
    direction = serializers.ChoiceField(choices=Direction.choices)
    baseline = serializers.DecimalField(max_digits=14, decimal_places=4)
    target = serializers.DecimalField(max_digits=14, decimal_places=4)
    start = serializers.DateField()
    due = serializers.DateField()
    owner = serializers.CharField(max_length=150, required=False, allow_blank=True)
    involvement = serializers.ChoiceField(
        choices=Involvement.choices, required=False, allow_blank=True
    )
    journey = serializers.ChoiceField(choices=Journey.choices, required=False, allow_blank=True)
    digital_goal = serializers.UUIDField(required=False, allow_null=True)
    marketing_objective = serializers.UUIDField(required=False, allow_null=True)
    data_source = serializers.CharField(max_length=300, required=False, allow_blank=True)
    revision = revision_field()


class MeasurementIn(serializers.Serializer):
    kpi = serializers.UUIDField()
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MeasurementsIn(serializers.Serializer):
    measurements = MeasurementIn(many=True, allow_empty=False, max_length=5000)


class PlanViewSet(WorkspaceScopedViewSet):
    serializer_class = PlanOut
    pk_kwarg = "plan_id"

    def get_queryset(self):
        return selectors.plan_list(scope=self.scope).order_by("-created_at", "id")

    def _plan(self, pk: str) -> StrategyPlan:
        return selectors.plan_get(scope=self.scope, plan_id=pk)

    @extend_schema(summary=_("Strategy plans"))
    def list(self, request: Request, workspace_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(PlanOut(page, many=True).data)

    @extend_schema(
        summary=_("Start a plan for a client (with the default scale)"),
        request=PlanIn,
        responses={201: PlanOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = PlanIn(data=request.data)
        data.is_valid(raise_exception=True)
        client = client_get(scope=self.scope, client_id=data.validated_data["client"])
        plan = services.plan_create(client=client, title=data.validated_data["title"])
        return Response(PlanOut(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("One plan"))
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(PlanOut(self._plan(pk)).data)

    @extend_schema(summary=_("Make this the client's active plan"), request=None, responses=PlanOut)
    def activate(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(PlanOut(services.plan_activate(plan=self._plan(pk))).data)

    @extend_schema(
        summary=_("The coverage checklist, naming orphans"), responses=OpenApiTypes.OBJECT
    )
    def coverage(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response({"checks": selectors.coverage(plan=self._plan(pk))})

    @extend_schema(summary=_("Every KPI with its status"), responses=OpenApiTypes.OBJECT)
    def scorecard(self, request: Request, workspace_id: str, pk: str) -> Response:
        rows = selectors.scorecard(plan=self._plan(pk))
        return Response(
            {
                "kpis": [
                    {
                        **KPIOut(r["kpi"]).data,
                        "status": r["status"],
                        "latest": r["latest"],
                        "progress": r["progress"],
                        "expected": r["expected"],
                        "stale": r["stale"],
                    }
                    for r in rows
                ]
            }
        )


def _category(plan: StrategyPlan, key: str) -> EngagementCategory | None:
    """The plan's category for an API key; blank unsets it, an unknown key is a 400."""
    category = plan.engagement_categories.filter(key=key).first() if key else None
    if key and category is None:
        raise ValidationError({"category": _("No category with this key in the plan.")})
    return category


_STEPS = {
    "themes": ("theme", ThemeIn, StrategicTheme, None),
    "strategic-objectives": (
        "strategic_objective",
        StrategicObjectiveIn,
        StrategicObjective,
        "theme",
    ),
    "marketing-objectives": (
        "marketing_objective",
        MarketingObjectiveIn,
        MarketingObjective,
        "strategic_objective",
    ),
    "digital-goals": ("digital_goal", DigitalGoalIn, DigitalGoal, "marketing_objective"),
}


class PlanItemViewSet(WorkspaceScopedViewSet):
    """Items of one of the first four steps; `step` is fixed by the URL."""

    serializer_class = ItemOut
    pagination_class = None  # a step holds tens of items, listed whole and in order
    step = "themes"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])

    @extend_schema(summary=_("The step's items, in order"), responses=ItemOut(many=True))
    def list(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        _key, _in, model, _parent = _STEPS[self.step]
        items = model.objects.filter(plan=self.plan).order_by("position", "created_at")
        return Response(list(items.values()))

    @extend_schema(
        summary=_("Add an item under a parent of the same plan"), responses={201: ItemOut}
    )
    def create(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        key, serializer, _model, parent = _STEPS[self.step]
        data = serializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("revision", None)
        parent_id = fields.pop(parent, None) if parent else None
        if "category" in fields:
            fields["category"] = _category(self.plan, fields.pop("category"))
        item = services.item_create(plan=self.plan, step=key, parent_id=parent_id, **fields)
        return Response(
            {"id": item.id, "position": item.position, "revision": item.revision}, status=201
        )


class KPIViewSet(WorkspaceScopedViewSet):
    serializer_class = KPIOut
    contributor_actions = frozenset({"measurements"})

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])

    @extend_schema(summary=_("The plan's KPIs"))
    def list(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        page = self.paginate_queryset(self.plan.kpis.order_by("position", "created_at"))
        return self.get_paginated_response(KPIOut(page, many=True).data)

    @extend_schema(summary=_("Add a KPI"), request=KPIIn, responses={201: KPIOut})
    def create(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        data = KPIIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        kpi = services.kpi_create(
            plan=self.plan,
            digital_goal_id=fields.pop("digital_goal", None),
            marketing_objective_id=fields.pop("marketing_objective", None),
            **fields,
        )
        return Response(KPIOut(kpi).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Record measurements (all or none)"),
        request=MeasurementsIn,
        responses={201: OpenApiTypes.OBJECT},
    )
    def measurements(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        require_contribution(membership=self.membership, client_id=self.plan.client_id)
        data = MeasurementsIn(data=request.data)
        data.is_valid(raise_exception=True)
        kpis = {k.id: k for k in self.plan.kpis.all()}
        with transaction.atomic():
            for i, row in enumerate(data.validated_data["measurements"]):
                kpi = kpis.get(row["kpi"])
                if kpi is None:
                    raise ValidationError(
                        {
                            "measurements": _("Row %(n)d: no KPI of this plan has this id.")
                            % {"n": i + 1}
                        }
                    )
                services.measurement_add(
                    kpi=kpi, date=row["date"], value=row["value"], note=row.get("note", "")
                )
        return Response({"created": len(data.validated_data["measurements"])}, status=201)


class PlanItemDetailViewSet(WorkspaceScopedViewSet):
    """One item of the first four steps: read, change (parent within the plan), delete."""

    serializer_class = ItemOut
    step = "themes"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])
        _key, _in, model, _parent = _STEPS[self.step]
        self.item = get_object_or_404(model, plan=self.plan, id=kwargs["pk"])

    @extend_schema(summary=_("One item"), responses=OpenApiTypes.OBJECT)
    def retrieve(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        model = type(self.item)
        return Response(model.objects.filter(id=self.item.id).values()[0])

    @extend_schema(summary=_("Change an item"), responses=ItemOut)
    def partial_update(self, request: Request, workspace_id: str, plan_id: str, pk: str):
        _key, serializer, _model, parent = _STEPS[self.step]
        data = serializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        revision = self.expected_revision(fields)
        # A parent sent as null unlinks the item; one not sent keeps its link.
        orphan = bool(parent) and parent in fields and fields[parent] is None
        parent_id = fields.pop(parent, None) if parent else None
        if "category" in fields:
            fields["category"] = _category(self.plan, fields.pop("category"))
        item = services.item_update(
            item=self.item, parent_id=parent_id, orphan=orphan, revision=revision, **fields
        )
        return Response({"id": item.id, "position": item.position, "revision": item.revision})

    @extend_schema(
        summary=_("Delete an item and its children (KPIs stay, unlinked)"), responses={204: None}
    )
    def destroy(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        services.item_delete(item=self.item)
        return Response(status=status.HTTP_204_NO_CONTENT)


class KPIDetailViewSet(WorkspaceScopedViewSet):
    serializer_class = KPIOut
    pk_kwarg = "kpi_id"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])
        self.kpi = get_object_or_404(KPI, plan=self.plan, id=kwargs["pk"])

    @extend_schema(summary=_("One KPI"))
    def retrieve(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        return Response(KPIOut(self.kpi).data)

    @extend_schema(summary=_("Change a KPI"), request=KPIIn(partial=True), responses=KPIOut)
    def partial_update(self, request: Request, workspace_id: str, plan_id: str, pk: str):
        data = KPIIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        kpi = services.kpi_update(
            kpi=self.kpi,
            revision=self.expected_revision(fields),
            digital_goal_id=fields.pop("digital_goal", services.UNCHANGED),
            marketing_objective_id=fields.pop("marketing_objective", services.UNCHANGED),
            **fields,
        )
        return Response(KPIOut(kpi).data)

    @extend_schema(summary=_("Delete a KPI and its measurements"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        self.kpi.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


class CategoryRangeIn(serializers.Serializer):
    key = serializers.SlugField(max_length=40)
    min_points = serializers.IntegerField(min_value=0, max_value=10**9)
    max_points = serializers.IntegerField(min_value=0, max_value=10**9, allow_null=True)
    revision = revision_field()


class ScaleIn(serializers.Serializer):
    categories = CategoryRangeIn(many=True, allow_empty=False, max_length=50)


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
    engagement_value = serializers.DictField(help_text=_("SCORING.md §3 on the current scale"))


def _scale_out(plan: StrategyPlan) -> dict:
    categories = plan.engagement_categories.order_by("position", "min_points")
    return {
        "categories": [
            {
                "key": c.key,
                "name": c.name,
                "min_points": c.min_points,
                "max_points": c.max_points,
                "position": c.position,
                "revision": c.revision,
            }
            for c in categories
        ],
        # The whole scale's revision, also its ETag (If-Match on a change).
        "revision": services.scale_tag(list(categories)),
        "goals": [
            {
                "id": g.id,
                "name": g.name,
                "category": g.category.key if g.category_id else None,
                "points": g.points,
            }
            for g in plan.digital_goals.select_related("category").order_by("position")
        ],
        "validation": selectors.engagement_scale(plan=plan),
    }


def _simulation_out(plan: StrategyPlan, period: SimulationPeriod) -> dict:
    return SimulationOut(
        {
            "id": period.id,
            "name": period.name,
            "visits": period.visits,
            "conversions": period.conversions,
            "created_at": period.created_at,
            "engagement_value": selectors.engagement_scale(
                plan=plan, visits=period.visits, conversions=period.conversions
            ),
        }
    ).data


class ScaleViewSet(WorkspaceScopedViewSet):
    """The plan's engagement value scale: categories with their point ranges, the digital
    goals' points, and the SCORING.md §3 check of the whole."""

    serializer_class = ScaleIn

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])

    @extend_schema(summary=_("The engagement value scale"), responses=OpenApiTypes.OBJECT)
    def retrieve(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        return Response(_scale_out(self.plan))

    @extend_schema(
        summary=_("Set the categories' point ranges (saved only when the scale is valid)"),
        request=ScaleIn,
        responses=OpenApiTypes.OBJECT,
    )
    def update(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        data = ScaleIn(data=request.data)
        data.is_valid(raise_exception=True)
        known = set(self.plan.engagement_categories.values_list("key", flat=True))
        ranges = {}
        for row in data.validated_data["categories"]:
            if row["key"] not in known:
                raise ValidationError(
                    {"categories": _("No category “%(key)s” in this plan.") % {"key": row["key"]}}
                )
            ranges[row["key"]] = (row["min_points"], row["max_points"])
        header = request.headers.get("If-Match")
        services.scale_update(
            plan=self.plan,
            ranges=ranges,
            revisions={
                r["key"]: r["revision"]
                for r in data.validated_data["categories"]
                if "revision" in r
            },
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
        periods = SimulationPeriod.objects.filter(plan=self.plan)
        return Response([_simulation_out(self.plan, p) for p in periods])

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
        return Response(_simulation_out(self.plan, self._period(pk)))

    @extend_schema(summary=_("Delete a saved period"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        self._period(pk).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)

    def _period(self, pk: str) -> SimulationPeriod:
        return get_object_or_404(SimulationPeriod, plan=self.plan, id=pk)
