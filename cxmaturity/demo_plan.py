"""The demo's strategy plan for Northwind Retail: two themes with complete chains down to
KPIs, the default scale, six months of measurements, and one orphan goal to show the
coverage checks at work."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from kpis.inputs import ItemInput, KPIInput
from kpis.models import Measurement
from kpis.services import item_create, kpi_create, period_save, plan_activate, plan_create
from workspaces.models import Client

PLAN_TITLE = "Northwind CX plan 2027"

# name, unit, direction, baseline, target, I, journey, how far along the plan it is
KPIS = [
    ("Visits", "per month", "increase", 180000, 240000, "involvement", "shopping", 0.9),
    ("Bounce rate", "%", "decrease", 48, 38, "involvement", "shopping", 1.1),
    ("Pages per visit", "pages", "increase", 3.1, 4.0, "involvement", "shopping", 0.5),
    ("Loyalty sign-up rate", "%", "increase", 9, 25, "interaction", "shopping", 0.75),
    ("Value per visit", "engagement value", "increase", 1.2, 1.8, "interaction", "shopping", 1.0),
    ("Repeat purchase rate", "%", "increase", 76, 86, "interaction", "shopping", 0.6),
    ("Days to purchase", "days", "decrease", 21, 14, "interaction", "shopping", 0.8),
    ("Sharing rate", "per mention", "increase", 0.08, 0.15, "intimacy", "sharing", 0.6),
    ("Net sentiment", "%", "increase", 12, 25, "intimacy", "sharing", 1.0),
    ("Share of voice", "%", "increase", 14, 25, "influence", "sharing", 0.4),
    ("Average review rating", "stars 1–5", "increase", 3.9, 4.4, "intimacy", "advocacy", 0.9),
    ("Net Promoter Score", "−100…100", "increase", 18, 35, "influence", "advocacy", 0.7),
    ("Reviews per 100 buyers", "count", "increase", 2.5, 6, "influence", "advocacy", 1.2),
]


def seed_northwind_plan(*, client: Client) -> None:
    if client.strategy_plans.filter(title=PLAN_TITLE).exists():
        return
    plan = plan_create(client=client, title=PLAN_TITLE)
    scale = {c.key: c for c in plan.engagement_categories.all()}

    def chain(theme: str, objective: str, marketing: list[tuple]) -> dict:
        t = item_create(plan=plan, data=ItemInput.from_values("theme", {"name": theme}))
        so = item_create(
            plan=plan,
            data=ItemInput.from_values(
                "strategic_objective",
                {"theme": t.id, "statement": objective, "owner": "Hannah Berg"},
            ),
        )
        goals = {}
        for statement, journey, stage, goal_list in marketing:
            mo = item_create(
                plan=plan,
                data=ItemInput.from_values(
                    "marketing_objective",
                    {
                        "strategic_objective": so.id,
                        "statement": statement,
                        "journey": journey,
                        "lifecycle_stage": stage,
                        "owner": "Marco Rossi",
                    },
                ),
            )
            for name, category, points, channel in goal_list:
                goals[name] = item_create(
                    plan=plan,
                    data=ItemInput.from_values(
                        "digital_goal",
                        {
                            "marketing_objective": mo.id,
                            "name": name,
                            "category": scale[category],
                            "points": points,
                            "channel": channel,
                        },
                    ),
                )
            goals[statement] = mo
        return goals

    links = {
        **chain(
            "Customer intimacy",
            "Repeat-customer revenue +15% by December 2027",
            [
                (
                    "25% of first-time buyers join the loyalty club within 30 days",
                    "shopping",
                    "post_purchase",
                    [
                        ("Loyalty sign-up", "lead", 30, "web"),
                        ("Repeat purchase", "advocacy", 100, "web"),
                    ],
                ),
                (
                    "Double the reviews per 100 buyers",
                    "advocacy",
                    "post_purchase",
                    [
                        ("Review written", "advocacy", 120, "web"),
                        ("Referral", "advocacy", 200, "email"),
                    ],
                ),
            ],
        ),
        **chain(
            "Omnichannel experience",
            "One experience across web, email and stores",
            [
                (
                    "Lift share of voice to 25% in our category",
                    "sharing",
                    "consideration",
                    [
                        ("Content shared", "interest", 15, "social"),
                        ("Brand followed on social", "awareness", 3, "social"),
                    ],
                ),
                (
                    "Cut days to purchase by a third",
                    "shopping",
                    "evaluation",
                    [
                        ("Newsletter sign-up", "interest", 10, "email"),
                        ("First purchase", "conversion", 60, "web"),
                    ],
                ),
            ],
        ),
    }
    # Left without a marketing objective on purpose: the coverage checks name it.
    item_create(
        plan=plan,
        data=ItemInput.from_values(
            "digital_goal",
            {
                "name": "Store appointment booked",
                "category": scale["lead"],
                "points": 25,
                "channel": "in_store",
            },
        ),
    )
    goal_for = {
        "Visits": "Newsletter sign-up",
        "Bounce rate": "Newsletter sign-up",
        "Pages per visit": "Content shared",
        "Loyalty sign-up rate": "Loyalty sign-up",
        "Value per visit": "First purchase",
        "Repeat purchase rate": "Repeat purchase",
        "Days to purchase": "First purchase",
        "Sharing rate": "Content shared",
        "Net sentiment": "Brand followed on social",
        "Share of voice": "Content shared",
        "Average review rating": "Review written",
        "Net Promoter Score": "Referral",
        "Reviews per 100 buyers": "Review written",
    }
    # Recorded by the demo's segment analysis and listening upload, seeded after the plan.
    insight_fed = {
        "Repeat purchase rate": "repeat_rate",
        "Net sentiment": "net_sentiment",
        "Share of voice": "share_of_voice",
    }
    today = timezone.localdate()
    start, due = today - timedelta(days=200), today + timedelta(days=165)
    measurements = []
    for name, unit, direction, baseline, target, involvement, journey, pace in KPIS:
        kpi = kpi_create(
            plan=plan,
            data=KPIInput.from_values(
                dict(
                    name=name,
                    unit=unit,
                    direction=direction,
                    baseline=Decimal(str(baseline)),
                    target=Decimal(str(target)),
                    start=start,
                    due=due,
                    involvement=involvement,
                    journey=journey,
                    owner="Marco Rossi",
                    digital_goal=links[goal_for[name]].id,
                    insight_metric=insight_fed.get(name, ""),
                )
            ),
        )
        span = (due - start).days
        for month in range(6):
            when = start + timedelta(days=30 * (month + 1))
            expected = (when - start).days / span
            value = baseline + (target - baseline) * expected * pace
            measurements.append(
                Measurement(kpi=kpi, date=when, value=Decimal(str(round(value, 3))))
            )
    Measurement.objects.bulk_create(measurements)
    goal_ids = {name: str(item.id) for name, item in links.items()}
    for name, visits, scale_by in (("Last month", 4000, 1), ("This month", 4400, 1.2)):
        period_save(
            plan=plan,
            name=name,
            visits=visits,
            conversions={
                goal_ids["Newsletter sign-up"]: round(200 * scale_by),
                goal_ids["Loyalty sign-up"]: round(80 * scale_by),
                goal_ids["First purchase"]: round(30 * scale_by),
                goal_ids["Repeat purchase"]: round(12 * scale_by),
                goal_ids["Review written"]: round(5 * scale_by),
            },
        )
    plan_activate(plan=plan)
