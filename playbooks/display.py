"""What pages, the API and the PDFs show of campaign plans and playbooks: display shaping
over the selectors' reads (labels, charts, the playbook's chapters), one copy for all."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from assessments.display import results_display
from assessments.models import Action, Assessment, Channel
from assessments.results import assessment_results
from assessments.scoring import STAGES
from assessments.selectors import (
    RELEASE_MINIMUM_RESPONDENTS,
    questionnaire_in_language,
    released_to_client_team,
)
from kpis import display as kpi_display
from kpis import selectors as kpi_selectors
from kpis.charts import share_bars
from kpis.models import Journey, LifecycleStage, StrategyPlan
from workspaces.models import Client

from . import selectors
from .charts import gantt
from .models import Attribution, CampaignActivity, CampaignPlan
from .results import HISTORY, campaign_results, measurement_series


def campaign_display(campaign: CampaignPlan, series: dict | None = None) -> dict:
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
            "actual_spend": a.actual_spend,
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
        "results": campaign_results(campaign, series),
    }


def campaigns_for_document(client: Client) -> list[dict]:
    campaigns = client.campaigns.prefetch_related(
        Prefetch("activities", queryset=CampaignActivity.objects.order_by("position", "start")),
        "marketing_objectives",
        "digital_goals",
        "kpis",
        HISTORY,
    ).order_by("created_at")
    campaigns = list(campaigns)
    series = measurement_series([k.id for c in campaigns for k in c.kpis.all()])
    return [campaign_display(c, series) for c in campaigns]


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
        context["questionnaire"] = questionnaire_in_language(version=assessment.version)
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
        .prefetch_related("activities", "marketing_objectives", "digital_goals", "kpis", HISTORY)
        .get(id=campaign.id)
    )
    return {
        "client": campaign.client,
        "workspace": campaign.client.workspace,
        "item": campaign_display(campaign),
    }


# --- Pre-flight -------------------------------------------------------------------------

INCLUDED, LEFT_OUT, NOTE = "included", "left_out", "note"


def _item(key: str, status: str, text: str, fix: dict | None = None) -> dict:
    return {"key": key, "status": status, "text": text, "fix": fix}


def _fix(label: str, url: str, *, action: str = "") -> dict:
    """A one-click fix: a link to the page that fixes it, or (with `action`) a button that
    posts {"fix": action} to `url`, the pre-flight page, which performs it and checks
    again."""
    return {"label": label, "url": url, "method": "post" if action else "get", "action": action}


def playbook_preflight(client: Client) -> list[dict]:
    """What the next playbook will include or leave out, read as playbook_context reads
    it, each gap with a one-click fix: the page shows it before rendering, and the API
    answers a request with it."""
    return [
        *_assessment_items(client),
        _plan_item(client),
        _campaigns_item(client),
    ]


def _assessment_items(client: Client) -> list[dict]:
    """The results and the roadmap: which assessment is reported, and what of it shows."""
    assessment = selectors.assessment_for_playbook(client)
    if assessment is None:
        text = _("No assessment has been opened: results and roadmap will be left out.")
        create = reverse("assessment_create", args=[client.workspace_id, client.id])
        return [_item("assessment", LEFT_OUT, text, _fix(_("Start an assessment"), create))]
    board = _fix(_("Go to the progress board"), assessment.get_absolute_url())
    names = {"a": assessment.title, "m": RELEASE_MINIMUM_RESPONDENTS}
    names["n"] = assessment.respondents.filter(submitted_at__isnull=False).count()
    if not names["n"]:
        text = _("Nobody has submitted answers to “%(a)s” yet: results and roadmap will be "
                 "left out.")  # fmt: skip
        return [_item("assessment", LEFT_OUT, text % names, board)]
    if not released_to_client_team(assessment):
        text = _("The results of “%(a)s” are roles-only and not yet the client team's to see "
                 "(that takes a closed assessment with at least %(m)d respondents): results "
                 "and roadmap will be left out.")  # fmt: skip
        return [_item("assessment", LEFT_OUT, text % names, board)]
    if assessment.status == Assessment.Status.CLOSED:
        text = _("Results of “%(a)s” (closed, %(n)d respondents).")
        items = [_item("assessment", INCLUDED, text % names)]
    else:
        text = _("No closed assessment: the results of “%(a)s” go in as they stand (%(n)d "
                 "respondents so far) and may still change.")  # fmt: skip
        items = [_item("assessment", NOTE, text % names, board)]
    actions = assessment.actions.exclude(status=Action.Status.DROPPED)
    counts = {
        "a": actions.filter(accepted=True).count(),
        "p": actions.filter(accepted=False).count(),
    }
    roadmap = reverse("roadmap", args=[client.workspace_id, assessment.id])
    if counts["p"]:
        text = _("%(p)d suggested roadmap actions are not accepted yet and will be left out "
                 "(%(a)d accepted actions go in).")  # fmt: skip
        items.append(_item("roadmap", LEFT_OUT, text % counts, _fix(_("Accept roadmap"), roadmap)))
    elif counts["a"]:
        items.append(_item("roadmap", INCLUDED, _("Roadmap: %(a)d accepted actions.") % counts))
    else:
        text = _("No roadmap actions yet: the roadmap chapter will be empty.")
        items.append(_item("roadmap", LEFT_OUT, text, _fix(_("Draft the roadmap"), roadmap)))
    return items


def _plan_item(client: Client) -> dict:
    """Only the active plan goes in; a draft is left out, so say so and offer to activate."""
    plan = kpi_selectors.plan_active(client=client)
    if plan is not None:
        names = {"plan": plan.title, "n": plan.kpis.count()}
        if names["n"]:
            text = _("Strategy plan “%(plan)s”: alignment map, engagement value scale and KPI "
                     "scorecard (%(n)d KPIs).")  # fmt: skip
            return _item("plan", INCLUDED, text % names)
        text = _("Strategy plan “%(plan)s” has no KPIs yet: the KPI scorecard will be empty.")
        kpis = reverse("plan_kpis", args=[client.workspace_id, plan.id])
        return _item("plan", NOTE, text % names, _fix(_("Add KPIs"), kpis))
    draft = client.strategy_plans.order_by("-created_at").first()
    if draft is not None:
        text = _("The strategy plan “%(plan)s” is a draft: its alignment map, engagement value "
                 "scale and KPIs will be left out.")  # fmt: skip
        preflight = reverse("document_preflight", args=[client.workspace_id, client.id])
        activate = _fix(_("Activate the plan"), preflight, action=f"activate:{draft.id}")
        return _item("plan", LEFT_OUT, text % {"plan": draft.title}, activate)
    text = _("No strategy plan: the alignment map, engagement value scale and KPIs will be "
             "left out.")  # fmt: skip
    create = reverse("plan_create", args=[client.workspace_id, client.id])
    return _item("plan", LEFT_OUT, text, _fix(_("Start a strategy plan"), create))


def _campaigns_item(client: Client) -> dict:
    count = client.campaigns.count()
    if count:
        return _item("campaigns", INCLUDED, _("Campaign plans: %(n)d.") % {"n": count})
    text = _("No campaign plans: that chapter will be left out.")
    campaigns = reverse("campaign_list", args=[client.workspace_id, client.id])
    return _item("campaigns", LEFT_OUT, text, _fix(_("Plan a campaign"), campaigns))
