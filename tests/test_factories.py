"""The factories build rows the app could have saved itself, through its services."""

import pytest

from insights.models import SegmentAnalysis
from playbooks.models import Document
from tests.factories import ClientFactory
from tests.insights.factories import SegmentAnalysisFactory
from tests.kpis.factories import DigitalGoalFactory, KPIFactory, StrategyPlanFactory
from tests.playbooks.factories import CampaignFactory, DocumentFactory

pytestmark = pytest.mark.django_db


def test_a_plan_has_the_default_categories_and_can_be_the_active_one():
    plan = StrategyPlanFactory(active=True)
    assert plan.status == "active"
    assert list(plan.engagement_categories.values_list("key", flat=True)) == [
        "awareness",
        "interest",
        "lead",
        "conversion",
        "advocacy",
    ]


def test_a_digital_goal_hangs_from_a_chain_of_the_same_plan():
    goal = DigitalGoalFactory()
    objective = goal.marketing_objective
    assert objective.plan == goal.plan
    assert objective.strategic_objective.plan == goal.plan
    assert objective.strategic_objective.theme.plan == goal.plan


def test_a_kpi_gets_its_measurements_in_date_order():
    kpi = KPIFactory(measurements=3)
    assert [m.date.month for m in kpi.measurements.all()] == [1, 2, 3]
    assert kpi.position == 1


def test_a_campaign_links_the_active_plan_and_has_its_timeline():
    client = ClientFactory()
    plan = StrategyPlanFactory(client=client, active=True)
    campaign = CampaignFactory(client=client, activities=3)
    assert campaign.strategy_plan == plan
    assert campaign.activities.count() == 3


def test_documents_are_numbered_per_client_and_per_campaign():
    campaign = CampaignFactory()
    first, second = DocumentFactory.create_batch(2, client=campaign.client)
    plan_pdf = DocumentFactory(client=campaign.client, campaign=campaign, done=False)
    assert (first.version, second.version) == (1, 2)
    assert (first.kind, first.status) == (Document.Kind.PLAYBOOK, Document.Status.DONE)
    assert (plan_pdf.kind, plan_pdf.version, plan_pdf.status) == ("campaign_plan", 1, "queued")


def test_an_analysis_is_done_with_a_summary():
    analysis = SegmentAnalysisFactory()
    assert analysis.status == SegmentAnalysis.Status.DONE
    assert analysis.summary
    assert analysis.customers == 5
