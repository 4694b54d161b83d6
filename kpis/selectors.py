"""Reads for strategy plans: the coverage checklist and the scorecard."""

from collections import defaultdict
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from workspaces.models import Client
from workspaces.scope import ClientScope

from .engagement import engagement_value
from .models import (
    KPI,
    STEPS,
    DigitalGoal,
    EngagementCategory,
    MarketingObjective,
    Measurement,
    SimulationPeriod,
    StrategicObjective,
    StrategicTheme,
    StrategyPlan,
)
from .status import kpi_freshness, kpi_status

STALE_AFTER = timedelta(days=45)
# The words beside each status colour (never colour alone).
STATUS_WORDS = {
    "met": gettext_lazy("Met"),
    "on_track": gettext_lazy("On track"),
    "at_risk": gettext_lazy("At risk"),
    "off_track": gettext_lazy("Off track"),
    "no_data": gettext_lazy("No data"),
}


def plan_list(*, scope: ClientScope) -> QuerySet[StrategyPlan]:
    return scope.filter(StrategyPlan.objects.select_related("client"))


def plan_get(*, scope: ClientScope, plan_id: UUID) -> StrategyPlan:
    return get_object_or_404(plan_list(scope=scope), id=plan_id)


def plan_active(*, client: Client) -> StrategyPlan | None:
    """The client's active plan (at most one), or None."""
    return client.strategy_plans.filter(status=StrategyPlan.Status.ACTIVE).first()


def step_counts(*, plan: StrategyPlan) -> dict[str, int]:
    """How many items each of the six steps holds, by the plan's relation name."""
    return {
        name: getattr(plan, name).count()
        for name in (
            "themes",
            "strategic_objectives",
            "marketing_objectives",
            "digital_goals",
            "engagement_categories",
            "kpis",
        )
    }


def item_list(*, plan: StrategyPlan, step: str, with_actions: bool = False) -> list:
    """A step's items in order, each with its parent (`parent_item`) where the step has
    one, and (`with_actions`, for the step page) the roadmap actions serving it where it
    may have some; 1 or 2 queries."""
    model, parent_field, _parent_model = STEPS[step]
    items = model.objects.filter(plan=plan).order_by("position", "created_at")
    if with_actions and hasattr(model, "roadmap_actions"):
        # The roadmap actions serving each item, shown beside it: one more query.
        items = items.prefetch_related("roadmap_actions")
    if not parent_field:
        return list(items)
    items = list(items.select_related(parent_field))
    for item in items:
        item.parent_item = getattr(item, parent_field)
    return items


def item_get(*, plan: StrategyPlan, step: str, item_id: UUID | str) -> Any:
    return get_object_or_404(STEPS[step][0], plan=plan, id=item_id)


def kpi_list(*, plan: StrategyPlan) -> QuerySet[KPI]:
    return (
        KPI.objects.filter(plan=plan)
        .select_related("digital_goal", "marketing_objective")
        .order_by("position", "created_at")
    )


def kpi_get(*, plan: StrategyPlan, kpi_id: UUID | str) -> KPI:
    return get_object_or_404(KPI, plan=plan, id=kpi_id)


def measurement_list(*, kpi: KPI) -> QuerySet[Measurement]:
    """The KPI's measurements, newest first, with who recorded each; 1 query."""
    return kpi.measurements.select_related("recorded_by", "source_analysis").order_by(
        "-date", "-created_at"
    )


def measurement_get(*, plan: StrategyPlan, measurement_id: UUID | str) -> Measurement:
    """A measurement of one of the plan's KPIs (the plan was reached through a scope)."""
    return get_object_or_404(
        Measurement.objects.select_related("kpi", "recorded_by"), kpi__plan=plan, id=measurement_id
    )


def kpi_page(*, kpi: KPI, today: date | None = None) -> dict:
    """One KPI's status row (as on the scorecard) and its measurements, newest first."""
    row = next(r for r in scorecard(plan=kpi.plan, today=today) if r["kpi"].id == kpi.id)
    return {"row": row, "measurements": list(measurement_list(kpi=kpi))}


def category_list(*, plan: StrategyPlan) -> list[EngagementCategory]:
    """The scale's categories, lowest first."""
    return list(plan.engagement_categories.order_by("position", "min_points"))


def category_by_key(*, plan: StrategyPlan, key: str) -> EngagementCategory | None:
    return plan.engagement_categories.filter(key=key).first()


def goal_list(*, plan: StrategyPlan, by_category: bool = False) -> QuerySet[DigitalGoal]:
    """The plan's digital goals with their category, in step order (or by category)."""
    order = ("category__position",) if by_category else ("position",)
    return plan.digital_goals.select_related("category").order_by(*order)


def period_list(*, plan: StrategyPlan) -> QuerySet[SimulationPeriod]:
    return SimulationPeriod.objects.filter(plan=plan)


def period_get(*, plan: StrategyPlan, period_id: UUID | str) -> SimulationPeriod:
    return get_object_or_404(SimulationPeriod, plan=plan, id=period_id)


def _empty_steps(themes, objectives, marketing, goals, kpis) -> list[str]:
    """The steps without an item. An empty step passes every "every X has a Y" check
    vacuously; this says what is missing, so an empty plan is never "complete"."""
    steps = (
        (_("Strategic themes"), themes),
        (_("Strategic objectives"), objectives),
        (_("Marketing objectives"), marketing),
        (_("Digital goals"), goals),
        (_("KPIs"), kpis),
    )
    return [title for title, rows in steps if not rows]


def _without_child(parents: list, children: list, link: str, label: str) -> list[str]:
    linked = {c[link] for c in children}
    return [p[label] for p in parents if p["id"] not in linked]


def coverage(*, plan: StrategyPlan) -> list[dict]:
    """The checklist of domain.md §5, each check naming its orphans; 5 queries."""
    themes, objectives, marketing, goals, kpis = _chain_values(plan)
    empty = _empty_steps(themes, objectives, marketing, goals, kpis)
    checks = [
        ("themes", "Every strategic theme has a strategic objective",
         _without_child(themes, objectives, "theme_id", "name")),
        ("strategic_objectives", "Every strategic objective has a marketing objective",
         _without_child(objectives, marketing, "strategic_objective_id", "statement")),
        ("marketing_objectives", "Every marketing objective has a digital goal",
         _without_child(marketing, goals, "marketing_objective_id", "statement")),
        ("points", "Every digital goal has points on the engagement value scale",
         [g["name"] for g in goals if g["points"] is None or g["category_id"] is None]),
        ("kpis", "Every KPI links to a digital goal or a marketing objective",
         [k["name"] for k in kpis if not k["digital_goal_id"] and not k["marketing_objective_id"]]),
        ("orphans", "No item without a parent",
         [o["statement"] for o in objectives if not o["theme_id"]]
         + [m["statement"] for m in marketing if not m["strategic_objective_id"]]
         + [g["name"] for g in goals if not g["marketing_objective_id"]]),
    ]  # fmt: skip
    steps = {
        "key": "steps",
        "check": "Every step has at least one item",
        "orphans": [],
        "missing": empty,
        "ok": not empty,
    }
    return [steps] + [
        {"key": key, "check": text, "orphans": names, "missing": [], "ok": not names}
        for key, text, names in checks
    ]


def _chain_values(plan: StrategyPlan) -> tuple[list[dict], ...]:
    """The plan's themes, objectives, marketing objectives, goals and KPIs as the values
    coverage needs; one query each."""
    return (
        list(StrategicTheme.objects.filter(plan=plan).values("id", "name")),
        list(StrategicObjective.objects.filter(plan=plan).values("id", "statement", "theme_id")),
        list(
            MarketingObjective.objects.filter(plan=plan).values(
                "id", "statement", "strategic_objective_id"
            )
        ),
        list(
            DigitalGoal.objects.filter(plan=plan).values(
                "id", "name", "marketing_objective_id", "points", "category_id"
            )
        ),
        list(
            KPI.objects.filter(plan=plan).values(
                "id", "name", "digital_goal_id", "marketing_objective_id"
            )
        ),
    )


def scorecard(*, plan: StrategyPlan, today: date | None = None) -> list[dict]:
    """Every KPI with its status (SCORING.md §4) and its measurements; 2 queries."""
    today = today or timezone.localdate()
    kpis = list(KPI.objects.filter(plan=plan).order_by("position", "created_at"))
    series = defaultdict(list)
    for m in Measurement.objects.filter(kpi__plan=plan).order_by("date", "created_at"):
        series[m.kpi_id].append(m)
    rows = []
    for kpi in kpis:
        measurements = series[kpi.id]
        status = kpi_status(
            {
                "baseline": str(kpi.baseline),
                "target": str(kpi.target),
                "direction": kpi.direction,
                "start": kpi.start,
                "due": kpi.due,
                "measurements": [{"date": m.date, "value": str(m.value)} for m in measurements],
            }
        )
        freshness = kpi_freshness(
            start=kpi.start,
            last=max((m.date for m in measurements), default=None),
            today=today,
            stale_after_days=STALE_AFTER.days,
        )
        rows.append(
            {
                "kpi": kpi,
                **status,
                "stale": freshness == "stale",
                "not_started": freshness == "not_started",
                "series": [float(m.value) for m in measurements],
            }
        )
    return rows


def engagement_scale(
    *, plan: StrategyPlan, conversions: dict | None = None, visits: int = 0
) -> dict:
    """The plan's scale checked by SCORING.md §3, valued for a period's conversions."""
    return _scale_valued(*_scale_rows(plan), conversions=conversions, visits=visits)


def periods_valued(*, plan: StrategyPlan) -> list[SimulationPeriod]:
    """The saved periods, each with its `engagement_value` on the plan's current scale;
    3 queries however many periods (the scale is read once)."""
    periods = list(period_list(plan=plan))
    rows = _scale_rows(plan)
    for period in periods:
        period.engagement_value = _scale_valued(
            *rows, conversions=period.conversions, visits=period.visits
        )
    return periods


def _scale_rows(plan: StrategyPlan) -> tuple[list, list]:
    categories = list(plan.engagement_categories.order_by("position", "min_points"))
    return categories, list(plan.digital_goals.select_related("category"))


def _scale_valued(categories: list, goals: list, *, conversions: dict | None, visits: int) -> dict:
    keys = {c.id: c.key for c in categories}
    return engagement_value(
        {
            "categories": [
                {"key": c.key, "min_points": c.min_points, "max_points": c.max_points}
                for c in categories
            ],
            "goals": [
                {
                    "key": g.name,
                    "category": keys.get(g.category_id, "(none)"),
                    "points": g.points or 0,
                    "conversions": (conversions or {}).get(str(g.id), 0),
                }
                for g in goals
            ],
            "visits": visits,
        }
    )


def alignment(*, plan: StrategyPlan) -> tuple[list[list[dict]], list[tuple]]:
    """The chain as columns of nodes and parent → child links, orphans marked; 5 queries."""
    themes = list(StrategicTheme.objects.filter(plan=plan).order_by("position"))
    objectives = list(
        StrategicObjective.objects.filter(plan=plan).order_by("theme__position", "position")
    )
    marketing = list(
        MarketingObjective.objects.filter(plan=plan).order_by(
            "strategic_objective__position", "position"
        )
    )
    goals = list(
        DigitalGoal.objects.filter(plan=plan).order_by("marketing_objective__position", "position")
    )
    kpis = list(KPI.objects.filter(plan=plan).order_by("position"))
    with_children = (
        {o.theme_id for o in objectives}
        | {m.strategic_objective_id for m in marketing}
        | {g.marketing_objective_id for g in goals}
    )
    columns = [
        [{"id": t.id, "label": t.name, "orphan": t.id not in with_children} for t in themes],
        [{"id": o.id, "label": o.statement, "orphan": not o.theme_id} for o in objectives],
        [
            {"id": m.id, "label": m.statement, "orphan": not m.strategic_objective_id}
            for m in marketing
        ],
        [{"id": g.id, "label": g.name, "orphan": not g.marketing_objective_id} for g in goals],
        [
            {
                "id": k.id,
                "label": k.name,
                "orphan": not k.digital_goal_id and not k.marketing_objective_id,
            }
            for k in kpis
        ],
    ]
    edges = (
        [(o.theme_id, o.id) for o in objectives]
        + [(m.strategic_objective_id, m.id) for m in marketing]
        + [(g.marketing_objective_id, g.id) for g in goals]
        + [(k.digital_goal_id or k.marketing_objective_id, k.id) for k in kpis]
    )
    return columns, edges


def alignment_chart(*, plan: StrategyPlan) -> dict:
    """The alignment map's geometry and column headings, as the page and the PDF draw it."""
    from .charts import alignment_map

    columns, edges = alignment(plan=plan)
    titles = [
        _("Themes"),
        _("Strategic objectives"),
        _("Marketing objectives"),
        _("Digital goals"),
        _("KPIs"),
    ]
    return {
        "map": alignment_map(columns, edges),
        "headings": [{"x": 10 + i * 210, "label": label} for i, label in enumerate(titles)],
    }


def priority_dimensions(*, plan: StrategyPlan) -> list[str]:
    """The client's dimensions by priority in its latest assessment with answers, so that
    library suggestions favour what to improve first; [] without results."""
    from assessments.models import Assessment
    from assessments.results import assessment_results

    latest = (
        Assessment.objects.filter(client=plan.client, respondents__submitted_at__isnull=False)
        .select_related("client", "version__questionnaire")
        .order_by("-created_at")
        .first()
    )
    if latest is None:
        return []
    dimensions = assessment_results(latest)["dimensions"]
    return [d["key"] for d in sorted(dimensions, key=lambda d: d["priority"] or 99)]
