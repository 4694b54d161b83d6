"""What pages, the API and the PDFs show of campaign plans and playbooks: display shaping
over the selectors' reads (labels, charts, the playbook's chapters), one copy for all."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from assessments.display import results_display
from assessments.models import Action, Assessment, Channel
from assessments.results import assessment_results
from assessments.scoring import STAGES
from assessments.selectors import RELEASE_MINIMUM_RESPONDENTS, released_to_client_team
from kpis import display as kpi_display
from kpis import selectors as kpi_selectors
from kpis.charts import share_bars
from kpis.models import Journey, LifecycleStage, StrategyPlan
from workspaces.models import Client

from . import selectors
from .charts import gantt
from .models import Attribution, CampaignActivity, CampaignPlan


def campaign_display(campaign: CampaignPlan) -> dict:
    channel_names = dict(Channel.choices)
    activities = list(campaign.activities.all())
    rows = [
        {
            "title": a.title,
            "start": a.start,
            "end": a.end,
            "channel": a.channel,
            "channel_name": channel_names.get(a.channel, ""),
            "owner": a.owner,
            "budget": a.budget,
        }
        for a in activities
    ]
    return {
        "campaign": campaign,
        "channels": [channel_names.get(c, c) for c in campaign.channels],
        "activities": rows,
        "gantt": gantt(rows),
        "journey": Journey(campaign.journey).label,
        "lifecycle_stage": LifecycleStage(campaign.lifecycle_stage).label,
        "attribution": Attribution(campaign.attribution).label,
        "spent": sum((a.budget or 0 for a in activities), 0),
    }


def campaigns_for_document(client: Client) -> list[dict]:
    campaigns = client.campaigns.prefetch_related(
        Prefetch("activities", queryset=CampaignActivity.objects.order_by("position", "start")),
        "marketing_objectives",
        "digital_goals",
        "kpis",
    ).order_by("created_at")
    return [campaign_display(c) for c in campaigns]


def plan_display(plan: StrategyPlan) -> dict:
    rows = kpi_display.scorecard_display(plan=plan)
    period = plan.periods.order_by("-created_at").first()
    scale = kpi_selectors.engagement_scale(
        plan=plan,
        visits=period.visits if period else 0,
        conversions=period.conversions if period else {},
    )
    categories = list(plan.engagement_categories.order_by("position", "min_points"))
    goals = list(plan.digital_goals.select_related("category").order_by("position"))
    return {
        "plan": plan,
        "scorecard": rows,
        "coverage": kpi_selectors.coverage(plan=plan),
        "categories": categories,
        "goals": goals,
        "period": period,
        "scale": scale,
        "bars": share_bars(scale["by_category"]),
        **kpi_selectors.alignment_chart(plan=plan),
    }


def snapshot(context: dict) -> dict:
    """What a version showed, kept with it so the next version can say what changed."""
    results = context.get("results") or {}
    return {
        "overall_stage": (results.get("overall") or {}).get("stage"),
        "stages": {d["key"]: d["stage"] for d in results.get("dimensions", [])},
        "titles": {d["key"]: d["title"] for d in results.get("dimensions", [])},
        "kpis": {
            str(r["kpi"].id): {"name": r["kpi"].name, "status": r["status"]}
            for r in (context.get("plan") or {}).get("scorecard", [])
        },
        "actions_done": [str(a.id) for a in context.get("actions_done", [])],
        "action_titles": {str(a.id): a.title for a in context.get("actions_done", [])},
    }


def changes_since(previous: dict, current: dict) -> dict:
    """Stages, KPI statuses and actions that differ from the previous version's snapshot."""
    names = {s.level: s.name for s in STAGES}
    stages = [
        {
            "title": current["titles"].get(key, key),
            "before": previous.get("stages", {}).get(key),
            "after": stage,
            "before_name": names.get(previous.get("stages", {}).get(key)),
            "after_name": names.get(stage),
        }
        for key, stage in current["stages"].items()
        if previous.get("stages", {}).get(key) != stage
    ]
    words = kpi_selectors.STATUS_WORDS
    kpis = [
        {
            "name": kpi["name"],
            "before": words.get(previous.get("kpis", {}).get(kpi_id, {}).get("status"), _("New")),
            "after": words[kpi["status"]],
        }
        for kpi_id, kpi in current["kpis"].items()
        if previous.get("kpis", {}).get(kpi_id, {}).get("status") != kpi["status"]
    ]
    done_before = set(previous.get("actions_done", []))
    actions = [current["action_titles"][a] for a in current["actions_done"] if a not in done_before]
    overall = (previous.get("overall_stage"), current["overall_stage"])
    return {
        "overall": overall if overall[0] != overall[1] else None,
        "overall_names": [names.get(overall[0]), names.get(overall[1])],
        "stages": stages,
        "kpis": kpis,
        "actions": actions,
        "nothing": not (stages or kpis or actions or overall[0] != overall[1]),
    }


def playbook_context(client: Client) -> dict:
    """Everything the playbook shows, read through the same selectors as the pages."""
    assessment = selectors.assessment_for_playbook(client)
    context: dict = {
        "client": client,
        "workspace": client.workspace,
        "assessment": assessment,
        "release_minimum": RELEASE_MINIMUM_RESPONDENTS,
    }
    if assessment is not None:
        context.update(_results_shown(assessment))
        context["questionnaire"] = list(
            assessment.version.dimensions.prefetch_related("questions").order_by("position")
        )
    plan = kpi_selectors.plan_active(client=client)
    if plan is not None:
        context["plan"] = plan_display(plan)
        context["kpi_health"] = _kpi_health(context["plan"]["scorecard"])
    context["campaigns"] = campaigns_for_document(client)
    context.update(_insight_display(client))
    return context


def _results_shown(assessment: Assessment) -> dict:
    """The results, roadmap and priorities, once they are the client team's to see."""
    results = assessment_results(assessment)
    # A playbook is made for the client team: a roles-only assessment's results go in
    # once they are the team's to see.
    shown: dict = {
        "results_withheld": bool(results["submitted"]) and not released_to_client_team(assessment)
    }
    if not results["submitted"] or shown["results_withheld"]:
        return shown
    for dimension in results["dimensions"]:
        dimension["comments"] = [
            c for c in results["comments"] if c["dimension"] == dimension["key"]
        ]
    shown.update(results_display(results))
    actions = list(
        Action.objects.filter(assessment=assessment, accepted=True).order_by(
            "horizon", "position", "created_at"
        )
    )
    for action in actions:
        action.dimension_title = shown["titles"].get(action.dimension_key, "")
    shown["roadmap"] = [
        {
            "label": label,
            "actions": [
                a for a in actions if a.horizon == key and a.status != Action.Status.DROPPED
            ],
        }
        for key, label in Action.Horizon.choices
    ]
    shown["actions_done"] = [a for a in actions if a.status == Action.Status.DONE]
    shown["top_priorities"] = sorted(
        (d for d in results["dimensions"] if d["priority"]), key=lambda d: d["priority"]
    )[:3]
    return shown


def _kpi_health(scorecard: list[dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for row in scorecard:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return [
        {"status": key, "word": word, "count": counts[key]}
        for key, word in kpi_selectors.STATUS_WORDS.items()
        if counts.get(key)
    ]


def _insight_display(client: Client) -> dict:
    """The latest segment analysis and the latest month of competitor benchmarks."""
    from insights.charts import comparison_bars, rf_grid
    from insights.selectors import latest_analysis, listening_comparison

    shown: dict = {}
    analysis = latest_analysis(client)
    if analysis is not None and analysis.summary:
        shown["segments"] = {
            "analysis": analysis,
            "summary": analysis.summary,
            "grid": rf_grid(analysis.summary["grid"]),
            "at_risk": analysis.summary["at_risk"][:15],
        }
    comparison = listening_comparison(client=client)
    if comparison and comparison["client_brand"]:
        comparison["charts"] = comparison_bars(
            comparison["rows"], client_brand=comparison["client_brand"]
        )
        shown["benchmarks"] = comparison
    return shown


def campaign_context(campaign: CampaignPlan) -> dict:
    campaign = (
        CampaignPlan.objects.select_related("client__workspace")
        .prefetch_related("activities", "marketing_objectives", "digital_goals", "kpis")
        .get(id=campaign.id)
    )
    return {
        "client": campaign.client,
        "workspace": campaign.client.workspace,
        "item": campaign_display(campaign),
    }
