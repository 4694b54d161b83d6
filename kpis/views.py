"""Strategy plan pages: the overview with the six steps and the coverage checklist, and
the KPI scorecard."""

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from workspaces.models import Membership, Role
from workspaces.permissions import workspace_view
from workspaces.selectors import client_get

from . import selectors, services
from .charts import sparkline
from .models import Involvement, Journey

STEP_TITLES = [
    ("themes", _("Strategic themes")),
    ("strategic_objectives", _("Strategic objectives")),
    ("marketing_objectives", _("Marketing objectives")),
    ("digital_goals", _("Digital goals")),
    ("engagement_categories", _("Engagement value scale")),
    ("kpis", _("KPIs")),
]
STATUS_WORDS = {
    "met": _("Met"),
    "on_track": _("On track"),
    "at_risk": _("At risk"),
    "off_track": _("Off track"),
    "no_data": _("No data"),
}


@workspace_view(Role.CONSULTANT)
@require_POST
def plan_create_view(request: HttpRequest, membership: Membership, client_id: UUID):
    client = client_get(workspace=membership.workspace, client_id=client_id)
    try:
        plan = services.plan_create(client=client, title=request.POST.get("title", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(client)
    messages.success(request, _("Plan started with the default engagement value scale."))
    return redirect("plan_detail", membership.workspace_id, plan.id)


@workspace_view()
def plan_detail_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    plan = selectors.plan_get(workspace=membership.workspace, plan_id=plan_id)
    checks = selectors.coverage(plan=plan)
    steps = [
        {"key": key, "title": title, "count": getattr(plan, key).count()}
        for key, title in STEP_TITLES
    ]
    scale = selectors.engagement_scale(plan=plan)
    return render(
        request,
        "kpis/plan_detail.html",
        {
            "plan": plan,
            "client": plan.client,
            "steps": steps,
            "checks": checks,
            "scale": scale,
            "can_edit": membership.has_role(Role.CONSULTANT),
            "complete": all(c["ok"] for c in checks),
        },
    )


@workspace_view(Role.CONSULTANT)
@require_POST
def plan_activate_view(request: HttpRequest, membership: Membership, plan_id: UUID):
    plan = selectors.plan_get(workspace=membership.workspace, plan_id=plan_id)
    services.plan_activate(plan=plan)
    messages.success(request, _("This is now the client's active plan."))
    return redirect("plan_detail", membership.workspace_id, plan.id)


@workspace_view()
def scorecard_view(request: HttpRequest, membership: Membership, plan_id: UUID) -> HttpResponse:
    plan = selectors.plan_get(workspace=membership.workspace, plan_id=plan_id)
    by = request.GET.get("by", "journey")
    rows = selectors.scorecard(plan=plan)
    for row in rows:
        row["word"] = STATUS_WORDS[row["status"]]
        row["spark"] = sparkline(row["series"])
    choices = Involvement.choices if by == "involvement" else Journey.choices
    field = "involvement" if by == "involvement" else "journey"
    groups = [
        {"label": label, "rows": [r for r in rows if getattr(r["kpi"], field) == key]}
        for key, label in choices
    ]
    unassigned = [r for r in rows if not getattr(r["kpi"], field)]
    if unassigned:
        groups.append({"label": _("Not assigned"), "rows": unassigned})
    return render(
        request,
        "kpis/scorecard.html",
        {"plan": plan, "client": plan.client, "groups": groups, "by": by},
    )
