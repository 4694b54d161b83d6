"""REST API for assessments: list, create, change, open, close, progress, run again."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cxmaturity.api import RefuseUnknownFields, revision_field
from workspaces.api import WorkspaceScopedViewSet
from workspaces.models import Role
from workspaces.permissions import workspace_access
from workspaces.selectors import client_get

from .. import selectors, services
from ..benchmarks import FILTERS
from ..inputs import ASSESSMENT_INPUT_FIELDS, AssessmentInput
from ..models import Assessment
from .access import require_disclosed


class AssessmentOut(serializers.ModelSerializer):
    client = serializers.UUIDField(source="client_id")
    version = serializers.UUIDField(source="version_id")
    previous = serializers.UUIDField(source="previous_id", allow_null=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "client",
            "version",
            "title",
            "purpose",
            "due_date",
            "mode",
            "anonymity",
            "targets",
            "benchmark_filters",
            "status",
            "respondents_may_revise",
            "reminder_interval_days",
            "language",
            "previous",
            "created_at",
            "opened_at",
            "closed_at",
            "revision",
        ]


class AssessmentIn(RefuseUnknownFields, serializers.ModelSerializer):
    """An assessment's settings: their limits come from the model fields; the client,
    questionnaire version and previous assessment by id within the workspace."""

    client = serializers.UUIDField()
    version = serializers.UUIDField(required=False, help_text=_("Default: the built-in one."))
    targets = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=7), required=False
    )
    benchmark_filters = serializers.ListField(
        child=serializers.ChoiceField(choices=FILTERS),
        required=False,
        help_text=_("Compare only with clients of the same: industry, size_band, region."),
    )
    previous = serializers.UUIDField(required=False, allow_null=True)
    # The model field's limits (1-30 days) with its own wording, not DRF's generic one.
    reminder_interval_days = serializers.IntegerField(
        required=False,
        validators=Assessment._meta.get_field("reminder_interval_days").validators,
    )

    class Meta:
        model = Assessment
        fields = ["client", *ASSESSMENT_INPUT_FIELDS]


class AssessmentPatchIn(AssessmentIn):
    client = None  # an assessment stays with its client
    revision = revision_field()

    class Meta(AssessmentIn.Meta):
        fields = [*ASSESSMENT_INPUT_FIELDS, "revision"]


class ProgressOut(serializers.Serializer):
    respondent = serializers.UUIDField(source="respondent.id")
    name = serializers.CharField(source="respondent.name")
    role = serializers.CharField(source="respondent.role")
    state = serializers.CharField()
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    last_activity_at = serializers.DateTimeField(source="last_activity", allow_null=True)


def _assessment_input(view: WorkspaceScopedViewSet, data: dict, *, partial: bool):
    """The settings sent, their ids turned into this workspace's rows (404 for anyone
    else's); a new assessment without a version gets the workspace's default one."""
    values = {k: v for k, v in data.items() if k in ASSESSMENT_INPUT_FIELDS}
    if "version" in values:
        values["version"] = selectors.questionnaire_version_get(
            workspace=view.workspace, version_id=values["version"]
        )
    elif not partial:
        values["version"] = selectors.questionnaire_version_default(workspace=view.workspace)
    if values.get("previous"):
        values["previous"] = selectors.assessment_get(
            scope=view.scope, assessment_id=values["previous"]
        )
    return AssessmentInput.from_values(values, partial=partial)


class AssessmentViewSet(WorkspaceScopedViewSet):
    serializer_class = AssessmentOut
    pk_kwarg = "assessment_id"

    def get_queryset(self):
        return selectors.assessment_list(scope=self.scope)

    def _get(self, pk: str) -> Assessment:
        return selectors.assessment_get(scope=self.scope, assessment_id=pk)

    @extend_schema(
        summary=_("List assessments"),
        parameters=[
            OpenApiParameter("client", OpenApiTypes.UUID, description=_("Only this client's"))
        ],
    )
    def list(self, request: Request, workspace_id: str) -> Response:
        qs = self.get_queryset()
        client = request.query_params.get("client")
        if client:
            try:
                qs = qs.filter(client_id=serializers.UUIDField().run_validation(client))
            except serializers.ValidationError as exc:
                raise serializers.ValidationError({"client": exc.detail}) from exc
        page = self.paginate_queryset(qs)
        return self.get_paginated_response(AssessmentOut(page, many=True).data)

    @extend_schema(
        summary=_("Open an assessment for a client"),
        request=AssessmentIn,
        responses={201: AssessmentOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = AssessmentIn(data=request.data)
        data.is_valid(raise_exception=True)
        client = client_get(scope=self.scope, client_id=data.validated_data["client"])
        assessment = services.assessment_create(
            client=client,
            data=_assessment_input(self, data.validated_data, partial=False),
            created_by=request.user,
        )
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)

    @extend_schema(summary=_("One assessment"))
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(AssessmentOut(self._get(pk)).data)

    @extend_schema(
        summary=_("Change an assessment's settings"),
        request=AssessmentPatchIn(partial=True),
        responses=AssessmentOut,
    )
    def partial_update(self, request: Request, workspace_id: str, pk: str) -> Response:
        assessment = self._get(pk)
        data = AssessmentPatchIn(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        revision = self.expected_revision(fields)
        assessment = services.assessment_update(
            assessment=assessment,
            data=_assessment_input(self, fields, partial=True),
            revision=revision,
        )
        return Response(AssessmentOut(assessment).data)

    @extend_schema(summary=_("Delete a draft"), responses={204: None})
    def destroy(self, request: Request, workspace_id: str, pk: str) -> Response:
        services.assessment_delete(assessment=self._get(pk))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(summary=_("Open (or reopen) for answers"), request=None, responses=AssessmentOut)
    @action(detail=True, methods=["post"])
    def open(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(AssessmentOut(services.assessment_open(assessment=self._get(pk))).data)

    @extend_schema(
        summary=_("Close: links stop taking answers"), request=None, responses=AssessmentOut
    )
    @action(detail=True, methods=["post"])
    def close(self, request: Request, workspace_id: str, pk: str) -> Response:
        return Response(AssessmentOut(services.assessment_close(assessment=self._get(pk))).data)

    @extend_schema(
        summary=_("Who has been invited, opened, answered and submitted"),
        responses=ProgressOut(many=True),
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def progress(self, request: Request, workspace_id: str, pk: str) -> Response:
        assessment = self._get(pk)
        require_disclosed(self.membership, assessment)
        rows = selectors.assessment_progress(assessment=assessment)
        return Response(ProgressOut(rows, many=True).data)


class RunAgainView(APIView):
    @extend_schema(
        summary=_("Start a new assessment from a closed one"),
        request=None,
        responses={201: AssessmentOut},
    )
    def post(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = workspace_access(
            user=request.user,
            workspace_id=workspace_id,
            min_role=Role.CONSULTANT,
            url_kwargs={"assessment_id": pk},
        )
        previous = selectors.assessment_get(scope=membership.scope, assessment_id=pk)
        assessment = services.assessment_run_again(previous=previous, created_by=request.user)
        return Response(AssessmentOut(assessment).data, status=status.HTTP_201_CREATED)
