"""The pages that compose several apps: a workspace's dashboard and a client's page.

They live here, above the apps, so that `workspaces` (tenancy, the ground floor) imports
nothing above it (docs/architecture.md).
"""

from uuid import UUID

from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.charts import trend
from assessments.models import Assessment
from assessments.selectors import assessment_list, released_overall_scores
from workspaces.models import Client, Membership, Role
from workspaces.permissions import workspace_view
from workspaces.scope import ClientScope
from workspaces.selectors import client_get, client_list

PAGE_SIZE = 20


def dashboard_clients(*, scope: ClientScope) -> QuerySet[Client]:
    """Active clients, each with its latest assessment's title, status and id; one query."""
    latest = Assessment.objects.filter(client=OuterRef("pk")).order_by("-created_at")
    return client_list(scope=scope).annotate(
        latest_assessment_id=Subquery(latest.values("id")[:1]),
        latest_assessment_title=Subquery(latest.values("title")[:1]),
        latest_assessment_status=Subquery(latest.values("status")[:1]),
    )


@workspace_view()
def workspace_dashboard_view(request: HttpRequest, membership: Membership) -> HttpResponse:
    clients = dashboard_clients(scope=membership.scope)
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    latest = assessment_list(scope=membership.scope).filter(
        id__in=[c.latest_assessment_id for c in page.object_list if c.latest_assessment_id]
    )
    stages = released_overall_scores(assessments=list(latest), scope=membership.scope)
    for client in page.object_list:
        client.latest_overall = stages.get(client.latest_assessment_id)
    return render(
        request,
        "workspaces/dashboard.html",
        {"page": page, "can_edit": membership.has_role(Role.CONSULTANT)},
    )


@workspace_view()
def client_detail_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(scope=membership.scope, client_id=client_id)
    assessments = list(assessment_list(scope=membership.scope, client=client))
    # The trend: every assessment's overall result, oldest first, from one gathering.
    overall = released_overall_scores(assessments=assessments, scope=membership.scope)
    for assessment in assessments:
        assessment.overall = overall[assessment.id]
    oldest_first = assessments[::-1]
    chart = (
        trend([a.title for a in oldest_first], [a.overall["score"] for a in oldest_first])
        if sum(1 for a in assessments if a.overall["score"] is not None) >= 2
        else None
    )
    return render(
        request,
        "workspaces/client_detail.html",
        {
            "client": client,
            "assessments": assessments,
            "trend": chart,
            "plans": client.strategy_plans.order_by("-created_at"),
            "can_edit": membership.has_role(Role.CONSULTANT),
        },
    )
