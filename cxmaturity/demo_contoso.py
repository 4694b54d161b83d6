"""The demo's second client, Contoso Insurance, with data of its own (a closed roles-only
assessment, an active plan with KPIs, a campaign and a playbook), so that client-scoped
access is visible: Northwind's client viewer sees none of it."""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from assessments.inputs import AssessmentInput
from assessments.models import Assessment
from assessments.services import (
    answers_save,
    assessment_close,
    assessment_create,
    assessment_open,
    respondent_add,
    respondent_invite,
    respondent_submit,
)
from kpis.inputs import ItemInput, KPIInput
from kpis.models import Measurement
from kpis.services import item_create, kpi_create, plan_activate, plan_create
from playbooks.models import CampaignPlan
from playbooks.services import campaign_from_library
from workspaces.models import Client, User

from .demo_assessments import _answers, default_questionnaire
from .demo_playbooks import seed_playbook

ASSESSMENT_TITLE = "Contoso CX maturity 2026"
PLAN_TITLE = "Contoso CX plan 2027"
# Roles only: the client team sees counts while it runs, and the results once it has
# closed with four submissions.
PEOPLE = [
    ("Astrid Holm", "a.holm@contoso.example", "executive", "Board", (3, 2, 3, 2, 2, 2, 3)),
    ("Jonas Berg", "j.berg@contoso.example", "marketing", "Marketing", (3, 3, 3, 4, 2, 3, 2)),
    ("Mette Dahl", "m.dahl@contoso.example", "service", "Claims", (2, 2, 2, 2, 1, 2, 2)),
    ("Olli Virta", "o.virta@contoso.example", "it", "IT", (3, 3, 2, 4, 2, 3, 3)),
]
KPIS = [
    # name, unit, direction, baseline, target
    ("Online quote completion", "%", "increase", 31, 45),
    ("Claims NPS", "−100…100", "increase", 4, 20),
    ("Email-to-web journeys", "per month", "increase", 1200, 2500),
]


def seed_contoso(*, client: Client, consultant: User) -> None:
    version = default_questionnaire()
    assessment = client.assessments.filter(title=ASSESSMENT_TITLE).first()
    if assessment is None:
        assessment = assessment_create(
            client=client,
            data=AssessmentInput.from_values(
                {
                    "version": version,
                    "title": ASSESSMENT_TITLE,
                    "anonymity": Assessment.Anonymity.ROLES,
                    "purpose": "Where Contoso's customer experience stands across claims "
                    "and sales.",
                }
            ),
            created_by=consultant,
        )
        people = [
            respondent_add(
                assessment=assessment, name=name, email=email, role=role, department=dept
            )
            for name, email, role, dept, _levels in PEOPLE
        ]
        assessment = assessment_open(assessment=assessment)
        for respondent, person in zip(people, PEOPLE, strict=True):
            respondent = respondent_invite(respondent=respondent)
            answers_save(respondent=respondent, changes=_answers(version, person[0], person[4]))
            respondent_submit(respondent=respondent)
        assessment_close(assessment=assessment)
    _plan(client)
    if not client.campaigns.exists():
        campaign = campaign_from_library(client=client, dimension_key="channels", stage=2)
        campaign.owner, campaign.status, campaign.currency = (
            "Jonas Berg",
            CampaignPlan.Status.APPROVED,
            "EUR",
        )
        campaign.save(update_fields=["owner", "status", "currency"])
    seed_playbook(client=client, requested_by=consultant)


def _plan(client: Client) -> None:
    if client.strategy_plans.filter(title=PLAN_TITLE).exists():
        return
    plan = plan_create(client=client, title=PLAN_TITLE)
    scale = {c.key: c for c in plan.engagement_categories.all()}
    theme = item_create(
        plan=plan, data=ItemInput.from_values("theme", {"name": "Claims without friction"})
    )
    objective = item_create(
        plan=plan,
        data=ItemInput.from_values(
            "strategic_objective",
            {
                "theme": theme.id,
                "statement": "Half of all claims settled online by 2027",
                "owner": "Astrid Holm",
            },
        ),
    )
    marketing = item_create(
        plan=plan,
        data=ItemInput.from_values(
            "marketing_objective",
            {
                "strategic_objective": objective.id,
                "statement": "Move quote and claim journeys from email to the web",
                "journey": "shopping",
                "lifecycle_stage": "evaluation",
                "owner": "Jonas Berg",
            },
        ),
    )
    goal = item_create(
        plan=plan,
        data=ItemInput.from_values(
            "digital_goal",
            {
                "marketing_objective": marketing.id,
                "name": "Online quote completed",
                "category": scale["conversion"],
                "points": 60,
                "channel": "web",
            },
        ),
    )
    today = timezone.localdate()
    start, due = today - timedelta(days=120), today + timedelta(days=245)
    measurements = []
    for name, unit, direction, baseline, target in KPIS:
        kpi = kpi_create(
            plan=plan,
            data=KPIInput.from_values(
                dict(
                    name=name,
                    unit=unit,
                    direction=direction,
                    baseline=Decimal(baseline),
                    target=Decimal(target),
                    start=start,
                    due=due,
                    journey="shopping",
                    owner="Jonas Berg",
                    digital_goal=goal.id,
                )
            ),
        )
        for month in range(3):
            value = baseline + (target - baseline) * (month + 1) / 12
            measurements.append(
                Measurement(
                    kpi=kpi,
                    date=start + timedelta(days=30 * (month + 1)),
                    value=Decimal(str(round(value, 2))),
                )
            )
    Measurement.objects.bulk_create(measurements)
    plan_activate(plan=plan)
