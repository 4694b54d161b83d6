"""Actions linked to the plan items, KPIs and campaigns they serve: of the same client only
(another client's id is refused, naming the field), shown both ways."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import Action
from tests.factories import ClientFactory
from tests.kpis.factories import (
    DigitalGoalFactory,
    KPIFactory,
    MarketingObjectiveFactory,
    StrategicObjectiveFactory,
    StrategyPlanFactory,
)
from tests.playbooks.factories import CampaignFactory
from tests.workspaces.test_client_hub import _closed

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(acme_client):
    return StrategyPlanFactory(client=acme_client, active=True)


@pytest.fixture
def roadmap(acme_client):
    return _closed(acme_client)


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


def _list_url(assessment):
    return reverse("api-action-list", args=[assessment.client.workspace_id, assessment.id])


def test_the_api_links_an_action_to_items_of_its_client_and_shows_them(
    api, roadmap, plan, acme_client
):
    objective = StrategicObjectiveFactory(plan=plan)
    goal = DigitalGoalFactory(plan=plan)
    kpi = KPIFactory(plan=plan, digital_goal=goal, measurements=0)
    campaign = CampaignFactory(client=acme_client)
    answer = api.post(
        _list_url(roadmap),
        {
            "title": "Win back lapsed members",
            "strategic_objectives": [str(objective.id)],
            "digital_goals": [str(goal.id)],
            "kpis": [str(kpi.id)],
            "campaigns": [str(campaign.id)],
        },
        format="json",
    )
    assert answer.status_code == 201, answer.json()
    body = answer.json()
    assert body["kpis"] == [str(kpi.id)]
    assert body["campaigns"] == [str(campaign.id)]
    assert body["marketing_objectives"] == []
    action = Action.objects.get(title="Win back lapsed members")
    assert list(kpi.roadmap_actions.all()) == [action]
    detail = reverse("api-action-detail", args=[acme_client.workspace_id, roadmap.id, action.id])
    answer = api.patch(detail, {"kpis": []}, format="json")
    assert answer.json()["kpis"] == []
    assert answer.json()["campaigns"] == [str(campaign.id)]  # untouched kinds stay


@pytest.mark.parametrize(
    "field", ["strategic_objectives", "marketing_objectives", "kpis", "campaigns"]
)
def test_another_clients_or_an_unknown_id_is_refused_naming_the_field(
    api, roadmap, workspace, field
):
    other_plan = StrategyPlanFactory(client=ClientFactory(workspace=workspace))
    foreign = {
        "strategic_objectives": lambda: StrategicObjectiveFactory(plan=other_plan),
        "marketing_objectives": lambda: MarketingObjectiveFactory(plan=other_plan),
        "kpis": lambda: KPIFactory(
            plan=other_plan, digital_goal=DigitalGoalFactory(plan=other_plan), measurements=0
        ),
        "campaigns": lambda: CampaignFactory(client=other_plan.client),
    }[field]()
    for bad in ([str(foreign.id)], ["not-a-uuid"], ["00000000-0000-4000-8000-000000000000"]):
        answer = api.post(_list_url(roadmap), {"title": "X", field: bad}, format="json")
        assert answer.status_code == 400
        assert field in answer.json()
    assert not Action.objects.filter(title="X").exists()  # nothing half-saved


def test_links_show_on_the_roadmap_the_kpi_page_the_step_page_and_the_campaign(
    client, consultant, api, roadmap, plan, acme_client
):
    goal = DigitalGoalFactory(plan=plan)
    kpi = KPIFactory(plan=plan, digital_goal=goal, measurements=0)
    campaign = CampaignFactory(client=acme_client)
    api.post(
        _list_url(roadmap),
        {
            "title": "Launch the referral scheme",
            "kpis": [str(kpi.id)],
            "digital_goals": [str(goal.id)],
            "campaigns": [str(campaign.id)],
        },
        format="json",
    )
    client.force_login(consultant)
    ws = acme_client.workspace_id
    page = client.get(reverse("roadmap", args=[ws, roadmap.id])).text
    assert str(kpi) in page
    assert reverse("campaign_detail", args=[ws, campaign.id]) in page
    for url in (
        reverse("plan_kpi", args=[ws, plan.id, kpi.id]),
        reverse("campaign_detail", args=[ws, campaign.id]),
        reverse("plan_step", args=[ws, plan.id, "digital-goals"]),
    ):
        html = client.get(url).text
        assert "Launch the referral scheme" in html, url


def test_the_action_form_offers_the_clients_items_and_saves_the_choice(
    client, consultant, roadmap, plan, acme_client, workspace
):
    objective = StrategicObjectiveFactory(plan=plan)
    foreign = StrategicObjectiveFactory(
        plan=StrategyPlanFactory(client=ClientFactory(workspace=workspace))
    )
    client.force_login(consultant)
    url = reverse("action_create", args=[acme_client.workspace_id, roadmap.id])
    form = client.get(url).text
    assert str(objective.id) in form
    assert str(foreign.id) not in form
    answer = client.post(
        url,
        {
            "title": "Brief the board",
            "status": "open",
            "horizon": "now",
            "strategic_objectives": [str(objective.id)],
        },
    )
    assert answer.status_code == 302
    action = Action.objects.get(title="Brief the board")
    assert list(action.strategic_objectives.all()) == [objective]
