"""REST API for questionnaires: the versions one may use, importing a file, exporting one."""

from django.http import HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from workspaces.api import WorkspaceScopedViewSet
from workspaces.models import Role

from .. import selectors, services
from ..models import QuestionnaireVersion


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
