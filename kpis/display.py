"""Selector output shaped for people: the scorecard rows with their status word and
sparkline (the scorecard page and the playbook), the plan's steps, the simulator's
comparisons."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import selectors
from .charts import share_bars, sparkline
from .models import Involvement, Journey, StrategyPlan

STEP_TITLES = [
    ("themes", gettext_lazy("Strategic themes")),
    ("strategic_objectives", gettext_lazy("Strategic objectives")),
    ("marketing_objectives", gettext_lazy("Marketing objectives")),
    ("digital_goals", gettext_lazy("Digital goals")),
    ("engagement_categories", gettext_lazy("Engagement value scale")),
    ("kpis", gettext_lazy("KPIs")),
]


def scorecard_display(*, plan: StrategyPlan) -> list[dict]:
    """Every KPI with its status, the word beside the status colour and the sparkline's
    points; the scorecard's 2 queries."""
    rows = selectors.scorecard(plan=plan)
    for row in rows:
        row["word"] = selectors.STATUS_WORDS[row["status"]]
        row["spark"] = sparkline(row["series"])
    return rows


def scorecard_groups(rows: list[dict], *, by: str) -> list[dict]:
    """The rows grouped by journey (or by involvement), then those not assigned."""
    choices = Involvement.choices if by == "involvement" else Journey.choices
    field = "involvement" if by == "involvement" else "journey"
    groups = [
        {"label": label, "rows": [r for r in rows if getattr(r["kpi"], field) == key]}
        for key, label in choices
    ]
    unassigned = [r for r in rows if not getattr(r["kpi"], field)]
    if unassigned:
        groups.append({"label": _("Not assigned"), "rows": unassigned})
    return groups


def plan_steps(*, plan: StrategyPlan, pages: dict[str, str]) -> list[dict]:
    """The six steps with their item counts and the slug of their page (`pages`: the
    relation name → slug; the scale and KPIs have pages of their own)."""
    counts = selectors.step_counts(plan=plan)
    return [
        {"key": key, "title": title, "count": counts[key], "slug": pages.get(key)}
        for key, title in STEP_TITLES
    ]


def simulations_compared(*, plan: StrategyPlan, periods: list, chosen_ids: list[str]) -> list[dict]:
    """Up to two chosen saved periods, valued on the current scale, with their share bars."""
    compared = [
        {
            "period": p,
            "result": selectors.engagement_scale(
                plan=plan, visits=p.visits, conversions=p.conversions
            ),
        }
        for p in [p for p in periods if str(p.id) in chosen_ids][:2]
    ]
    for item in compared:
        item["bars"] = share_bars(item["result"]["by_category"])
    return compared


def simulation_differences(*, plan: StrategyPlan, compared: list[dict]) -> list[dict]:
    """Two compared periods line by line: visits, engagement value, value per visit, each
    category's value and each goal's conversions, with the change from the first to the
    second and whether there is one (the page highlights those). [] unless two."""
    if len(compared) != 2:
        return []
    first, second = compared
    lines = [
        (_("Visits"), first["period"].visits, second["period"].visits),
        (
            _("Engagement value"),
            first["result"]["engagement_value"],
            second["result"]["engagement_value"],
        ),
        (
            _("Value per visit"),
            first["result"]["value_per_visit"],
            second["result"]["value_per_visit"],
        ),
    ]
    names = {c.key: c.name for c in selectors.category_list(plan=plan)}
    lines += [
        (
            _("%(category)s value") % {"category": names.get(key, key)},
            first["result"]["by_category"][key]["value"],
            second["result"]["by_category"].get(key, {}).get("value", 0),
        )
        for key in first["result"]["by_category"]
    ]
    lines += [
        (
            _("%(goal)s conversions") % {"goal": goal.name},
            first["period"].conversions.get(str(goal.id), 0),
            second["period"].conversions.get(str(goal.id), 0),
        )
        for goal in selectors.goal_list(plan=plan)
    ]
    return [
        {
            "label": label,
            "first": a,
            "second": b,
            "change": b - a if a is not None and b is not None else None,
            "changed": a != b,
        }
        for label, a, b in lines
    ]
