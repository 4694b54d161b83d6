"""REST API for questionnaires, assessments, respondents and the respondent's own answers."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import AuditAction, audit_record
from cxmaturity.api import revision_field
from workspaces.api import WorkspaceScopedViewSet
from workspaces.models import Role
from workspaces.permissions import workspace_access
from workspaces.selectors import client_get

from . import selectors, services
from .models import Assessment, QuestionnaireVersion
from .results import assessment_compare, assessment_results

# --- Serializers ------------------------------------------------------------------------


class QuestionnaireVersionOut(serializers.ModelSerializer):
    key = serializers.CharField(source="questionnaire.key")
    shared = serializers.SerializerMethodField()
    question_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = QuestionnaireVersion
        fields = [
            "id",
            "key",
            "title",
            "number",
            "description",
            "shared",
            "question_count",
            "created_at",
        ]

    def get_shared(self, version: QuestionnaireVersion) -> bool:
        return version.questionnaire.workspace_id is None


class QuestionOut(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    weight = serializers.DecimalField(max_digits=9, decimal_places=4)
    channel = serializers.CharField(allow_blank=True)
    levels = serializers.DictField(child=serializers.CharField())


class DimensionOut(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    weight = serializers.DecimalField(max_digits=9, decimal_places=4)
    guidance = serializers.DictField(child=serializers.CharField())
    questions = QuestionOut(many=True, source="questions.all")


class QuestionnaireVersionDetailOut(QuestionnaireVersionOut):
    dimensions = DimensionOut(many=True, source="dimensions.all")

    class Meta(QuestionnaireVersionOut.Meta):
        fields = [*QuestionnaireVersionOut.Meta.fields, "dimensions"]


class QuestionnaireIn(serializers.Serializer):
    content = serializers.CharField(
        max_length=1024 * 1024,
        help_text=_("The questionnaire file's text, YAML or JSON, in the documented shape."),
    )


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
    title = serializers.CharField(max_length=200)
    purpose = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    due_date = serializers.DateField(required=False, allow_null=True)
    mode = serializers.ChoiceField(choices=Assessment.Mode.choices, required=False)
    anonymity = serializers.ChoiceField(choices=Assessment.Anonymity.choices, required=False)
    targets = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=7), required=False
    )
    respondents_may_revise = serializers.BooleanField(required=False)
    reminder_interval_days = serializers.IntegerField(min_value=1, max_value=365, required=False)
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


# --- Questionnaires --------------------------------------------------------------------------


class QuestionnaireViewSet(WorkspaceScopedViewSet):
    serializer_class = QuestionnaireVersionOut
    read_role = Role.CONSULTANT

    def get_queryset(self):
        return selectors.questionnaire_versions_visible(workspace=self.workspace)

    @extend_schema(summary=_("Questionnaire versions you can use"))
    def list(self, request: Request, workspace_id: str) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(QuestionnaireVersionOut(page, many=True).data)

    @extend_schema(
        summary=_("Import a questionnaire file (identical content changes nothing)"),
        request=QuestionnaireIn,
        responses={201: QuestionnaireVersionOut, 200: QuestionnaireVersionOut},
    )
    def create(self, request: Request, workspace_id: str) -> Response:
        data = QuestionnaireIn(data=request.data)
        data.is_valid(raise_exception=True)
        version, created = services.questionnaire_import(
            data=data.validated_data["content"], workspace=self.workspace
        )
        version = self.get_queryset().get(id=version.id)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(QuestionnaireVersionOut(version).data, status=code)

    @extend_schema(
        summary=_("A version with its dimensions and questions"),
        responses=QuestionnaireVersionDetailOut,
    )
    def retrieve(self, request: Request, workspace_id: str, pk: str) -> Response:
        version = selectors.questionnaire_version_get(workspace=self.workspace, version_id=pk)
        return Response(QuestionnaireVersionDetailOut(version).data)

    @extend_schema(
        summary=_("The version as a YAML file"),
        responses={(200, "application/yaml"): OpenApiTypes.OBJECT},
    )
    @action(detail=True, methods=["get"])
    def export(self, request: Request, workspace_id: str, pk: str) -> HttpResponse:
        version = selectors.questionnaire_version_get(workspace=self.workspace, version_id=pk)
        # A plain response: errors before this point still answer JSON.
        return HttpResponse(
            services.questionnaire_export(version=version), content_type="application/yaml"
        )


# --- Assessments -----------------------------------------------------------------------------


def require_released(membership, *assessments: Assessment) -> None:
    """403 naming the rule while a roles-only assessment's results are not yet the client
    team's to see."""
    for assessment in assessments:
        if not selectors.results_released(assessment=assessment, scope=membership.scope):
            raise PermissionDenied(
                _(
                    "This assessment shows roles only: its results reach the client team once "
                    "it is closed with at least %(n)d submitted respondents."
                )
                % {"n": selectors.RELEASE_MINIMUM_RESPONDENTS}
            )


def require_disclosed(membership, assessment: Assessment) -> None:
    if not selectors.respondents_disclosed(assessment=assessment, scope=membership.scope):
        raise PermissionDenied(
            _(
                "This assessment shows roles only: the client team sees how many respondents "
                "were invited and submitted (on the assessment), never who."
            )
        )


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


class ResultsView(APIView):
    """The scores of an assessment: `score_assessment`'s output with titles, channels,
    heat map, findings and blockers (only submitted answers count)."""

    @extend_schema(summary=_("Results of an assessment"), responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = workspace_access(user=request.user, workspace_id=workspace_id)
        assessment = selectors.assessment_get(scope=membership.scope, assessment_id=pk)
        require_released(membership, assessment)
        audit_record(
            actor=request.user,
            workspace=membership.workspace,
            action=AuditAction.RESULTS_VIEWED,
            obj=assessment,
            request=request,
        )
        return Response(assessment_results(assessment))


class CompareView(APIView):
    @extend_schema(
        summary=_("What moved since the previous assessment"), responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, workspace_id: str, pk: str) -> Response:
        membership = workspace_access(user=request.user, workspace_id=workspace_id)
        assessment = selectors.assessment_get(scope=membership.scope, assessment_id=pk)
        require_released(membership, *filter(None, [assessment, assessment.previous]))
        comparison = assessment_compare(assessment)
        if comparison is None:
            return Response({"detail": _("This assessment has no previous one.")}, status=404)
        return Response(comparison)


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
