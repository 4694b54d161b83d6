"""One typed input for campaign plans: a plain field added to the model and CampaignInput
reaches the form, the API, OpenAPI, the campaign page and its PDF without more code."""

import pytest
import yaml
from django.urls import reverse
from rest_framework.test import APIClient

from playbooks.forms import CampaignForm
from playbooks.models import CampaignPlan, Document
from playbooks.services import campaign_save, document_html, document_request
from tests.playbooks.test_pages import FORM

pytestmark = pytest.mark.django_db

SUMMARY = "Double the loyalty club sign-ups from first-time buyers by June."


def test_the_objective_summary_goes_from_the_form_to_the_page_and_the_pdf(
    client, consultant, acme_client
):
    client.force_login(consultant)
    ws = acme_client.workspace_id
    saved = client.post(
        reverse("campaign_create", args=[ws, acme_client.id]),
        {**FORM, "objective_summary": SUMMARY},
    )
    assert saved.status_code == 302
    campaign = CampaignPlan.objects.get()
    assert campaign.objective_summary == SUMMARY
    assert SUMMARY in client.get(saved.url).text
    document = document_request(
        client=acme_client, kind=Document.Kind.CAMPAIGN_PLAN, campaign=campaign, enqueue=False
    )
    html, _shown = document_html(document)
    assert SUMMARY in html


def test_the_objective_summary_is_limited_once_for_the_form_the_api_and_openapi(
    client, consultant, acme_client
):
    too_long = "x" * 301
    form = CampaignForm({**FORM, "objective_summary": too_long})
    assert not form.is_valid()
    assert "objective_summary" in form.errors
    assert (
        form.fieldsets()[0].fields[-1].name == "objective_summary"
    )  # a new field joins the first section
    api = APIClient()
    api.force_authenticate(consultant)
    url = f"/api/v1/workspaces/{acme_client.workspace_id}/campaigns/"
    body = {
        "client": str(acme_client.id),
        "name": "Club",
        "journey": "shopping",
        "lifecycle_stage": "purchase",
    }
    refused = api.post(url, {**body, "objective_summary": too_long}, format="json")
    assert refused.status_code == 400
    assert "objective_summary" in refused.json()
    made = api.post(url, {**body, "objective_summary": SUMMARY}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["objective_summary"] == SUMMARY
    client.force_login(consultant)
    schema = yaml.safe_load(client.get("/api/schema/").content)["components"]["schemas"]
    assert schema["CampaignCreateInRequest"]["properties"]["objective_summary"]["maxLength"] == 300
    assert schema["CampaignOut"]["properties"]["objective_summary"]["maxLength"] == 300


def test_a_name_that_is_no_campaign_field_is_refused_not_dropped(acme_client):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        campaign_save(
            client=acme_client,
            fields={"name": "A", "journey": "shopping", "lifecycle_stage": "purchase", "goal": 1},
        )
    assert "goal" in caught.value.message_dict
    assert not CampaignPlan.objects.exists()
