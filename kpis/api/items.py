"""API for the items of the first four steps (themes, strategic and marketing
objectives, digital goals); the step is fixed by the URL."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cxmaturity.api import RefuseUnknownFields, revision_field
from workspaces.api import WorkspaceScopedViewSet

from .. import selectors, services
from ..inputs import ITEM_INPUT_FIELDS, ItemInput
from ..models import (
    DigitalGoal,
    MarketingObjective,
    StrategicObjective,
    StrategicTheme,
)


class _ItemIn(RefuseUnknownFields, serializers.ModelSerializer):
    """An item's own fields, their limits from the step's model fields."""

    step = "theme"
    revision = revision_field()

    def item_input(self) -> ItemInput:
        """The fields given (a partial change gives only what changes); a parent sent as
        null unlinks the item, one not sent keeps its link."""
        given = {k: v for k, v in self.validated_data.items() if k != "revision"}
        return ItemInput.from_values(self.step, given, partial=self.partial)


def _parent_id() -> serializers.UUIDField:
    return serializers.UUIDField(required=False, allow_null=True)


class ThemeIn(_ItemIn):
    class Meta:
        model = StrategicTheme
        fields = [*ITEM_INPUT_FIELDS["theme"], "revision"]


class StrategicObjectiveIn(_ItemIn):
    step = "strategic_objective"
    theme = _parent_id()

    class Meta:
        model = StrategicObjective
        fields = ["theme", *ITEM_INPUT_FIELDS["strategic_objective"], "revision"]


class MarketingObjectiveIn(_ItemIn):
    step = "marketing_objective"
    strategic_objective = _parent_id()

    class Meta:
        model = MarketingObjective
        fields = ["strategic_objective", *ITEM_INPUT_FIELDS["marketing_objective"], "revision"]


class DigitalGoalIn(_ItemIn):
    step = "digital_goal"
    marketing_objective = _parent_id()
    category = serializers.SlugField(
        max_length=40, required=False, allow_blank=True, help_text=_("The category's key")
    )

    class Meta:
        model = DigitalGoal
        fields = ["marketing_objective", *ITEM_INPUT_FIELDS["digital_goal"], "revision"]


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


# URL slug: (services step, In, Out).
STEP_APIS = {
    "themes": ("theme", ThemeIn, ThemeOut),
    "strategic-objectives": ("strategic_objective", StrategicObjectiveIn, StrategicObjectiveOut),
    "marketing-objectives": ("marketing_objective", MarketingObjectiveIn, MarketingObjectiveOut),
    "digital-goals": ("digital_goal", DigitalGoalIn, DigitalGoalOut),
}


class _StepViewSet(WorkspaceScopedViewSet):
    step = "themes"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])

    def get_serializer_class(self) -> type[serializers.Serializer]:
        # The step's own In for a change, its Out for a read (also in the schema).
        _key, given, shown = STEP_APIS[self.step]
        return given if self.action in ("create", "partial_update") else shown


class PlanItemViewSet(_StepViewSet):
    """Items of one of the first four steps; `step` is fixed by the URL."""

    pagination_class = None  # a step holds tens of items, listed whole and in order

    @extend_schema(summary=_("The step's items, in order"))
    def list(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        key, _in, out = STEP_APIS[self.step]
        items = selectors.item_list(plan=self.plan, step=key)
        return Response(out(items, many=True).data)

    @extend_schema(
        summary=_("Add an item under a parent of the same plan"), responses={201: ItemOut}
    )
    def create(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        data = STEP_APIS[self.step][1](data=request.data)
        data.is_valid(raise_exception=True)
        item = services.item_create(plan=self.plan, data=data.item_input())
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
        data = STEP_APIS[self.step][1](data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        revision = self.expected_revision(dict(data.validated_data))
        item = services.item_update(item=self.item, data=data.item_input(), revision=revision)
        return Response(ItemOut(item).data)

    @extend_schema(
        summary=_("Delete an item and its children (KPIs stay, unlinked)"), responses={204: None}
    )
    def destroy(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        services.item_delete(item=self.item)
        return Response(status=status.HTTP_204_NO_CONTENT)
