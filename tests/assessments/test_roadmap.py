from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from assessments.inputs import ActionInput
from assessments.models import Action, Assessment
from assessments.selectors import action_list
from assessments.services import action_create, action_move, roadmap_suggest
from tests.assessments.factories import default_version, open_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def northwind():
    call_command("seed_demo")
    baseline = Assessment.objects.get(title="CX maturity baseline 2025")
    baseline.actions.all().delete()  # the demo's accepted roadmap: these tests draft their own
    return baseline


@pytest.fixture
def assessment(acme_client):
    """An open assessment of the full questionnaire, for tests that need no results."""
    return open_assessment(client=acme_client, version=default_version(), respondents=0)


def test_suggestions_follow_priority_into_now_next_later_and_are_not_repeated(northwind):
    created = roadmap_suggest(assessment=northwind)
    assert len(created) == 7  # every dimension of the baseline has a gap
    horizons = [a.horizon for a in action_list(assessment=northwind)]
    assert horizons == ["now"] * 2 + ["next"] * 2 + ["later"] * 3
    first = action_list(assessment=northwind)[0]
    assert first.dimension_key == "testing_optimisation"  # priority 1 in the seeded results
    assert first.title == "Testing & optimisation: reach Align"
    assert first.description  # the questionnaire's guidance for stage 3
    assert roadmap_suggest(assessment=northwind) == []


def test_move_swaps_neighbours_within_a_horizon(assessment):
    northwind = assessment
    a = action_create(
        assessment=northwind, data=ActionInput.from_values({"title": "A", "horizon": "now"})
    )
    b = action_create(
        assessment=northwind, data=ActionInput.from_values({"title": "B", "horizon": "now"})
    )
    action_move(action=b, offset=-1)
    assert [x.title for x in action_list(assessment=northwind)] == ["B", "A"]
    action_move(action=b, offset=-1)  # already first: nothing moves
    assert [x.title for x in action_list(assessment=northwind)] == ["B", "A"]
    assert a.id != b.id


def test_consultant_adds_edits_and_finishes_an_action(client, consultant, assessment):
    northwind = assessment
    client.force_login(consultant)
    ws = northwind.client.workspace_id
    response = client.post(
        reverse("action_create", args=[ws, northwind.id]),
        {
            "title": "Name a digital owner",
            "dimension_key": "strategy",
            "owner_name": "Hannah Berg",
            "due_date": (timezone.localdate() + timedelta(days=120)).isoformat(),
            "status": "open",
            "horizon": "now",
        },
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Name a digital owner")
    client.post(reverse("action_quick", args=[ws, northwind.id, action.id]), {"status": "done"})
    action.refresh_from_db()
    assert action.status == "done"
    assert action.done_at is not None
    page = client.get(reverse("roadmap", args=[ws, northwind.id]) + "?view=board")
    assert "Name a digital owner" in page.text
    assert "In progress" in page.text


def test_bad_due_date_is_refused_naming_the_field(client, northwind):
    from workspaces.models import User

    consultant = User.objects.get(email="consultant@demo.cxmaturity.local")
    client.force_login(consultant)
    ws = northwind.client.workspace_id
    response = client.post(
        reverse("action_create", args=[ws, northwind.id]),
        {"title": "X", "due_date": "31/02/2027", "status": "open", "horizon": "now"},
    )
    assert response.status_code == 400
    assert "due_date" in response.context["form"].errors
    api = APIClient()
    api.force_authenticate(consultant)
    url = f"/api/v1/workspaces/{ws}/assessments/{northwind.id}/actions/"
    bad = api.post(url, {"title": "X", "due_date": "next week"}, format="json")
    assert bad.status_code == 400
    assert "due_date" in bad.json()
    assert not Action.objects.exists()
    suggested = api.post(url + "suggest/")
    assert suggested.status_code == 201
    assert len(suggested.json()) == 7


def test_viewer_reads_the_roadmap_without_edit_controls(client, northwind):
    from workspaces.models import User

    roadmap_suggest(assessment=northwind)
    client.force_login(User.objects.get(email="viewer@demo.cxmaturity.local"))
    page = client.get(reverse("roadmap", args=[northwind.client.workspace_id, northwind.id]))
    assert page.status_code == 200
    assert "reach Align" in page.text
    assert "Add an action" not in page.text


def test_each_card_shows_its_next_step_and_keeps_the_rest_in_one_menu(client, northwind):
    import re

    from workspaces.models import User

    roadmap_suggest(assessment=northwind)
    northwind.actions.update(accepted=True)  # a suggestion also shows "Accept" until then
    started = northwind.actions.order_by("position").first()
    started.status = "in_progress"
    started.save(update_fields=["status"])
    client.force_login(User.objects.get(email="consultant@demo.cxmaturity.local"))
    page = client.get(reverse("roadmap", args=[northwind.client.workspace_id, northwind.id]))
    cards = re.findall(r'class="row-actions">(.*?)</form>', page.text, flags=re.S)
    assert len(cards) == northwind.actions.count() == 7
    nexts = set()
    for card in cards:
        before, menu = card.split('<details class="row-menu">')
        shown = re.findall(r"<button[^>]*>([^<]+)</button>", before)
        assert len(shown) == 1  # the next step: Start, or Done once started
        nexts.add(shown[0])
        inside = set(re.findall(r"<(?:button|a)[^>]*>([^<]+)</(?:button|a)>", menu))
        assert {"Move up", "Move down", "Drop", "Delete…"} <= inside
    assert nexts == {"Start", "Done"}
