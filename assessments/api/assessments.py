"""REST API for assessments: list, create, change, open, close, progress, run again."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from cxmaturity.api import revision_field
from workspaces.api import WorkspaceScopedViewSet
from workspaces.models import Role
from workspaces.permissions import workspace_access
from workspaces.selectors import client_get

from .. import selectors, services
from ..models import Assessment, max_length
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
            "status",
            "respondents_may_revise",
            "reminder_interval_days",
            "previous",
            "created_at",
            "opened_at",
            "closed_at",
            "revision",
        ]


class AssessmentIn(serializers.Serializer):
    client = serializers.UUIDField()
    version = serializers.UUIDField(required=False, help_text=_("Default: the built-in one."))
    title = serializers.CharField(max_length=max_length(Assessment, "title"))
    purpose = serializers.CharField(
        max_length=max_length(Assessment, "purpose"), required=False, allow_blank=True
    )
    due_date = serializers.DateField(required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=Assessment.Mode.choices, required=False)
    anonymity = serializers.ChoiceField(choices=Assessment.Anonymity.choices, required=False)
    targets = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=7), required=False
    )
    respondents_may_revise = serializers.BooleanField(required=False)
    # The limits (1-30 days) and their wording are the model field's.
    reminder_interval_days = serializers.IntegerField(
        required=False,
        validators=Assessment._meta.get_field("reminder_interval_days").validators,
    )
    previous = serializers.UUIDField(required=False, allow_null=True)


class AssessmentPatchIn(AssessmentIn):
    client = None  # an assessment stays with its client
    revision = revision_field()


class ProgressOut(serializers.Serializer):
    respondent = serializers.UUIDField(source="respondent.id")
    name = serializers.CharField(source="respondent.name")
    role = serializers.CharField(source="respondent.role")
    state = serializers.CharField()
    answered = serializers.IntegerField()
    total = serializers.IntegerField()
    percent = serializers.IntegerField()
    last_activity_at = serializers.DateTimeField(source="last_activity", allow_null=True)


def _assessment_fields(view: WorkspaceScopedViewSet, data: dict) -> dict:
    """Turn the ids in a request into this workspace's objects (404 for anyone else's)."""
    fields = dict(data)
    workspace = view.workspace
    if "client" in fields:
        fields["client"] = client_get(scope=view.scope, client_id=fields["client"])
    if "version" in fields:
        fields["version"] = selectors.questionnaire_version_get(
            workspace=workspace, version_id=fields["version"]
        )
    if fields.get("previous"):
        fields["previous"] = selectors.assessment_get(
            scope=view.scope, assessment_id=fields["previous"]
        )
    return fields


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
        fields = _assessment_fields(self, data.validated_data)
        if "version" not in fields:
            fields["version"] = selectors.questionnaire_version_default(workspace=self.workspace)
            if fields["version"] is None:
                raise serializers.ValidationError({"version": [_("Choose a questionnaire.")]})
        assessment = services.assessment_create(created_by=request.user, **fields)
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
        fields = _assessment_fields(self, fields)
        assessment = services.assessment_update(assessment=assessment, revision=revision, **fields)
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
