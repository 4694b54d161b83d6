"""API for strategy plans: list, start, activate, the coverage checklist, the scorecard."""

from collections import ChainMap

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from workspaces.api import WorkspaceScopedViewSet
from workspaces.selectors import client_get

from .. import selectors, services
from ..models import StrategyPlan
from .kpis import KPIOut


class PlanOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")

    class Meta:
        model = StrategyPlan
        fields = ["id", "client", "title", "status", "created_at"]


class PlanIn(serializers.Serializer):
    client = serializers.UUIDField()
    title = serializers.CharField(max_length=200)


class CheckOut(serializers.Serializer):
    key = serializers.CharField()
    check = serializers.CharField()
    orphans = serializers.ListField(child=serializers.CharField())
    missing = serializers.ListField(
        child=serializers.CharField(), help_text=_("Steps without any item yet")
    )
    ok = serializers.BooleanField()


class CoverageOut(serializers.Serializer):
    checks = CheckOut(many=True)


class ScorecardRowOut(KPIOut):
    """A KPI with its status by SCORING.md §4."""

    status = serializers.ChoiceField(choices=list(selectors.STATUS_WORDS))
    latest = serializers.FloatField(allow_null=True)
    progress = serializers.FloatField(allow_null=True)
    expected = serializers.FloatField(allow_null=True)
    stale = serializers.BooleanField(
        help_text=_("Started, and no measurement for 45 days (from the start or the last one)")
    )
    not_started = serializers.BooleanField(help_text=_("Its period starts in the future"))

    class Meta(KPIOut.Meta):
        fields = [
            *KPIOut.Meta.fields,
            *("status", "latest", "progress", "expected", "stale", "not_started"),
        ]


class ScorecardOut(serializers.Serializer):
    kpis = ScorecardRowOut(many=True)


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

    @extend_schema(summary=_("The coverage checklist, naming orphans"), responses=CoverageOut)
    def coverage(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(CoverageOut({"checks": selectors.coverage(plan=self._plan(pk))}).data)

    @extend_schema(summary=_("Every KPI with its status"), responses=ScorecardOut)
    def scorecard(self, request: Request, workspace_id: str, pk: str) -> Response:
        # Each row reads as one object: the status first, then the KPI's own fields.
        rows = [ChainMap(row, vars(row["kpi"])) for row in selectors.scorecard(plan=self._plan(pk))]
        return Response(ScorecardOut({"kpis": rows}).data)
