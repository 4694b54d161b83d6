"""ItemInput: the one set of field rules the step forms, the API and scripts share for
the items of the first four steps (themes, strategic and marketing objectives, goals)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from kpis.forms import DigitalGoalForm, StrategicObjectiveForm
from kpis.inputs import ItemInput
from kpis.models import DigitalGoal, StrategicObjective
from kpis.services import item_create, item_update
from tests.kpis.factories import StrategyPlanFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def test_values_are_cleaned_by_the_step_models_fields():
    given = ItemInput.from_values(
        "strategic_objective", {"statement": "  Grow   repeat  revenue ", "due": "2027-06-30"}
    )
    assert given.values == {
        "statement": "Grow repeat revenue",
        "due": date(2027, 6, 30),
    }
    assert given.parent is None
    assert not given.parent_given


def test_every_bad_field_and_every_unknown_name_is_named_at_once():
    with pytest.raises(ValidationError) as caught:
        ItemInput.from_values(
            "digital_goal",
            {"name": "x" * 201, "points": 100_001, "theme": "a", "position": 3},
        )
    assert set(caught.value.message_dict) == {"name", "points", "theme", "position"}


def test_a_new_item_needs_its_title_but_a_change_does_not():
    with pytest.raises(ValidationError) as caught:
        ItemInput.from_values("marketing_objective", {"owner": "Ana"})
    assert set(caught.value.message_dict) == {"statement"}
    change = ItemInput.from_values("marketing_objective", {"owner": "Ana"}, partial=True)
    assert change.given == {"owner"}


def test_a_parent_given_as_none_makes_an_orphan_and_one_not_given_keeps_the_link():
    theme = ThemeFactory()
    objective = item_create(
        plan=theme.plan,
        data=ItemInput.from_values("strategic_objective", {"theme": theme.id, "statement": "Grow"}),
    )
    item_update(
        item=objective,
        data=ItemInput.from_values("strategic_objective", {"owner": "Ana"}, partial=True),
    )
    objective.refresh_from_db()
    assert (objective.theme_id, objective.owner) == (theme.id, "Ana")
    orphaning = ItemInput.from_values("strategic_objective", {"theme": None}, partial=True)
    assert orphaning.parent_given
    item_update(item=objective, data=orphaning)
    objective.refresh_from_db()
    assert objective.theme_id is None


def test_the_form_and_the_api_build_the_same_input(consultant, workspace):
    plan = StrategyPlanFactory(client__workspace=workspace)
    theme = ThemeFactory(plan=plan)
    form = StrategicObjectiveForm(
        {"parent": str(theme.id), "statement": " Grow ", "measure": "", "due": "", "owner": ""},
        plan=plan,
    )
    assert form.is_valid(), form.errors
    expected = ItemInput.from_values(
        "strategic_objective", {"theme": theme.id, "statement": "Grow"}
    )
    built = form.item_input()
    assert (built.parent, built.values["statement"]) == (expected.parent, "Grow")
    api = APIClient()
    api.force_authenticate(consultant)
    url = f"/api/v1/workspaces/{workspace.id}/plans/{plan.id}/strategic-objectives/"
    answer = api.post(url, {"theme": str(theme.id), "statement": " Grow "}, format="json")
    assert answer.status_code == 201, answer.json()
    saved = StrategicObjective.objects.get()
    assert (saved.theme_id, saved.statement) == (theme.id, "Grow")


def test_a_goal_form_gives_its_category_by_key(workspace):
    plan = StrategyPlanFactory(client__workspace=workspace)
    lead = plan.engagement_categories.get(key="lead")
    form = DigitalGoalForm(
        {"name": "Webinar", "category": str(lead.id), "points": "30", "channel": ""}, plan=plan
    )
    assert form.is_valid(), form.errors
    assert form.item_input().values["category"] == "lead"
    goal = item_create(plan=plan, data=form.item_input())
    assert DigitalGoal.objects.get(pk=goal.pk).category == lead
