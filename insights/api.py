"""REST API for customer insight: segment analyses (upload, status, summary, inputs) and
competitor benchmarks (listening uploads, the comparison), under
/api/v1/workspaces/{workspace_id}/…. The same services check everything."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from workspaces.api import WorkspaceScopedViewSet, client_filter
from workspaces.selectors import client_get

from . import selectors, services
from .models import ListeningImport, SegmentAnalysis
from .services import defection
from .services.uploads import listening_receive


class AnalysisOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")
    summary = serializers.SerializerMethodField(
        help_text=_(
            "Grid, segments with lifetime value, the top of the defection list (not for "
            "client members, who read no per-customer rows)"
        )
    )

    class Meta:
        model = SegmentAnalysis
        fields = [
            "id",
            "client",
            "name",
            "as_of",
            "k",
            "lifetime_years",
            "margin",
            "cost",
            "currency",
            "status",
            "progress",
            "error",
            "rows",
            "customers",
            "window_days",
            "summary",
            "created_at",
            "finished_at",
        ]

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_summary(self, analysis: SegmentAnalysis) -> dict:
        return selectors.analysis_summary(analysis=analysis, scope=self.context["scope"])


class AtRiskOut(serializers.Serializer):
    customer_id = serializers.CharField(help_text=_("The pseudonymous id, as uploaded"))
    segment = serializers.CharField()
    usual_gap_days = serializers.FloatField()
    days_silent = serializers.IntegerField()
    value_at_stake = serializers.FloatField(help_text=_("A year, at the customer's rhythm"))


class AnalysisIn(serializers.Serializer):
    client = serializers.UUIDField()
    file = serializers.FileField(help_text=_("CSV: customer_id,date,amount[,channel]"))
    name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    as_of = serializers.DateField()
    k = serializers.DecimalField(max_digits=4, decimal_places=2, required=False)


class AnalysisInputsIn(serializers.Serializer):
    k = serializers.DecimalField(max_digits=4, decimal_places=2, required=False)
    lifetime_years = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    margin = serializers.DecimalField(max_digits=4, decimal_places=3, required=False)
    cost = serializers.DecimalField(max_digits=12, decimal_places=2, required=False)
    currency = serializers.CharField(max_length=3, required=False)


class ListeningIn(serializers.Serializer):
    file = serializers.FileField(help_text=_("CSV: date,brand,source,mentions,positive,…"))
    client_brand = serializers.CharField(max_length=120)
    mapping = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, help_text=_("Lines ours = theirs")
    )


class ListeningImportOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")
    problems = serializers.ListField(
        child=serializers.CharField(),
        help_text=_("Why the file was refused, each naming its row and column (the first 100)"),
    )

    class Meta:
        model = ListeningImport
        fields = [
            "id",
            "client",
            "file_name",
            "client_brand",
            "status",
            "progress",
            "problems",
            "error",
            "rows",
            "months",
            "brands",
            "created_at",
            "finished_at",
        ]


class ListeningFromStorageIn(serializers.Serializer):
    client = serializers.UUIDField()
    path = serializers.CharField(
        max_length=500, help_text=_("A file under imports/{workspace_id}/ in the store")
    )
    client_brand = serializers.CharField(max_length=120)
    mapping = serializers.CharField(max_length=2000, required=False, allow_blank=True)


class ListeningImportViewSet(WorkspaceScopedViewSet):
    """Listening exports checked and stored by the worker (big files by chunks, see
    api_uploads, or already in the store): their status, progress and problems."""

    serializer_class = ListeningImportOut
    pk_kwarg = "import_id"

    @extend_schema(
        summary=_("Listening imports, the latest first"),
        parameters=[OpenApiParameter("client", OpenApiTypes.UUID, description=_("One client"))],
    )
    def list(self, request: Request, workspace_id: str) -> Response:
        client = client_filter(self, request)
        found = selectors.listening_import_list(scope=self.scope, client=client)
        page = self.paginate_queryset(found)
        return self.get_paginated_response(ListeningImportOut(page, many=True).data)

    @extend_schema(summary=_("One listening import: status, progress, problems"))
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        found = selectors.listening_import_get(scope=self.scope, import_id=pk)
        return Response(ListeningImportOut(found).data)

    @extend_schema(
        summary=_("Import a listening export already in the store"),
        request=ListeningFromStorageIn,
        responses={202: ListeningImportOut},
    )
    def from_storage(self, request: Request, workspace_id: str) -> Response:
        from .services.uploads import analysis_from_storage

        data = ListeningFromStorageIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        job = analysis_from_storage(
            client=client_get(scope=self.scope, client_id=fields.pop("client")),
            path=fields.pop("path"),
            fields=fields,
            created_by=request.user,
            kind="listening",
        )
        return Response(ListeningImportOut(job).data, status=status.HTTP_202_ACCEPTED)


class SegmentAnalysisViewSet(WorkspaceScopedViewSet):
    serializer_class = AnalysisOut
    pk_kwarg = "analysis_id"

    def get_queryset(self):
        client = client_filter(self, self.request)
        return selectors.analysis_list(scope=self.scope, client=client)

    @extend_schema(
        summary=_("Segment analyses"),
        parameters=[OpenApiParameter("client", OpenApiTypes.UUID, description=_("One client"))],
    )
    def list(self, request: Request, workspace_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            AnalysisOut(page, many=True, context={"scope": self.scope}).data
        )

    @extend_schema(
        summary=_("Upload transactions: checked now, analysed in the background"),
        request={"multipart/form-data": AnalysisIn},
        responses={202: AnalysisOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = AnalysisIn(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        client = client_get(scope=self.scope, client_id=fields["client"])
        analysis = services.analysis_request(
            client=client,
            data=fields["file"].read(),
            name=fields.get("name", ""),
            as_of=fields["as_of"],
            fields={"k": fields.get("k", 2)},
            created_by=request.user,
        )
        return Response(
            AnalysisOut(analysis, context={"scope": self.scope}).data,
            status=status.HTTP_202_ACCEPTED,
        )

    @extend_schema(summary=_("One analysis with its summary"))
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(AnalysisOut(self._analysis(pk), context={"scope": self.scope}).data)

    @extend_schema(
        summary=_("Change k or the lifetime inputs; the summary is recomputed"),
        request=AnalysisInputsIn,
        responses=AnalysisOut,
    )
    def partial_update(self, request: Request, workspace_id: str, pk: str) -> Response:
        data = AnalysisInputsIn(data=request.data)
        data.is_valid(raise_exception=True)
        analysis = services.analysis_update(
            analysis=self._analysis(pk), fields=dict(data.validated_data)
        )
        return Response(AnalysisOut(analysis, context={"scope": self.scope}).data)

    @extend_schema(summary=_("Delete an analysis and its customer table"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        services.analysis_delete(analysis=self._analysis(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        summary=_("Every at-risk customer, most value at stake first (paged)"),
        responses=AtRiskOut(many=True),
    )
    def at_risk(self, request: Request, workspace_id: str, pk: str) -> Response:
        analysis = self._analysis(pk)
        selectors.customer_rows_allowed(scope=self.scope)
        if analysis.status != SegmentAnalysis.Status.DONE:
            raise ValidationError({"analysis": _("Wait until the analysis is done.")})
        page = self.paginate_queryset(defection.AtRiskRows(analysis))
        return self.get_paginated_response(AtRiskOut(page, many=True).data)

    @extend_schema(
        summary=_("Compare with another analysis of the client: segment migration, at risk"),
        responses=OpenApiTypes.OBJECT,
    )
    def compare(self, request: Request, workspace_id: str, pk: str, other_id: str) -> Response:
        earlier, later = selectors.analysis_pair(
            scope=self.scope, analysis_id=pk, other_id=other_id
        )
        found = defection.comparison(earlier, later)
        return Response({"earlier": earlier.id, "later": later.id, **found})

    def _analysis(self, pk: str) -> SegmentAnalysis:
        return selectors.analysis_get(scope=self.scope, analysis_id=pk)


class ListeningViewSet(WorkspaceScopedViewSet):
    serializer_class = ListeningIn
    pagination_class = None

    @extend_schema(
        summary=_("The competitor comparison for a month (the latest by default)"),
        parameters=[OpenApiParameter("month", str, description=_("YYYY-MM"))],
        responses=OpenApiTypes.OBJECT,
        operation_id="client_listening_comparison",
    )
    def comparison(self, request: Request, workspace_id: str, client_id: str) -> Response:
        client = client_get(scope=self.scope, client_id=client_id)
        found = selectors.listening_comparison(
            client=client, month=request.query_params.get("month")
        )
        if found is None:
            return Response({"months": [], "rows": [], "findings": [], "brands": []})
        return Response(found)

    @extend_schema(
        summary=_("Upload a listening export (all rows or none)"),
        description=_(
            "An export of one upload chunk or less is stored at once (201); a larger one "
            "is imported by a worker (202): follow its import under listening-imports."
        ),
        request={"multipart/form-data": ListeningIn},
        responses={201: OpenApiTypes.OBJECT, 202: OpenApiTypes.OBJECT},
        operation_id="client_listening_upload",
    )
    def upload(self, request: Request, workspace_id: str, client_id: str) -> Response:
        client = client_get(scope=self.scope, client_id=client_id)
        data = ListeningIn(data=request.data)
        data.is_valid(raise_exception=True)
        file = data.validated_data["file"]
        job = listening_receive(
            client=client,
            file=file,
            size=file.size,
            fields=data.validated_data,
            created_by=request.user,
        )
        done = job.status == ListeningImport.Status.DONE
        return Response(
            {"rows": job.rows, "import": ListeningImportOut(job).data},
            status=status.HTTP_201_CREATED if done else status.HTTP_202_ACCEPTED,
        )
