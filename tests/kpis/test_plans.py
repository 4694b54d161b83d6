from datetime import date

import pytest
from django.core.exceptions import ValidationError

from kpis.inputs import ItemInput, KPIInput
from kpis.models import KPI, Measurement, StrategyPlan
from kpis.selectors import coverage, engagement_scale, scorecard
from kpis.services import (
    item_create,
    kpi_create,
    measurement_add,
    measurements_import_csv,
    plan_activate,
    plan_create,
)
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

KPI_FIELDS = {
    "name": "Loyalty sign-up rate",
    "unit": "%",
    "direction": "increase",
    "baseline": "9",
    "target": "25",
    "start": date(2026, 1, 1),
    "due": date(2026, 12, 31),
    "involvement": "interaction",
    "journey": "shopping",
}


@pytest.fixture
def plan():
    return plan_create(client=ClientFactory(), title="Northwind 2027")


def _item(plan, step, **values):
    return item_create(plan=plan, data=ItemInput.from_values(step, values))


def _chain(plan):
    theme = _item(plan, "theme", name="Customer intimacy")
    objective = _item(
        plan,
        "strategic_objective",
        theme=theme.id,
        statement="Repeat-customer revenue +15% by Dec 2027",
    )
    marketing = _item(
        plan,
        "marketing_objective",
        strategic_objective=objective.id,
        statement="25% of first-time buyers join the loyalty club",
    )
    lead = plan.engagement_categories.get(key="lead")
    goal = _item(
        plan,
        "digital_goal",
        marketing_objective=marketing.id,
        name="Loyalty sign-up",
        points=30,
        category=lead,
    )
    kpi = kpi_create(plan=plan, data=KPIInput.from_values({**KPI_FIELDS, "digital_goal": goal.id}))
    return theme, objective, marketing, goal, kpi


def test_a_new_plan_has_the_default_engagement_ladder(plan):
    ladder = list(plan.engagement_categories.values_list("key", "min_points", "max_points"))
    assert ladder == [
        ("awareness", 0, 4),
        ("interest", 5, 19),
        ("lead", 20, 49),
        ("conversion", 50, 99),
        ("advocacy", 100, 250),
    ]
    assert engagement_scale(plan=plan)["valid"]


def test_only_one_active_plan_per_client(plan):
    other = plan_create(client=plan.client, title="Alternative")
    plan_activate(plan=plan)
    plan_activate(plan=other)
    plan.refresh_from_db()
    assert (plan.status, other.status) == ("draft", "active")


def test_coverage_goes_green_along_a_complete_chain_and_names_orphans(plan):
    _item(plan, "theme", name="Operational excellence")
    checks = {c["key"]: c for c in coverage(plan=plan)}
    assert checks["themes"]["orphans"] == ["Operational excellence"]
    _chain(plan)
    checks = {c["key"]: c for c in coverage(plan=plan)}
    assert checks["themes"]["orphans"] == ["Operational excellence"]
    assert all(
        checks[k]["ok"]
        for k in ("strategic_objectives", "marketing_objectives", "points", "kpis", "orphans")
    )


def test_a_parent_from_another_plan_or_workspace_is_refused(plan):
    other = plan_create(client=ClientFactory(), title="Elsewhere")
    foreign = _item(other, "theme", name="Not yours")
    with pytest.raises(ValidationError) as caught:
        _item(plan, "strategic_objective", theme=foreign.id, statement="X")
    assert "theme" in caught.value.message_dict
    assert not plan.strategic_objectives.exists()
    with pytest.raises(ValidationError) as caught:
        kpi_create(
            plan=plan, data=KPIInput.from_values({**KPI_FIELDS, "digital_goal": "not-a-uuid"})
        )
    assert "digital_goal" in caught.value.message_dict


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"target": "9"}, "target"),
        ({"target": "5"}, "target"),
        ({"due": date(2025, 12, 31)}, "due"),
    ],
)
def test_kpi_that_could_not_be_rated_is_refused_naming_the_field(plan, changes, field):
    with pytest.raises(ValidationError) as caught:
        kpi_create(plan=plan, data=KPIInput.from_values({**KPI_FIELDS, **changes}))
    assert field in caught.value.message_dict
    assert not KPI.objects.exists()


def test_scorecard_status_follows_measurements_and_flags_stale_ones(plan):
    *_, kpi = _chain(plan)
    row = scorecard(plan=plan, today=date(2026, 7, 1))[0]
    assert (row["status"], row["stale"]) == ("no_data", True)
    measurement_add(kpi=kpi, date="2026-06-30", value="15.4")
    row = scorecard(plan=plan, today=date(2026, 7, 1))[0]
    assert (row["status"], row["stale"]) == ("at_risk", False)
    assert row["progress"] == 0.4
    assert scorecard(plan=plan, today=date(2026, 9, 1))[0]["stale"] is True


def test_measurements_csv_with_a_bad_date_on_row_3_adds_nothing(plan):
    *_, kpi = _chain(plan)
    text = (
        "kpi,date,value\nLoyalty sign-up rate,2026-02-28,10\nLoyalty sign-up rate,31/03/2026,11\n"
    )
    with pytest.raises(ValidationError) as caught:
        measurements_import_csv(plan=plan, data=text)
    assert caught.value.message_dict["file"] == ["Row 3, date: Enter a date as YYYY-MM-DD."]
    assert not Measurement.objects.exists()
    ok = f"kpi,date,value\nloyalty sign-up rate,2026-02-28,10\n{kpi.id},2026-03-31,11\n"
    assert len(measurements_import_csv(plan=plan, data=ok)) == 2


def test_measurement_for_a_kpi_of_another_workspace_is_refused(plan):
    other = plan_create(client=ClientFactory(), title="Elsewhere")
    foreign = kpi_create(plan=other, data=KPIInput.from_values(KPI_FIELDS))
    text = f"kpi,date,value\n{foreign.id},2026-02-28,10\n"
    with pytest.raises(ValidationError, match="no KPI of this plan"):
        measurements_import_csv(plan=plan, data=text)
    assert StrategyPlan.objects.count() == 2
    assert not Measurement.objects.exists()


def test_points_outside_their_category_are_refused_and_older_ones_reported_by_the_scale(plan):
    from django.core.exceptions import ValidationError

    from kpis.models import DigitalGoal

    lead = plan.engagement_categories.get(key="lead")
    with pytest.raises(ValidationError) as refused:
        _item(plan, "digital_goal", name="Webinar", points=80, category=lead)
    assert refused.value.message_dict == {"points": ["Lead takes points from 20 to 49."]}
    assert not DigitalGoal.objects.exists()
    # A goal saved before points were checked on save is still named by the scale's check.
    DigitalGoal.objects.create(plan=plan, name="Webinar", points=80, category=lead)
    scale = engagement_scale(plan=plan)
    assert not scale["valid"]
    assert scale["errors"] == ["Goal Webinar: 80 points lie outside category lead (20–49)."]


def test_deleting_an_item_says_what_goes_with_it_and_leaves_kpis_as_orphans(plan):
    from kpis.services import item_delete, item_dependents

    theme, _objective, _marketing, _goal, kpi = _chain(plan)
    assert item_dependents(item=theme) == {
        "strategic_objectives": 1,
        "marketing_objectives": 1,
        "digital_goals": 1,
        "kpis_orphaned": 1,
    }
    item_delete(item=theme)
    kpi.refresh_from_db()
    assert kpi.digital_goal_id is None
    checks = {c["key"]: c for c in coverage(plan=plan)}
    assert checks["kpis"]["orphans"] == ["Loyalty sign-up rate"]


def test_items_are_reordered_and_reparented_within_the_plan(plan):
    from kpis.services import item_move, item_update

    first = _item(plan, "theme", name="A")
    second = _item(plan, "theme", name="B")
    item_move(item=second, offset=-1)
    assert list(plan.themes.order_by("position").values_list("name", flat=True)) == ["B", "A"]
    objective = _item(plan, "strategic_objective", theme=first.id, statement="S")
    item_update(
        item=objective,
        data=ItemInput.from_values(
            "strategic_objective", {"theme": second.id, "statement": "S2"}, partial=True
        ),
    )
    objective.refresh_from_db()
    assert (objective.theme_id, objective.statement) == (second.id, "S2")
    other = plan_create(client=ClientFactory(), title="Other")
    foreign = _item(other, "theme", name="F")
    with pytest.raises(ValidationError):
        item_update(
            item=objective,
            data=ItemInput.from_values("strategic_objective", {"theme": foreign.id}, partial=True),
        )
