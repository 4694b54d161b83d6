import pytest
from rest_framework.test import APIClient

from kpis.models import Measurement
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

KPI = {
    "name": "Loyalty sign-up rate",
    "direction": "increase",
    "baseline": "9",
    "target": "25",
    "start": "2026-01-01",
    "due": "2026-12-31",
}


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


def test_a_chain_from_theme_to_kpi_goes_green_and_the_scorecard_rates_it(api, workspace):
    base = f"/api/v1/workspaces/{workspace.id}/plans/"
    plan = api.post(
        base,
        {"client": str(ClientFactory(workspace=workspace).id), "title": "Plan 2027"},
        format="json",
    ).json()
    p = f"{base}{plan['id']}/"
    theme = api.post(p + "themes/", {"name": "Customer intimacy"}, format="json").json()
    so = api.post(
        p + "strategic-objectives/", {"theme": theme["id"], "statement": "+15%"}, format="json"
    ).json()
    mo = api.post(
        p + "marketing-objectives/",
        {"strategic_objective": so["id"], "statement": "Join the club"},
        format="json",
    ).json()
    goal = api.post(
        p + "digital-goals/",
        {"marketing_objective": mo["id"], "name": "Sign-up", "category": "lead", "points": 30},
        format="json",
    ).json()
    kpi = api.post(p + "kpis/", {**KPI, "digital_goal": goal["id"]}, format="json")
    assert kpi.status_code == 201, kpi.json()
    checks = api.get(f"{base}{plan['id']}/coverage/").json()["checks"]
    assert all(c["ok"] for c in checks), checks
    saved = api.post(
        p + "measurements/",
        {"measurements": [{"kpi": kpi.json()["id"], "date": "2026-06-30", "value": "15.4"}]},
        format="json",
    )
    assert saved.status_code == 201
    card = api.get(f"{base}{plan['id']}/scorecard/").json()["kpis"][0]
    assert (card["status"], card["progress"]) == ("at_risk", 0.4)
    assert api.post(f"{base}{plan['id']}/activate/").json()["status"] == "active"


def test_bad_plan_input_answers_400_naming_the_field_and_saves_nothing(api, workspace):
    base = f"/api/v1/workspaces/{workspace.id}/plans/"
    plan = api.post(
        base, {"client": str(ClientFactory(workspace=workspace).id), "title": "P"}, format="json"
    ).json()
    p = f"{base}{plan['id']}/"
    equal = api.post(p + "kpis/", {**KPI, "target": "9"}, format="json")
    assert equal.status_code == 400
    assert "target" in equal.json()
    early = api.post(p + "kpis/", {**KPI, "due": "2025-01-01"}, format="json")
    assert "due" in early.json()
    other_plan = api.post(
        base, {"client": str(ClientFactory(workspace=workspace).id), "title": "Q"}, format="json"
    ).json()
    foreign = api.post(f"{base}{other_plan['id']}/themes/", {"name": "T"}, format="json").json()
    orphan = api.post(
        p + "strategic-objectives/", {"theme": foreign["id"], "statement": "S"}, format="json"
    )
    assert orphan.status_code == 400
    assert "theme" in orphan.json()
    foreign_kpi = api.post(f"{base}{other_plan['id']}/kpis/", KPI, format="json").json()
    mine = api.post(p + "kpis/", KPI, format="json").json()
    mixed = api.post(
        p + "measurements/",
        {
            "measurements": [
                {"kpi": mine["id"], "date": "2026-02-01", "value": 10},
                {"kpi": foreign_kpi["id"], "date": "2026-02-01", "value": 10},
            ]
        },
        format="json",
    )
    assert mixed.status_code == 400
    assert "measurements" in mixed.json()
    assert not Measurement.objects.exists()  # all or none
