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


def _plan_with_goal(api, workspace, points=30):
    base = f"/api/v1/workspaces/{workspace.id}/plans/"
    plan = api.post(
        base, {"client": str(ClientFactory(workspace=workspace).id), "title": "P"}, format="json"
    ).json()
    p = f"{base}{plan['id']}/"
    goal = api.post(
        p + "digital-goals/", {"name": "Sign-up", "category": "lead", "points": points}
    ).json()
    return p, goal


def test_the_scale_is_read_and_changed_only_as_a_valid_whole(api, workspace):
    p, goal = _plan_with_goal(api, workspace)
    scale = api.get(p + "scale/").json()
    assert [c["key"] for c in scale["categories"]] == [
        "awareness",
        "interest",
        "lead",
        "conversion",
        "advocacy",
    ]
    assert scale["goals"][0] == {
        "id": goal["id"],
        "name": "Sign-up",
        "category": "lead",
        "points": 30,
    }
    assert scale["validation"]["valid"] is True

    overlapping = api.put(
        p + "scale/",
        {"categories": [{"key": "interest", "min_points": 5, "max_points": 25}]},
        format="json",
    )
    assert overlapping.status_code == 400
    assert "interest" in overlapping.json() or "lead" in overlapping.json()
    outside = api.put(
        p + "scale/",
        {"categories": [{"key": "lead", "min_points": 35, "max_points": 49}]},
        format="json",
    )
    assert outside.status_code == 400, outside.json()
    unknown = api.put(
        p + "scale/",
        {"categories": [{"key": "delight", "min_points": 0, "max_points": 4}]},
        format="json",
    )
    assert unknown.status_code == 400
    assert "delight" in str(unknown.json()["categories"])
    unchanged = {c["key"]: c for c in api.get(p + "scale/").json()["categories"]}
    assert (unchanged["interest"]["max_points"], unchanged["lead"]["min_points"]) == (19, 20)

    widened = api.put(
        p + "scale/",
        {
            "categories": [
                {"key": "advocacy", "min_points": 100, "max_points": 300},
                {"key": "lead", "min_points": 20, "max_points": 49},
            ]
        },
        format="json",
    )
    assert widened.status_code == 200, widened.json()
    advocacy = widened.json()["categories"][-1]
    assert (advocacy["key"], advocacy["max_points"]) == ("advocacy", 300)
    open_ended = api.put(
        p + "scale/",
        {"categories": [{"key": "advocacy", "min_points": 100, "max_points": None}]},
        format="json",
    )
    assert "maximum" in str(open_ended.json()["advocacy"])


def test_simulations_are_saved_valued_listed_and_deleted(api, workspace):
    p, goal = _plan_with_goal(api, workspace, points=40)
    made = api.post(
        p + "simulations/",
        {"name": "March 2027", "visits": 200, "conversions": {goal["id"]: 5}},
        format="json",
    )
    assert made.status_code == 201, made.json()
    value = made.json()["engagement_value"]
    assert (value["engagement_value"], value["value_per_visit"]) == (200, 1.0)
    listed = api.get(p + "simulations/").json()
    assert [s["name"] for s in listed] == ["March 2027"]
    one = api.get(f"{p}simulations/{made.json()['id']}/")
    assert one.json()["conversions"] == {goal["id"]: 5}
    assert api.delete(f"{p}simulations/{made.json()['id']}/").status_code == 204
    assert api.get(p + "simulations/").json() == []


def test_bad_simulations_answer_400_naming_the_field_and_save_nothing(api, workspace):
    p, goal = _plan_with_goal(api, workspace)
    _other, foreign_goal = _plan_with_goal(api, workspace)
    cases = [
        ({"name": " ", "visits": 1, "conversions": {}}, "name"),
        ({"name": "A", "visits": -1, "conversions": {}}, "visits"),
        ({"name": "A", "visits": 1, "conversions": {goal["id"]: -2}}, "conversions"),
        ({"name": "A", "visits": 1, "conversions": {foreign_goal["id"]: 2}}, "conversions"),
    ]
    for body, field in cases:
        answer = api.post(p + "simulations/", body, format="json")
        assert answer.status_code == 400, body
        assert field in answer.json(), (body, answer.json())
    assert api.get(p + "simulations/").json() == []
