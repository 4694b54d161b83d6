"""The pages that compose several apps: a workspace's dashboard and the client hub.

They live here, above the apps, so that `workspaces` (tenancy, the ground floor) imports
nothing above it (docs/architecture.md).
"""

from uuid import UUID

from django.core.paginator import Paginator
from django.db.models import OuterRef, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from assessments.charts import trend
from assessments.models import Action, Assessment
from assessments.roadmap_selectors import (
    action_is_overdue,
    horizon_progress,
    overdue_counts,
    roadmap_counted,
    roadmap_today,
)
from assessments.selectors import (
    assessment_list,
    open_actions,
    released_overall_scores,
    results_released,
)
from kpis.models import StrategyPlan
from kpis.selectors import STATUS_WORDS, plan_active, plan_list, scorecard
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
    overdue = overdue_counts(scope=membership.scope, client_ids=[c.id for c in page.object_list])
    for client in page.object_list:
        client.latest_overall = stages.get(client.latest_assessment_id)
        client.overdue_count = overdue.get(client.id, 0)
    return render(
        request,
        "workspaces/dashboard.html",
        {"page": page, "can_edit": membership.has_role(Role.CONSULTANT)},
    )


# The client hub: one page per tab, each with the client's name, its actions and the tab
# bar (templates/includes/client_tabs.html); the tabs for campaigns, insight and
# playbooks are those apps' own client pages, which show the same bar.
NEXT_ACTIONS = 5
# Scorecard statuses counted together on the Overview: met targets are on track too.
HEALTH = {
    "on_track": ("met", "on_track"),
    "at_risk": ("at_risk",),
    "off_track": ("off_track",),
    "no_data": ("no_data",),
}


def _hub(membership: Membership, client: Client, tab: str, **context: object) -> dict:
    return {
        **context,
        "client": client,
        "tab": tab,
        "can_edit": membership.has_role(Role.CONSULTANT),
    }


def kpi_health(*, plan: StrategyPlan | None) -> list[dict] | None:
    """The plan's KPIs counted by status (on track, at risk, off track, no data), from
    the scorecard's own statuses; None without a plan or KPIs."""
    rows = scorecard(plan=plan) if plan is not None else []
    if not rows:
        return None
    return [
        {
            "key": key,
            "word": STATUS_WORDS[key],
            "count": sum(1 for r in rows if r["status"] in statuses),
        }
        for key, statuses in HEALTH.items()
    ]


def _with_overall(assessments: list[Assessment], scope: ClientScope) -> list[Assessment]:
    overall = released_overall_scores(assessments=assessments, scope=scope)
    for assessment in assessments:
        assessment.overall = overall[assessment.id]
    return assessments


def _roadmap_figures(scope: ClientScope, assessments: list[Assessment]) -> dict:
    """The hub's overdue actions (count and list) and percent done per horizon, across
    the client's roadmaps this member may read."""
    counted = list(roadmap_counted(scope=scope, assessments=assessments))
    today = roadmap_today()
    overdue = [a for a in counted if action_is_overdue(a, today)]
    progress = horizon_progress(counted)
    return {
        "overdue": overdue,
        "horizons": [
            {"label": label, **progress[key]}
            for key, label in Action.Horizon.choices
            if progress[key]["total"]
        ],
    }


@workspace_view()
def client_detail_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """The hub's Overview: where the client stands (the latest closed assessment's
    stage), how its KPIs are doing and what is due next."""
    scope = membership.scope
    client = client_get(scope=scope, client_id=client_id)
    assessments = list(assessment_list(scope=scope, client=client))
    latest_closed = next((a for a in assessments if a.status == Assessment.Status.CLOSED), None)
    if latest_closed is not None:
        _with_overall([latest_closed], scope)
    plan = plan_active(client=client)
    return render(
        request,
        "workspaces/client_detail.html",
        _hub(
            membership,
            client,
            "overview",
            latest=latest_closed,
            latest_withheld=latest_closed is not None
            and not results_released(assessment=latest_closed, scope=scope),
            assessment_count=len(assessments),
            plan=plan,
            health=kpi_health(plan=plan),
            actions=list(open_actions(scope=scope, assessments=assessments)[:NEXT_ACTIONS]),
            **_roadmap_figures(scope, assessments),
        ),
    )


@workspace_view()
def client_assessments_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(scope=membership.scope, client_id=client_id)
    assessments = _with_overall(
        list(assessment_list(scope=membership.scope, client=client)), membership.scope
    )
    # The trend: every assessment's overall result, oldest first.
    oldest_first = assessments[::-1]
    chart = (
        trend([a.title for a in oldest_first], [a.overall["score"] for a in oldest_first])
        if sum(1 for a in assessments if a.overall["score"] is not None) >= 2
        else None
    )
    return render(
        request,
        "workspaces/client_assessments.html",
        _hub(
            membership,
            client,
            "assessments",
            assessments=assessments,
            trend=chart,
        ),
    )


@workspace_view()
def client_results_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """The closed assessments, newest first, each with its overall result where this
    member may see it, and links to its results and comparison."""
    client = client_get(scope=membership.scope, client_id=client_id)
    closed = [
        a
        for a in assessment_list(scope=membership.scope, client=client)
        if a.status == Assessment.Status.CLOSED
    ]
    return render(
        request,
        "workspaces/client_results.html",
        _hub(
            membership,
            client,
            "results",
            assessments=_with_overall(closed, membership.scope),
        ),
    )


@workspace_view()
def client_roadmap_view(request: HttpRequest, membership: Membership, client_id: UUID):
    """Every action still to do across the client's assessments, soonest due first."""
    scope = membership.scope
    client = client_get(scope=scope, client_id=client_id)
    assessments = list(assessment_list(scope=scope, client=client))
    readable = [a for a in assessments if results_released(assessment=a, scope=scope)]
    actions = open_actions(scope=scope, assessments=readable)
    only_overdue = request.GET.get("filter") == "overdue"
    figures = _roadmap_figures(scope, readable)
    overdue_ids = {a.id for a in figures["overdue"]}
    return render(
        request,
        "workspaces/client_roadmap.html",
        _hub(
            membership,
            client,
            "roadmap",
            actions=figures["overdue"] if only_overdue else list(actions),
            only_overdue=only_overdue,
            overdue_ids=overdue_ids,
            **figures,
            roadmaps=[a for a in readable if a.status != Assessment.Status.DRAFT],
        ),
    )


@workspace_view()
def client_plans_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(scope=membership.scope, client_id=client_id)
    return render(
        request,
        "workspaces/client_plans.html",
        _hub(
            membership,
            client,
            "plan",
            plans=list(plan_list(scope=membership.scope).filter(client=client)),
        ),
    )
