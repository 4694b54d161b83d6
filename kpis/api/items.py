"""API for the items of the first four steps (themes, strategic and marketing
objectives, digital goals); the step is fixed by the URL."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cxmaturity.api import revision_field
from workspaces.api import WorkspaceScopedViewSet

from .. import selectors, services
from ..models import (
    DigitalGoal,
    Journey,
    LifecycleStage,
    MarketingObjective,
    StrategicObjective,
    StrategicTheme,
)


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


# An item as stored: every column under its column name (`plan_id`, `theme_id`, …).
_STORED = ["id", "plan_id", "position", "created_at", "revision", "revised_at", "revised_by_id"]


class ThemeOut(serializers.ModelSerializer):
    class Meta:
        model = StrategicTheme
        fields = [*_STORED, "name", "description"]


class StrategicObjectiveOut(serializers.ModelSerializer):
    class Meta:
        model = StrategicObjective
        fields = [*_STORED, "theme_id", "statement", "measure", "due", "owner"]


class MarketingObjectiveOut(serializers.ModelSerializer):
    class Meta:
        model = MarketingObjective
        fields = [
            *_STORED,
            "strategic_objective_id",
            "statement",
            "segment",
            "journey",
            "lifecycle_stage",
            "due",
            "owner",
        ]


class DigitalGoalOut(serializers.ModelSerializer):
    class Meta:
        model = DigitalGoal
        fields = [
            *_STORED,
            "marketing_objective_id",
            "name",
            "channel",
            "how_detected",
            "category_id",
            "points",
        ]


# URL slug: (services step, In, Out, the field naming the parent).
STEP_APIS = {
    "themes": ("theme", ThemeIn, ThemeOut, None),
    "strategic-objectives": (
        "strategic_objective",
        StrategicObjectiveIn,
        StrategicObjectiveOut,
        "theme",
    ),
    "marketing-objectives": (
        "marketing_objective",
        MarketingObjectiveIn,
        MarketingObjectiveOut,
        "strategic_objective",
    ),
    "digital-goals": ("digital_goal", DigitalGoalIn, DigitalGoalOut, "marketing_objective"),
}


class _StepViewSet(WorkspaceScopedViewSet):
    step = "themes"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # The step's own In for a change, its Out for a read (also in the schema).
        _key, given, shown, _parent = STEP_APIS[self.step]
        return given if self.action in ("create", "partial_update") else shown


class PlanItemViewSet(_StepViewSet):
    """Items of one of the first four steps; `step` is fixed by the URL."""

    pagination_class = None  # a step holds tens of items, listed whole and in order

    @extend_schema(summary=_("The step's items, in order"))
    def list(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        key, _in, out, _parent = STEP_APIS[self.step]
        items = selectors.item_list(plan=self.plan, step=key)
        return Response(out(items, many=True).data)

    @extend_schema(
        summary=_("Add an item under a parent of the same plan"), responses={201: ItemOut}
    )
    def create(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        key, given, _out, parent = STEP_APIS[self.step]
        data = given(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        fields.pop("revision", None)
        parent_id = fields.pop(parent, None) if parent else None
        item = services.item_create(plan=self.plan, step=key, parent_id=parent_id, **fields)
        return Response(ItemOut(item).data, status=status.HTTP_201_CREATED)


class PlanItemDetailViewSet(_StepViewSet):
    """One item of the first four steps: read, change (parent within the plan), delete."""

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        key = STEP_APIS[self.step][0]
        self.item = selectors.item_get(plan=self.plan, step=key, item_id=kwargs["pk"])

    @extend_schema(summary=_("One item"))
    def retrieve(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        return Response(STEP_APIS[self.step][2](self.item).data)

    @extend_schema(summary=_("Change an item"), responses=ItemOut)
    def partial_update(self, request: Request, workspace_id: str, plan_id: str, pk: str):
        _key, given, _out, parent = STEP_APIS[self.step]
        data = given(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        revision = self.expected_revision(fields)
        # A parent sent as null unlinks the item; one not sent keeps its link.
        orphan = bool(parent) and parent in fields and fields[parent] is None
        parent_id = fields.pop(parent, None) if parent else None
        item = services.item_update(
            item=self.item, parent_id=parent_id, orphan=orphan, revision=revision, **fields
        )
        return Response(ItemOut(item).data)

    @extend_schema(
        summary=_("Delete an item and its children (KPIs stay, unlinked)"), responses={204: None}
    )
    def destroy(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        services.item_delete(item=self.item)
        return Response(status=status.HTTP_204_NO_CONTENT)
