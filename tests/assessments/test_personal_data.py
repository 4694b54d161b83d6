"""Data-protection requests: a respondent's personal data erased (answers kept, under the
role only, and gone from the audit trail too), and everything held about one email
address exported as JSON."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import Answer
from assessments.results import assessment_results
from assessments.services import answers_save, respondent_add, respondent_submit
from audit.models import AuditEvent
from tests.assessments.factories import open_assessment
from tests.factories import ClientFactory, MembershipFactory, grant_client
from workspaces.models import Role

pytestmark = pytest.mark.django_db


def _answered(acme_client, name="Petra Quist", email="petra.quist@client.example"):
    assessment = open_assessment(client=acme_client, respondents=0)
    respondent = respondent_add(
        assessment=assessment, name=name, email=email, role="marketing", department="Brand"
    )
    respondent.refresh_from_db()
    answers_save(
        respondent=respondent,
        changes={"q1": {"value": "4", "comment": "Petra's view", "evidence": "deck.pdf"}},
    )
    respondent_submit(respondent=respondent)
    return assessment, respondent


def test_erasing_keeps_the_answers_under_the_role_and_forgets_the_person(
    client, consultant, acme_client
):
    assessment, respondent = _answered(acme_client)
    before = assessment_results(assessment)["overall"]["score"]
    ws = acme_client.workspace_id
    url = reverse("respondent_erase", args=[ws, assessment.id, respondent.id])
    client.force_login(consultant)
    assert "cannot be brought back" in client.get(url).text  # a confirmation first
    response = client.post(url, {"comments": "1"})
    assert response.status_code == 302
    respondent.refresh_from_db()
    assert (respondent.name, respondent.email, respondent.department) == (
        "Erased respondent",
        "",
        "",
    )
    assert respondent.erased_at is not None
    assert not respondent.token_hash
    assert respondent.revoked_at is not None
    answer = Answer.objects.get(respondent=respondent)
    assert (answer.value, answer.comment, answer.evidence) == ("4", "", "")
    assert assessment_results(assessment)["overall"]["score"] == before
    page = client.get(assessment.get_absolute_url()).text
    assert "Petra" not in page
    trail = json.dumps(
        list(AuditEvent.objects.values("object_label", "changes")), ensure_ascii=False
    )
    assert "Petra" not in trail
    assert "petra.quist" not in trail
    assert AuditEvent.objects.filter(object_id=str(respondent.id), object_label="Erased respondent")


def test_erasing_through_the_api_may_keep_comments(consultant, acme_client):
    assessment, respondent = _answered(acme_client)
    api = APIClient()
    api.force_authenticate(consultant)
    url = (
        f"/api/v1/workspaces/{acme_client.workspace_id}/assessments/{assessment.id}/"
        f"respondents/{respondent.id}/erase/"
    )
    response = api.post(url, {}, format="json")
    assert response.status_code == 200
    assert response.json()["email"] == ""
    assert response.json()["erased_at"]
    assert Answer.objects.get(respondent=respondent).comment == "Petra's view"
    assert api.post(url, {"comments": "maybe"}, format="json").status_code == 400


def test_client_members_erase_nothing(client, client_viewer, acme_client):
    assessment, respondent = _answered(acme_client)
    client.force_login(client_viewer)
    url = reverse("respondent_erase", args=[acme_client.workspace_id, assessment.id, respondent.id])
    assert client.post(url).status_code == 403
    respondent.refresh_from_db()
    assert respondent.name == "Petra Quist"


def test_everything_about_an_email_downloads_as_json_within_the_members_reach(
    client, consultant, acme_client
):
    _answered(acme_client)
    elsewhere = ClientFactory(workspace=acme_client.workspace, name="Globex")
    _answered(elsewhere)
    member = MembershipFactory(workspace=acme_client.workspace, role=Role.CLIENT)
    member.user.email = "petra.quist@client.example"
    member.user.save()
    grant_client(member, acme_client)
    ws = acme_client.workspace_id
    client.force_login(consultant)
    page = reverse("personal_data", args=[ws])
    assert client.get(page).status_code == 200
    assert client.get(page, {"email": "not-an-email"}).status_code == 400
    response = client.get(page, {"email": "Petra.Quist@client.example"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    found = json.loads(response.content)
    assert {r["client"] for r in found["respondents"]} == {"Northwind", "Globex"}
    assert found["respondents"][0]["answers"][0]["comment"] == "Petra's view"
    assert found["memberships"] == [
        {"role": "client", "name": member.user.name, "since": found["memberships"][0]["since"]}
    ]
    assert found["client_access"][0]["client"] == "Northwind"

    limited = MembershipFactory(
        workspace=acme_client.workspace, role=Role.CONSULTANT, assigned_clients_only=True
    )
    grant_client(limited, elsewhere)
    api = APIClient()
    api.force_authenticate(limited.user)
    answer = api.get(
        f"/api/v1/workspaces/{ws}/personal-data/", {"email": "petra.quist@client.example"}
    )
    assert answer.status_code == 200
    assert {r["client"] for r in answer.json()["respondents"]} == {"Globex"}
    assert "memberships" not in answer.json()
    bad = api.get(f"/api/v1/workspaces/{ws}/personal-data/", {"email": "nope"})
    assert bad.status_code == 400
    assert "email" in bad.json()


def test_the_members_page_leads_to_personal_data_requests(client, consultant, acme_client):
    client.force_login(consultant)
    page = client.get(reverse("member_list", args=[acme_client.workspace_id])).text
    assert reverse("personal_data", args=[acme_client.workspace_id]) in page
