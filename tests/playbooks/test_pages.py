import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from playbooks.models import CampaignPlan, Document
from playbooks.services import campaign_save, document_request

pytestmark = pytest.mark.django_db

FORM = {
    "name": "Spring loyalty push",
    "status": "draft",
    "journey": "shopping",
    "lifecycle_stage": "post_purchase",
    "channels": ["email", "web"],
    "tactics": "Welcome series\nMember prices",
    "currency": "EUR",
    "total_budget": "5000",
    "attribution": "linear",
    "activity-TOTAL_FORMS": "2",
    "activity-INITIAL_FORMS": "0",
    "activity-0-title": "Welcome emails",
    "activity-0-channel": "email",
    "activity-0-start": "2027-03-01",
    "activity-0-end": "2027-03-31",
    "activity-0-budget": "1200",
}


def _login(client, user):
    client.force_login(user)
    return client


def test_a_consultant_plans_a_campaign_and_sees_its_timeline(client, consultant, acme_client):
    _login(client, consultant)
    ws = acme_client.workspace_id
    empty = client.get(reverse("campaign_list", args=[ws, acme_client.id]))
    assert "No campaign plans yet" in empty.text
    saved = client.post(reverse("campaign_create", args=[ws, acme_client.id]), FORM)
    assert saved.status_code == 302
    campaign = CampaignPlan.objects.get()
    detail = client.get(saved.url)
    assert "Spring loyalty push" in detail.text
    assert 'class="gantt"' in detail.text
    assert "Welcome emails" in detail.text
    assert campaign.activities.get().title == "Welcome emails"
    listed = client.get(reverse("campaign_list", args=[ws, acme_client.id]))
    assert "Spring loyalty push" in listed.text


def test_bad_campaign_form_answers_400_with_the_message_and_saves_nothing(
    client, consultant, acme_client
):
    _login(client, consultant)
    url = reverse("campaign_create", args=[acme_client.workspace_id, acme_client.id])
    over = client.post(url, {**FORM, "total_budget": "100"})
    assert over.status_code == 400
    assert "more than the total budget" in over.text
    backwards = client.post(url, {**FORM, "activity-0-end": "2027-02-01"})
    assert backwards.status_code == 400
    assert "ends before it starts" in backwards.text
    assert not CampaignPlan.objects.exists()


def test_deleting_a_campaign_asks_first_and_says_what_goes(client, consultant, acme_client):
    _login(client, consultant)
    campaign = campaign_save(
        client=acme_client,
        fields={"name": "Old", "journey": "sharing", "lifecycle_stage": "purchase"},
        activities=[{"title": "A", "start": "2027-01-01", "end": "2027-01-02"}],
    )
    url = reverse("campaign_delete", args=[acme_client.workspace_id, campaign.id])
    confirm = client.get(url)
    assert "1 timeline activity" in confirm.text
    assert CampaignPlan.objects.exists()
    assert client.post(url).status_code == 302
    assert not CampaignPlan.objects.exists()


def test_a_viewer_reads_and_downloads_but_cannot_plan(client, viewer, acme_client):
    _login(client, viewer)
    ws = acme_client.workspace_id
    campaign = campaign_save(
        client=acme_client,
        fields={"name": "C", "journey": "advocacy", "lifecycle_stage": "purchase"},
    )
    document = document_request(client=acme_client, kind="playbook")
    assert (
        "Make the playbook"
        not in client.get(reverse("document_list", args=[ws, acme_client.id])).text
    )
    assert client.post(reverse("document_list", args=[ws, acme_client.id])).status_code == 403
    assert client.get(reverse("campaign_edit", args=[ws, campaign.id])).status_code == 403
    # Not ready yet: no download, and the status page refreshes itself.
    status = client.get(reverse("document_detail", args=[ws, document.id]))
    assert "data-refresh-when-done" in status.text
    assert "<progress" in status.text
    assert client.get(reverse("document_download", args=[ws, document.id])).status_code == 404
    document.file.save("x.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    document.status = Document.Status.DONE
    document.save()
    download = client.get(reverse("document_download", args=[ws, document.id]))
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="northwind-playbook-v1.pdf"'
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_requesting_a_playbook_queues_the_next_version(client, consultant, acme_client):
    _login(client, consultant)
    url = reverse("document_list", args=[acme_client.workspace_id, acme_client.id])
    assert client.post(url, {"page_size": "letter"}).status_code == 302
    assert client.post(url, {"page_size": "A3"}).status_code == 400
    document = Document.objects.get()
    assert (document.version, document.page_size, document.status) == (1, "letter", "queued")
    page = client.get(url)
    assert "Make a new version" in page.text
    assert "data-refresh-when-done" in page.text


def test_drafting_from_the_roadmap_needs_a_priority_dimension(client, consultant, acme_client):
    _login(client, consultant)
    url = reverse("campaign_draft", args=[acme_client.workspace_id, acme_client.id])
    refused = client.post(url, {"dimension": "strategy"}, follow=True)
    assert "priority dimensions" in refused.text  # no results yet: nothing to draft from
    assert not CampaignPlan.objects.exists()
