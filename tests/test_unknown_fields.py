"""A misspelt or foreign field name sent to the API is refused by name (400), never
silently dropped: the client would otherwise believe it was saved."""

import pytest
from rest_framework.test import APIClient

from assessments.models import Action
from kpis.models import KPI, StrategicTheme
from playbooks.models import CampaignPlan
from tests.assessments.factories import open_assessment
from tests.kpis.factories import KPIFactory, StrategyPlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(owner):
    api = APIClient()
    api.force_authenticate(owner)
    return api


def _refused(answer, name: str) -> None:
    assert answer.status_code == 400, answer.content
    assert answer.json()[name] == ["Not a field here."]


def test_plan_items_kpis_campaigns_and_actions_refuse_unknown_names(api, workspace, acme_client):
    plan = StrategyPlanFactory(client=acme_client)
    base = f"/api/v1/workspaces/{workspace.id}"
    _refused(api.post(f"{base}/plans/{plan.id}/themes/", {"name": "T", "nmae": "x"}), "nmae")
    assert not StrategicTheme.objects.exists()
    theme = ThemeFactory(plan=plan, name="Kept")
    _refused(
        api.patch(f"{base}/plans/{plan.id}/themes/{theme.id}/", {"titel": "New"}, format="json"),
        "titel",
    )
    theme.refresh_from_db()
    assert theme.name == "Kept"
    kpi = KPIFactory(plan=plan, owner="Ana")
    _refused(
        api.patch(f"{base}/plans/{plan.id}/kpis/{kpi.id}/", {"ownr": "Bo"}, format="json"),
        "ownr",
    )
    assert KPI.objects.get().owner == "Ana"
    campaign = api.post(
        f"{base}/campaigns/",
        {"client": str(acme_client.id), "name": "C", "budgt": 5},
        format="json",
    )
    _refused(campaign, "budgt")
    assert not CampaignPlan.objects.exists()


def test_roadmap_actions_refuse_unknown_names(api, workspace, acme_client):
    assessment = open_assessment(client=acme_client)
    url = f"/api/v1/workspaces/{workspace.id}/assessments/{assessment.id}/actions/"
    _refused(api.post(url, {"title": "Act", "due": "2027-01-01"}, format="json"), "due")
    assert not Action.objects.exists()
