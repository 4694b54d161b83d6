"""The playbook pre-flight: what the next playbook includes or leaves out (a draft plan, no
campaigns, unaccepted roadmap actions, no closed assessment), each gap with a fix; on its
page before rendering and in the API's answer to a request."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.services import assessment_close, roadmap_suggest
from kpis.models import StrategyPlan
from kpis.services import plan_activate, plan_create
from playbooks.display import playbook_preflight
from playbooks.models import Document
from tests.assessments.factories import open_assessment
from tests.assessments.test_results import _answered
from tests.factories import ClientFactory
from tests.playbooks.factories import CampaignFactory
from tests.playbooks.test_services import _kpi
from workspaces.models import Client, User

pytestmark = pytest.mark.django_db


def _checklist(client) -> dict:
    return {item["key"]: item for item in playbook_preflight(client)}


def test_a_client_with_nothing_yet_has_every_part_left_out_with_a_way_to_start(acme_client):
    items = _checklist(acme_client)
    assert list(items) == ["assessment", "plan", "campaigns"]
    assert {i["status"] for i in items.values()} == {"left_out"}
    assert "No assessment" in items["assessment"]["text"]
    assert items["assessment"]["fix"]["url"].endswith(f"{acme_client.id}/assessments/new/")
    assert items["plan"]["fix"]["label"] == "Start a strategy plan"
    assert items["campaigns"]["fix"]["url"].endswith(f"{acme_client.id}/campaigns/")


def test_a_draft_plan_is_named_as_left_out_with_an_activate_button(acme_client):
    plan = plan_create(client=acme_client, title="Plan 2027")
    plan.status = StrategyPlan.Status.DRAFT
    plan.save(update_fields=["status"])
    item = _checklist(acme_client)["plan"]
    assert item["status"] == "left_out"
    assert "“Plan 2027” is a draft" in item["text"]
    assert "KPIs will be left out" in item["text"]
    assert item["fix"]["method"] == "post"
    assert item["fix"]["action"] == f"activate:{plan.id}"
    assert item["fix"]["url"] == reverse(
        "document_preflight", args=[acme_client.workspace_id, acme_client.id]
    )


def test_an_active_plan_goes_in_and_one_without_kpis_is_noted(acme_client):
    plan = plan_create(client=acme_client, title="Plan 2027")
    plan_activate(plan=plan)
    empty = _checklist(acme_client)["plan"]
    assert empty["status"] == "note"
    assert "no KPIs yet" in empty["text"]
    assert empty["fix"]["url"].endswith(f"/plans/{plan.id}/kpis/")
    _kpi(plan)
    item = _checklist(acme_client)["plan"]
    assert item["status"] == "included"
    assert "(1 KPIs)" in item["text"]
    assert item["fix"] is None


def test_campaigns_go_in_once_there_is_one(acme_client):
    CampaignFactory(client=acme_client)
    item = _checklist(acme_client)["campaigns"]
    assert item["status"] == "included"
    assert item["fix"] is None


def test_an_open_assessment_is_noted_and_unaccepted_roadmap_actions_left_out():
    assessment = open_assessment(respondents=0)
    client = assessment.client
    nobody = _checklist(client)
    assert nobody["assessment"]["status"] == "left_out"
    assert "Nobody has submitted" in nobody["assessment"]["text"]
    assert "roadmap" not in nobody
    _answered(assessment, 2)
    items = _checklist(client)
    assert items["assessment"]["status"] == "note"
    assert "No closed assessment" in items["assessment"]["text"]
    assert items["assessment"]["fix"]["url"] == assessment.get_absolute_url()
    assert items["roadmap"]["status"] == "left_out"
    assert "No roadmap actions" in items["roadmap"]["text"]
    suggested = roadmap_suggest(assessment=assessment)
    assert suggested
    items = _checklist(client)
    assert items["roadmap"]["status"] == "left_out"
    assert (
        f"{len(suggested)} suggested roadmap actions are not accepted" in items["roadmap"]["text"]
    )
    assert items["roadmap"]["fix"]["label"] == "Accept roadmap"
    assert items["roadmap"]["fix"]["url"].endswith(f"/assessments/{assessment.id}/roadmap/")
    assessment.actions.update(accepted=True)
    assessment_close(assessment=assessment)
    items = _checklist(client)
    assert items["assessment"]["status"] == "included"
    assert items["roadmap"]["status"] == "included"


def test_roles_only_results_not_yet_released_are_left_out():
    assessment = open_assessment(respondents=0, anonymity="roles")
    _answered(assessment, 2)
    item = _checklist(assessment.client)["assessment"]
    assert item["status"] == "left_out"
    assert "roles-only" in item["text"]


def test_the_demo_playbook_has_everything_in_with_an_accepted_roadmap():
    call_command("seed_demo")
    call_command("seed_demo")
    northwind = Client.objects.get(name="Northwind Retail")
    items = _checklist(northwind)
    assert {key: i["status"] for key, i in items.items()} == {
        "assessment": "included",
        "roadmap": "included",
        "plan": "included",
        "campaigns": "included",
    }
    baseline = northwind.assessments.get(title="CX maturity baseline 2025")
    assert baseline.actions.count() >= 3
    assert not baseline.actions.filter(accepted=False).exists()


# --- The page ----------------------------------------------------------------------------


def _url(client_row):
    return reverse("document_preflight", args=[client_row.workspace_id, client_row.id])


def test_the_playbooks_page_leads_to_the_preflight_which_renders_on_confirm(
    client, consultant, acme_client
):
    client.force_login(consultant)
    ws = acme_client.workspace_id
    listing = client.get(reverse("document_list", args=[ws, acme_client.id]))
    assert _url(acme_client) in listing.text
    page = client.get(_url(acme_client))
    assert page.status_code == 200
    assert "Before the playbook is made" in page.text
    assert "No strategy plan" in page.text
    assert "Render playbook" in page.text
    assert Document.objects.count() == 0  # looking renders nothing
    made = client.post(_url(acme_client), {"page_size": "letter"})
    document = Document.objects.get()
    assert made.status_code == 302
    assert made.url == reverse("document_detail", args=[ws, document.id])
    assert (document.kind, document.page_size) == ("playbook", "letter")


def test_activate_the_plan_from_the_preflight(client, consultant, acme_client):
    plan = plan_create(client=acme_client, title="Plan 2027")
    client.force_login(consultant)
    page = client.get(_url(acme_client))
    assert f'value="activate:{plan.id}"' in page.text
    fixed = client.post(_url(acme_client), {"fix": f"activate:{plan.id}"})
    assert fixed.status_code == 302
    assert fixed.url == _url(acme_client)
    plan.refresh_from_db()
    assert plan.status == StrategyPlan.Status.ACTIVE
    assert Document.objects.count() == 0
    assert "Activate the plan" not in client.get(_url(acme_client)).text


@pytest.mark.parametrize("fix", ["activate:not-a-uuid", "delete:x", ""])
def test_an_unknown_fix_is_refused_naming_the_field(client, consultant, acme_client, fix):
    plan = plan_create(client=acme_client, title="Plan 2027")
    client.force_login(consultant)
    answer = client.post(_url(acme_client), {"fix": fix})
    assert answer.status_code == 400
    assert "fix" in answer.content.decode()
    plan.refresh_from_db()
    assert plan.status == StrategyPlan.Status.DRAFT


def test_another_clients_plan_cannot_be_activated_from_this_preflight(
    client, consultant, acme_client
):
    other = ClientFactory(workspace=acme_client.workspace)
    plan = plan_create(client=other, title="Theirs")
    client.force_login(consultant)
    answer = client.post(_url(acme_client), {"fix": f"activate:{plan.id}"})
    assert answer.status_code == 404
    plan.refresh_from_db()
    assert plan.status == StrategyPlan.Status.DRAFT


def test_a_bad_page_size_is_refused_and_nothing_is_made(client, consultant, acme_client):
    client.force_login(consultant)
    answer = client.post(_url(acme_client), {"page_size": "A0"})
    assert answer.status_code == 400
    assert "page_size" in answer.text or "valid choice" in answer.text
    assert Document.objects.count() == 0


def test_a_viewer_sees_no_way_to_the_preflight_and_is_refused_it(client, viewer, acme_client):
    client.force_login(viewer)
    listing = client.get(reverse("document_list", args=[acme_client.workspace_id, acme_client.id]))
    assert _url(acme_client) not in listing.text
    assert client.get(_url(acme_client)).status_code == 403
    assert client.post(_url(acme_client), {"page_size": "a4"}).status_code == 403
    assert Document.objects.count() == 0


# --- The API -----------------------------------------------------------------------------


def test_the_api_answers_a_playbook_request_with_the_same_checklist(consultant, acme_client):
    plan = plan_create(client=acme_client, title="Plan 2027")
    api = APIClient()
    api.force_authenticate(User.objects.get(id=consultant.id))
    url = reverse("api-document-list", args=[acme_client.workspace_id])
    answer = api.post(url, {"client": str(acme_client.id), "kind": "playbook"}, format="json")
    assert answer.status_code == 202
    checklist = answer.json()["preflight"]
    expected = playbook_preflight(acme_client)
    assert [(i["key"], i["status"], i["text"]) for i in checklist] == [
        (i["key"], i["status"], i["text"]) for i in expected
    ]
    plan_item = next(i for i in checklist if i["key"] == "plan")
    assert plan_item["fix"]["method"] == "post"
    assert plan_item["fix"]["action"] == f"activate:{plan.id}"
    assert plan_item["fix"]["url"].startswith("http")
    detail = api.get(
        reverse("api-document-detail", args=[acme_client.workspace_id, answer.json()["id"]])
    )
    assert detail.json()["preflight"] is None


def test_the_api_refuses_a_bad_request_naming_the_field_and_makes_nothing(consultant, acme_client):
    api = APIClient()
    api.force_authenticate(User.objects.get(id=consultant.id))
    url = reverse("api-document-list", args=[acme_client.workspace_id])
    answer = api.post(url, {"client": str(acme_client.id), "kind": "poster"}, format="json")
    assert answer.status_code == 400
    assert "kind" in answer.json()
    assert Document.objects.count() == 0
