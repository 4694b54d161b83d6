from itertools import pairwise

import pytest
from django.core.management import call_command
from django.urls import reverse

from kpis.models import StrategyPlan
from tests.factories import ClientFactory
from tests.kpis.factories import DigitalGoalFactory, StrategyPlanFactory
from workspaces.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(client):
    call_command("seed_demo")
    client.force_login(User.objects.get(email="viewer@demo.cxmaturity.local"))
    return StrategyPlan.objects.get(status="active", client__name="Northwind Retail")


@pytest.fixture
def own_plan(client, consultant, acme_client):
    """A plan of its own, for the tests that need no demo data; the consultant signed in."""
    client.force_login(consultant)
    return StrategyPlanFactory(client=acme_client, active=True)


def test_plan_page_shows_the_six_steps_and_names_the_orphan(client, plan):
    page = client.get(reverse("plan_detail", args=[plan.client.workspace_id, plan.id]))
    assert page.status_code == 200
    assert "Engagement value scale" in page.text
    assert "Store appointment booked" in page.text
    assert "Make active" not in page.text  # a viewer, and the plan is active anyway
    assert (
        reverse("plan_step", args=[plan.client.workspace_id, plan.id, "digital-goals"]) in page.text
    )


def test_scorecard_groups_by_journey_or_i_with_words_not_colour_alone(client, plan):
    url = reverse("scorecard", args=[plan.client.workspace_id, plan.id])
    by_journey = client.get(url)
    assert [g["label"] for g in by_journey.context["groups"]] == ["Shopping", "Sharing", "Advocacy"]
    assert "Off track" in by_journey.text
    assert "<polyline" in by_journey.text
    by_i = client.get(url + "?by=involvement")
    assert [g["label"] for g in by_i.context["groups"]][:2] == ["Involvement", "Interaction"]


def test_consultant_starts_a_plan_from_the_client_page(client, consultant, workspace):
    client.force_login(consultant)
    fabrikam = ClientFactory(workspace=workspace, name="Fabrikam Travel")
    response = client.post(
        reverse("plan_create", args=[fabrikam.workspace_id, fabrikam.id]),
        {"title": "Fabrikam 2027"},
    )
    created = StrategyPlan.objects.get(title="Fabrikam 2027")
    assert response.url == reverse("plan_detail", args=[fabrikam.workspace_id, created.id])
    assert created.engagement_categories.count() == 5
    refused = client.post(
        reverse("plan_create", args=[fabrikam.workspace_id, fabrikam.id]),
        {"title": ""},
        follow=True,
    )
    assert "Enter a title." in refused.text


def test_consultant_builds_a_chain_step_by_step_and_deletes_with_confirmation(client, own_plan):
    plan = own_plan
    ws = plan.client.workspace_id
    url = reverse("plan_step", args=[ws, plan.id, "themes"])
    assert client.post(url, {"name": "Product leadership"}).status_code == 302
    theme = plan.themes.get(name="Product leadership")
    objectives = reverse("plan_step", args=[ws, plan.id, "strategic-objectives"])
    page = client.get(objectives)
    assert "Orphan" not in page.text  # no objective without a theme yet
    client.post(objectives, {"parent": str(theme.id), "statement": "Launch 3 services"})
    item = plan.strategic_objectives.get(statement="Launch 3 services")
    confirm = client.get(reverse("plan_step_item", args=[ws, plan.id, "themes", theme.id]))
    assert "1 strategic objective" in confirm.text
    client.post(reverse("plan_step_item", args=[ws, plan.id, "themes", theme.id]))
    assert not plan.strategic_objectives.filter(id=item.id).exists()
    empty = client.post(url, {"name": ""})
    assert empty.status_code == 400
    assert "name" in empty.context["form"].errors


def test_consultant_adds_a_kpi_and_records_measurements_by_hand_and_csv(client, own_plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    plan = own_plan
    ws = plan.client.workspace_id
    kpis = reverse("plan_kpis", args=[ws, plan.id])
    goal = DigitalGoalFactory(plan=plan, name="Loyalty sign-up")
    same = client.post(
        kpis,
        {
            "name": "Club joins",
            "direction": "increase",
            "baseline": "5",
            "target": "5",
            "start": "2026-01-01",
            "due": "2026-12-31",
        },
    )
    assert same.status_code == 400
    assert "target" in same.context["form"].errors
    added = client.post(
        kpis,
        {
            "name": "Club joins",
            "direction": "increase",
            "baseline": "5",
            "target": "9",
            "start": "2026-01-01",
            "due": "2026-12-31",
            "digital_goal": str(goal.id),
        },
    )
    assert added.status_code == 302
    kpi = plan.kpis.get(name="Club joins")
    url = reverse("plan_measurements", args=[ws, plan.id])
    client.post(url, {"kpi": str(kpi.id), "date": "2026-06-30", "value": "7"})
    assert kpi.measurements.count() == 1
    bad = SimpleUploadedFile(
        "m.csv", b"kpi,date,value\nClub joins,2026-07-31,8\nClub joins,31/08/2026,9\n"
    )
    refused = client.post(url, {"file": bad})
    assert refused.status_code == 400
    assert "Row 3, date" in refused.text
    assert kpi.measurements.count() == 1
    good = SimpleUploadedFile("m.csv", b"kpi,date,value\nClub joins,2026-07-31,8\n")
    assert client.post(url, {"file": good}).status_code == 302
    assert kpi.measurements.count() == 2


def test_alignment_map_draws_every_item_and_marks_the_orphan(client, plan):
    page = client.get(reverse("alignment_map", args=[plan.client.workspace_id, plan.id]))
    assert page.status_code == 200
    boxes = page.context["map"]["boxes"]
    assert len(boxes) == 2 + 2 + 4 + 9 + 13
    orphans = [b["full"] for b in boxes if b["orphan"]]
    assert orphans == ["Store appointment booked"]
    assert len(page.context["map"]["curves"]) == 2 + 4 + 8 + 13


def test_alignment_map_geometry_has_no_overlap_at_5_themes_and_60_kpis():
    from kpis.charts import alignment_map

    columns = [
        [{"id": f"t{i}", "label": "T", "orphan": False} for i in range(5)],
        [],
        [],
        [],
        [{"id": f"k{i}", "label": "K", "orphan": False} for i in range(60)],
    ]
    chart = alignment_map(columns, [(f"t{i % 5}", f"k{i}") for i in range(60)])
    for column_x in {b["x"] for b in chart["boxes"]}:
        ys = sorted(b["y"] for b in chart["boxes"] if b["x"] == column_x)
        heights = {b["h"] for b in chart["boxes"]}
        assert all(b - a >= max(heights) for a, b in pairwise(ys))
    assert len(chart["curves"]) == 60


def test_simulator_values_a_period_and_compares_two_saved_ones(client, plan):
    client.force_login(User.objects.get(email="consultant@demo.cxmaturity.local"))
    url = reverse("simulator", args=[plan.client.workspace_id, plan.id])
    goal = plan.digital_goals.get(name="Newsletter sign-up")
    page = client.post(url, {"visits": "4000", f"goal-{goal.id}": "200"})
    assert page.context["result"]["engagement_value"] == 2000
    assert page.context["result"]["value_per_visit"] == 0.5
    bad = client.post(url, {"visits": "-1"})
    assert bad.status_code == 400
    periods = list(plan.periods.all())
    assert [p.name for p in periods] == ["Last month", "This month"]
    compared = client.get(url, {"compare": [str(p.id) for p in periods]})
    values = [item["result"]["engagement_value"] for item in compared.context["compared"]]
    assert values[1] > values[0]
    saved = client.post(url, {"visits": "10", "save": "1", "name": "April"})
    assert saved.status_code == 302
    assert plan.periods.filter(name="April", visits=10).exists()


def test_library_suggestions_fill_the_add_forms(client, plan):
    client.force_login(User.objects.get(email="consultant@demo.cxmaturity.local"))
    ws = plan.client.workspace_id
    goals = client.get(
        reverse("plan_step", args=[ws, plan.id, "digital-goals"]), {"from": "loyalty-sign-up"}
    )
    assert goals.context["library"]
    form = goals.context["form"]
    assert (form["name"].value(), form["points"].value()) == ("Loyalty sign-up", 30)
    assert form["category"].value() == plan.engagement_categories.get(key="lead").pk
    kpis = client.get(reverse("plan_kpis", args=[ws, plan.id]), {"from": "visits"})
    assert kpis.context["form"]["unit"].value() == "per month"
    # KPIs for the first priority of Northwind's latest results come first.
    from kpis.selectors import priority_dimensions

    first = priority_dimensions(plan=plan)[0]
    assert first in kpis.context["library"][0]["dimensions"]


def test_an_item_is_edited_and_reparented_within_the_plan(client, plan):
    client.force_login(User.objects.get(email="consultant@demo.cxmaturity.local"))
    ws = plan.client.workspace_id
    orphan = plan.digital_goals.get(name="Store appointment booked")
    objective = plan.marketing_objectives.first()
    url = reverse("plan_step_item_edit", args=[ws, plan.id, "digital-goals", orphan.id])
    page = client.get(url)
    assert page.context["form"]["name"].value() == "Store appointment booked"
    lead = plan.engagement_categories.get(key="lead")
    saved = client.post(
        url,
        {
            "parent": str(objective.id),
            "name": "Store visit booked",
            "category": str(lead.id),
            "points": "25",
        },
    )
    assert saved.status_code == 302
    orphan.refresh_from_db()
    assert (orphan.name, orphan.marketing_objective_id) == ("Store visit booked", objective.id)
    from kpis.selectors import coverage

    assert all(c["ok"] for c in coverage(plan=plan))
    refused = client.post(url, {"name": ""})
    assert refused.status_code == 400


def test_a_kpi_is_edited_with_the_same_checks(client, plan):
    client.force_login(User.objects.get(email="consultant@demo.cxmaturity.local"))
    kpi = plan.kpis.get(name="Visits")
    url = reverse("plan_kpi_edit", args=[plan.client.workspace_id, plan.id, kpi.id])
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["digital_goal"] = str(kpi.digital_goal_id)
    data.update(start=str(kpi.start), due=str(kpi.due), target=str(kpi.baseline))
    same = client.post(url, data)
    assert same.status_code == 400
    assert "target" in same.context["form"].errors
    data["target"] = "250000"
    assert client.post(url, data).status_code == 302
    kpi.refresh_from_db()
    assert kpi.target == 250000


def test_scale_is_saved_only_when_valid_with_each_error_by_its_category(client, own_plan):
    plan = own_plan
    lead = plan.engagement_categories.get(key="lead")
    DigitalGoalFactory(plan=plan, name="Loyalty sign-up", category=lead, points=30)
    url = reverse("plan_scale", args=[plan.client.workspace_id, plan.id])
    ladder = {
        f"{c.key}-{end}": getattr(c, f"{end}_points")
        for c in plan.engagement_categories.all()
        for end in ("min", "max")
    }
    overlapping = client.post(url, {**ladder, "interest-min": "3"})
    assert overlapping.status_code == 400
    row = next(r for r in overlapping.context["rows"] if r["category"].key == "interest")
    assert "above the previous category's maximum" in row["errors"][0]
    outside = client.post(url, {**ladder, "lead-max": "29"})  # loyalty sign-up is 30
    assert "outside category lead" in " ".join(outside.context["other_errors"])
    assert plan.engagement_categories.get(key="lead").max_points == 49  # nothing saved
    assert client.post(url, {**ladder, "advocacy-max": "300"}).status_code == 302
    assert plan.engagement_categories.get(key="advocacy").max_points == 300


def test_simulator_imports_conversions_from_csv_with_errors_by_row(client, plan):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(User.objects.get(email="consultant@demo.cxmaturity.local"))
    url = reverse("simulator", args=[plan.client.workspace_id, plan.id])
    good = SimpleUploadedFile(
        "c.csv", b"goal,conversions\nNewsletter sign-up,200\nfirst purchase,30\n"
    )
    page = client.post(url, {"visits": "4000", "file": good})
    assert page.context["result"]["engagement_value"] == 200 * 10 + 30 * 60
    bad = SimpleUploadedFile("c.csv", b"goal,conversions\nNewsletter sign-up,200\nNope,3\n")
    refused = client.post(url, {"visits": "4000", "file": bad})
    assert refused.status_code == 400
    assert "Row 3, goal" in refused.text
