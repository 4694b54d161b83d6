"""REST API for an assessment's results and what moved since the previous one."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.services import AuditAction, audit_record
from cxmaturity.api import RefuseUnknownFields
from workspaces.models import Role
from workspaces.permissions import workspace_access

from .. import selectors, services
from ..results import assessment_compare, assessment_results
from .access import require_released


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


class BenchmarkPoolIn(RefuseUnknownFields, serializers.Serializer):
    benchmark_pool = serializers.BooleanField()


class BenchmarkPoolView(APIView):
    """Whether the workspace's closed assessments join the anonymous site-wide benchmark
    pool (and so whose results pages show the pooled figures)."""

    @extend_schema(
        summary=_("Join or leave the anonymous benchmark pool (owners)"),
        request=BenchmarkPoolIn,
        responses=BenchmarkPoolIn,
    )
    def put(self, request: Request, workspace_id: str) -> Response:
        membership = workspace_access(
            user=request.user, workspace_id=workspace_id, min_role=Role.OWNER
        )
        data = BenchmarkPoolIn(data=request.data)
        data.is_valid(raise_exception=True)
        workspace = services.workspace_benchmark_pool_set(
            workspace=membership.workspace,
            joined=data.validated_data["benchmark_pool"],
            actor=request.user,
        )
        return Response({"benchmark_pool": workspace.benchmark_pool})
