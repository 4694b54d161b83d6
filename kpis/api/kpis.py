"""API for a plan's KPIs and their measurements."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from cxmaturity.api import RefuseUnknownFields, revision_field
from workspaces.api import WorkspaceScopedViewSet
from workspaces.permissions import require_contribution

from .. import selectors, services
from ..inputs import KPIInput
from ..models import KPI, KPI_INPUT_FIELDS, Measurement


class KPIOut(serializers.ModelSerializer):
    digital_goal = serializers.UUIDField(source="digital_goal_id", allow_null=True)
    marketing_objective = serializers.UUIDField(source="marketing_objective_id", allow_null=True)

    class Meta:
        model = KPI
        fields = ["id", *KPI_INPUT_FIELDS, "position", "revision"]


class KPIIn(RefuseUnknownFields, serializers.ModelSerializer):
    """The KPI's own fields and limits (KPI_INPUT_FIELDS); links by id within the plan."""

    digital_goal = serializers.UUIDField(required=False, allow_null=True)
    marketing_objective = serializers.UUIDField(required=False, allow_null=True)
    revision = revision_field()

    class Meta:
        model = KPI
        fields = [*KPI_INPUT_FIELDS, "revision"]
        extra_kwargs = {"direction": {"required": True}}

    def kpi_input(self) -> KPIInput:
        """The KPI fields given (a partial change gives only what changes)."""
        given = {k: v for k, v in self.validated_data.items() if k in KPI_INPUT_FIELDS}
        return KPIInput.from_values(given, partial=self.partial)


class MeasurementIn(serializers.Serializer):
    kpi = serializers.UUIDField()
    date = serializers.DateField()
    value = serializers.DecimalField(max_digits=14, decimal_places=4)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class MeasurementsIn(serializers.Serializer):
    measurements = MeasurementIn(many=True, allow_empty=False, max_length=services.MAX_CSV_ROWS)


class MeasurementsOut(serializers.Serializer):
    created = serializers.IntegerField(help_text=_("How many measurements were added"))
    warnings = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Saved readings that look wrong (far outside the KPI's range)"),
    )


class MeasurementOut(serializers.ModelSerializer):
    """A reading, with who recorded it and when."""

    kpi = serializers.UUIDField(source="kpi_id")
    recorded_by = serializers.SerializerMethodField(
        help_text=_("The name of who recorded it; null for an import or a former member")
    )
    warnings = serializers.ListField(
        child=serializers.CharField(),
        default=list,
        help_text=_("After a change: why the reading looks wrong, if it does"),
    )

    class Meta:
        model = Measurement
        fields = [
            "id",
            "kpi",
            "date",
            "value",
            "note",
            "recorded_by",
            "source_analysis",
            "from_listening",
            "created_at",
            "warnings",
        ]

    def get_recorded_by(self, measurement: Measurement) -> str | None:
        user = measurement.recorded_by
        return (user.get_full_name() or user.email) if user else None


class MeasurementChangeIn(serializers.Serializer):
    """A correction: the fields given change, the others keep what is saved."""

    date = serializers.DateField(required=False)
    value = serializers.DecimalField(max_digits=14, decimal_places=4, required=False)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True)


class KPIViewSet(WorkspaceScopedViewSet):
    serializer_class = KPIOut
    contributor_actions = frozenset({"measurements"})

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])

    @extend_schema(summary=_("The plan's KPIs"))
    def list(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        page = self.paginate_queryset(selectors.kpi_list(plan=self.plan))
        return self.get_paginated_response(KPIOut(page, many=True).data)

    @extend_schema(summary=_("Add a KPI"), request=KPIIn, responses={201: KPIOut})
    def create(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        data = KPIIn(data=request.data)
        data.is_valid(raise_exception=True)
        kpi = services.kpi_create(plan=self.plan, data=data.kpi_input())
        return Response(KPIOut(kpi).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=_("Record measurements (all or none)"),
        request=MeasurementsIn,
        responses={201: MeasurementsOut},
    )
    def measurements(self, request: Request, workspace_id: str, plan_id: str) -> Response:
        require_contribution(membership=self.membership, client_id=self.plan.client_id)
        data = MeasurementsIn(data=request.data)
        data.is_valid(raise_exception=True)
        rows = [services.MeasurementRow(**row) for row in data.validated_data["measurements"]]
        created = services.measurements_add(plan=self.plan, rows=rows)
        answer = {"created": len(created), "warnings": services.measurement_warnings(created)}
        return Response(MeasurementsOut(answer).data, status=201)


class KPIDetailViewSet(WorkspaceScopedViewSet):
    serializer_class = KPIOut
    pk_kwarg = "kpi_id"

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])
        self.kpi = selectors.kpi_get(plan=self.plan, kpi_id=kwargs["pk"])

    @extend_schema(summary=_("One KPI"))
    def retrieve(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        return Response(KPIOut(self.kpi).data)

    @extend_schema(summary=_("Change a KPI"), request=KPIIn(partial=True), responses=KPIOut)
    def partial_update(self, request: Request, workspace_id: str, plan_id: str, pk: str):
        data = KPIIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        revision = self.expected_revision(dict(data.validated_data))
        kpi = services.kpi_update(kpi=self.kpi, data=data.kpi_input(), revision=revision)
        return Response(KPIOut(kpi).data)

    @extend_schema(summary=_("Delete a KPI and its measurements"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        services.kpi_delete(kpi=self.kpi)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("The KPI's measurements, newest first, with who recorded each"),
        responses=MeasurementOut(many=True),
    )
    def measurements(self, request: Request, workspace_id: str, plan_id: str, pk: str):
        page = self.paginate_queryset(selectors.measurement_list(kpi=self.kpi))
        return self.get_paginated_response(MeasurementOut(page, many=True).data)


class MeasurementViewSet(WorkspaceScopedViewSet):
    """One reading: read it, correct it or delete it. Consultants and the client's
    contributors change readings, as they record them."""

    serializer_class = MeasurementOut
    pk_kwarg = "measurement_id"
    contributor_actions = frozenset({"partial_update", "destroy"})

    def initial(self, request: Request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)
        self.plan = selectors.plan_get(scope=self.scope, plan_id=kwargs["plan_id"])
        self.measurement = selectors.measurement_get(plan=self.plan, measurement_id=kwargs["pk"])
        if self.action in self.contributor_actions:
            require_contribution(membership=self.membership, client_id=self.plan.client_id)

    @extend_schema(summary=_("One measurement"))
    def retrieve(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        return Response(MeasurementOut(self.measurement).data)

    @extend_schema(
        summary=_("Correct a measurement (inside the KPI's period, a plausible value)"),
        request=MeasurementChangeIn,
        responses=MeasurementOut,
    )
    def partial_update(self, request: Request, workspace_id: str, plan_id: str, pk: str):
        data = MeasurementChangeIn(data=request.data)
        data.is_valid(raise_exception=True)
        current = self.measurement
        given = {"date": current.date, "value": current.value, "note": current.note}
        saved = services.measurement_update(
            measurement=current, **(given | dict(data.validated_data))
        )
        saved.warnings = services.measurement_warnings([saved])
        return Response(MeasurementOut(saved).data)

    @extend_schema(summary=_("Delete a measurement"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, plan_id: str, pk: str) -> Response:
        services.measurement_delete(measurement=self.measurement)
        return Response(status=status.HTTP_204_NO_CONTENT)
