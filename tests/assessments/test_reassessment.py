import pytest
from django.core.management import call_command
from django.urls import reverse

from assessments.inputs import ActionInput
from assessments.models import Assessment
from assessments.results import assessment_compare
from assessments.services import (
    action_update,
    assessment_close,
    assessment_run_again,
    roadmap_suggest,
)
from tests.assessments.factories import default_version, open_assessment
from workspaces.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline():
    call_command("seed_demo")
    baseline = Assessment.objects.get(title="CX maturity baseline 2025")
    baseline.actions.all().delete()  # the demo's accepted roadmap: these tests draft their own
    return baseline


@pytest.fixture
def closed(acme_client):
    """A closed assessment of the full questionnaire with two respondents, none of whom
    answered: what running it again copies needs no results."""
    return assessment_close(
        assessment=open_assessment(client=acme_client, version=default_version(), respondents=2)
    )


def test_run_again_copies_respondents_and_targets_and_links_back(closed):
    baseline = closed
    baseline.targets = {"strategy": 4}
    baseline.save()
    again = assessment_run_again(previous=baseline, created_by=None)
    assert again.previous_id == baseline.id
    assert again.status == Assessment.Status.DRAFT
    assert again.version.questionnaire_id == baseline.version.questionnaire_id
    assert again.targets == {"strategy": 4}
    assert sorted(again.respondents.values_list("email", flat=True)) == sorted(
        baseline.respondents.values_list("email", flat=True)
    )
    assert not again.respondents.filter(submitted_at__isnull=False).exists()


def test_an_open_assessment_cannot_be_run_again(acme_client):
    current = open_assessment(client=acme_client)
    with pytest.raises(Exception, match="Close the assessment"):
        assessment_run_again(previous=current, created_by=None)


def test_compare_shows_what_moved_and_the_actions_done(baseline, client):
    current = Assessment.objects.get(title="CX maturity 2026")
    action = roadmap_suggest(assessment=baseline)[0]
    action_update(action=action, data=ActionInput.from_values({"status": "done"}, partial=True))
    comparison = assessment_compare(current)
    assert comparison["previous"]["title"] == baseline.title
    strategy = next(d for d in comparison["dimensions"] if d["key"] == "strategy")
    assert strategy["change"] == round(strategy["after"] - strategy["before"], 2)
    assert comparison["overall"]["change"] > 0  # the 2026 answers are higher
    assert [a["title"] for a in comparison["actions_done"]] == [action.title]
    client.force_login(User.objects.get(email="viewer@demo.cxmaturity.local"))
    ws = current.client.workspace_id
    page = client.get(reverse("assessment_compare", args=[ws, current.id]))
    assert "What moved" in page.text
    assert "optimisation: reach Align" in page.text


def test_client_page_shows_the_trend_and_dashboard_the_stage(baseline, client):
    client.force_login(User.objects.get(email="viewer@demo.cxmaturity.local"))
    ws = baseline.client.workspace_id
    page = client.get(reverse("client_assessments", args=[ws, baseline.client.id]))
    scores = [a.overall["score"] for a in page.context["assessments"]]
    assert all(s is not None for s in scores)
    assert 'class="trend-line"' in page.text
    assert len(page.context["trend"]["points"]) == 2
    dashboard = client.get(reverse("workspace_dashboard", args=[ws]))
    northwind = next(
        c for c in dashboard.context["page"].object_list if c.name == "Northwind Retail"
    )
    assert northwind.latest_overall["stage_name"]


def test_run_again_through_the_page_and_api(baseline, client):
    from rest_framework.test import APIClient

    consultant = User.objects.get(email="consultant@demo.cxmaturity.local")
    client.force_login(consultant)
    ws = baseline.client.workspace_id
    response = client.post(reverse("assessment_run_again", args=[ws, baseline.id]))
    again = Assessment.objects.get(title=f"Reassessment: {baseline.title}")
    assert response.url == again.get_absolute_url()
    api = APIClient()
    api.force_authenticate(consultant)
    open_one = Assessment.objects.get(title="CX maturity 2026")
    refused = api.post(f"/api/v1/workspaces/{ws}/assessments/{open_one.id}/run-again/")
    assert refused.status_code == 400
    compare = api.get(f"/api/v1/workspaces/{ws}/assessments/{open_one.id}/compare/").json()
    assert compare["overall"]["change"] is not None
