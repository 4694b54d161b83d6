"""Reads for customer insight, always within one workspace."""

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from workspaces.models import Client, Workspace

from .models import SegmentAnalysis


def analysis_list(*, workspace: Workspace, client: Client | None = None) -> QuerySet:
    analyses = SegmentAnalysis.objects.filter(client__workspace=workspace).select_related("client")
    if client is not None:
        analyses = analyses.filter(client=client)
    return analyses.order_by("-created_at")


def analysis_get(*, workspace: Workspace, analysis_id: UUID) -> SegmentAnalysis:
    return get_object_or_404(
        SegmentAnalysis.objects.select_related("client"),
        client__workspace=workspace,
        id=analysis_id,
    )


def latest_analysis(client: Client) -> SegmentAnalysis | None:
    return (
        client.segment_analyses.filter(status=SegmentAnalysis.Status.DONE)
        .order_by("-as_of", "-created_at")
        .first()
    )
