from datetime import date

import pytest
from django.urls import NoReverseMatch, reverse
from rest_framework.test import APIClient

from assessments.services import answers_save, respondent_add, respondent_submit
from kpis.inputs import KPIInput
from kpis.services import kpi_create, plan_activate, plan_create
from playbooks.models import CampaignActivity, CampaignPlan, Document
from playbooks.services import campaign_library
from tests.assessments.factories import open_assessment, small_version
from tests.factories import ClientFactory, MembershipFactory
from workspaces.models import Role

pytestmark = pytest.mark.django_db

ACTIVITIES = [
    {
        "title": "Landing pages",
        "channel": "web",
        "start": "2027-01-04",
        "end": "2027-02-12",
        "owner": "Dana",
        "budget": "6000",
    },
    {"title": "Follow-up emails", "channel": "email", "start": "2027-02-01", "end": "2027-03-31"},
]


@pytest.fixture
def api(consultant):
    client = APIClient()
    client.force_authenticate(consultant)
    return client


def _campaigns(workspace):
    return f"/api/v1/workspaces/{workspace.id}/campaigns/"


def _documents(workspace):
    return f"/api/v1/workspaces/{workspace.id}/documents/"


def _active_plan_kpis(client, n=2):
    plan = plan_create(client=client, title="Plan 2027")
    plan_activate(plan=plan)
    return [
        kpi_create(
            plan=plan,
            data=KPIInput.from_values(
                dict(
                    name=f"KPI {i}",
                    direction="increase",
                    baseline=1,
                    target=2,
                    start=date(2027, 1, 1),
                    due=date(2027, 12, 31),
                )
            ),
        )
        for i in range(n)
    ]


def _body(client, **changes):
    return {
        "client": str(client.id),
        "name": "Loyalty club launch",
        "purpose": "Turn first buyers into members.",
        "journey": "shopping",
        "segment": "First-time buyers",
        "contextual_segment": "Just bought, looking for delivery news",
        "lifecycle_stage": "post_purchase",
        "channels": ["web", "email"],
        "tactics": ["Sign-up at checkout", "Welcome series"],
        "total_budget": "10000.00",
        "currency": "gbp",
        "owner": "Dana Whitfield",
        "test_kind": "ab",
        "test_hypothesis": "A points offer lifts sign-ups",
        "test_variants": ["Points", "Discount"],
        "test_metric": "Sign-up rate",
        "test_min_sample": 2000,
        "attribution": "linear",
        "status": "approved",
        "activities": ACTIVITIES,
        **changes,
    }


def test_a_campaign_is_created_read_changed_and_deleted_with_its_timeline_and_kpis(
    api, workspace, acme_client
):
    kpis = _active_plan_kpis(acme_client)
    made = api.post(
        _campaigns(workspace), _body(acme_client, kpis=[str(kpis[0].id)]), format="json"
    )
    assert made.status_code == 201, made.json()
    campaign = made.json()
    assert campaign["client"] == str(acme_client.id)
    assert campaign["strategy_plan"] == str(kpis[0].plan_id)
    assert campaign["kpis"] == [str(kpis[0].id)]
    assert (campaign["currency"], campaign["total_budget"], campaign["status"]) == (
        "GBP",
        "10000.00",
        "approved",
    )
    assert [a["title"] for a in campaign["activities"]] == ["Landing pages", "Follow-up emails"]
    assert campaign["activities"][0]["budget"] == "6000.00"
    assert campaign["test_variants"] == ["Points", "Discount"]

    url = f"{_campaigns(workspace)}{campaign['id']}/"
    assert api.get(url).json() == campaign
    listed = api.get(_campaigns(workspace), {"client": str(acme_client.id)}).json()
    assert [c["id"] for c in listed["results"]] == [campaign["id"]]

    # Fields not given keep their values; the timeline stays unless `activities` is given.
    renamed = api.patch(
        url, {"name": "Club launch", "kpis": [str(k.id) for k in kpis]}, format="json"
    )
    assert renamed.status_code == 200, renamed.json()
    assert renamed.json()["name"] == "Club launch"
    assert sorted(renamed.json()["kpis"]) == sorted(str(k.id) for k in kpis)
    assert renamed.json()["tactics"] == campaign["tactics"]
    assert renamed.json()["test_kind"] == "ab"
    assert len(renamed.json()["activities"]) == 2

    retimed = api.patch(url, {"activities": ACTIVITIES[1:], "test_kind": ""}, format="json")
    assert retimed.status_code == 200, retimed.json()
    assert [a["title"] for a in retimed.json()["activities"]] == ["Follow-up emails"]
    assert (retimed.json()["test_kind"], retimed.json()["test_min_sample"]) == ("", None)
    assert retimed.json()["name"] == "Club launch"

    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert not CampaignActivity.objects.exists()


def _foreign_kpi_id(workspace):
    other_plan_kpi = _active_plan_kpis(ClientFactory(workspace=workspace), n=1)[0]
    other_workspace_kpi = _active_plan_kpis(ClientFactory(), n=1)[0]
    return [str(other_plan_kpi.id), str(other_workspace_kpi.id)]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"activities": [{**ACTIVITIES[0], "start": "2027-03-01", "end": "2027-02-01"}]},
            "activities",
        ),
        ({"total_budget": "5000"}, "total_budget"),
        ("foreign-kpis", "kpis"),
        ({"test_variants": ["A", "B", "C"]}, "test_variants"),
        ({"journey": "teleportation"}, "journey"),
        ({"name": "   "}, "name"),
        ({"channels": ["fax"]}, "channels"),
        ({"currency": "€1"}, "currency"),
    ],
)
def test_bad_campaign_input_answers_400_naming_the_field_and_saves_nothing(
    api, workspace, acme_client, changes, field
):
    _active_plan_kpis(acme_client)
    if changes == "foreign-kpis":
        changes = {"kpis": _foreign_kpi_id(workspace)}
    response = api.post(_campaigns(workspace), _body(acme_client, **changes), format="json")
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert not CampaignPlan.objects.exists()
    assert not CampaignActivity.objects.exists()


def test_a_bad_change_answers_400_and_leaves_the_campaign_as_it_was(api, workspace, acme_client):
    campaign = api.post(_campaigns(workspace), _body(acme_client), format="json").json()
    url = f"{_campaigns(workspace)}{campaign['id']}/"
    # The activities' 6000 exceed the new total, though the timeline itself is not given.
    over = api.patch(url, {"total_budget": "100", "name": "Renamed"}, format="json")
    assert over.status_code == 400
    assert "total_budget" in over.json()
    late = {**ACTIVITIES[0], "start": "2027-05-01", "end": "2027-04-01"}
    backwards = api.patch(url, {"activities": [late], "name": "Renamed"}, format="json")
    assert "activities" in backwards.json()
    assert api.get(url).json() == campaign


def test_viewers_read_campaigns_and_documents_but_may_not_write(
    api, workspace, acme_client, viewer
):
    campaign = api.post(_campaigns(workspace), _body(acme_client), format="json").json()
    document = api.post(
        _documents(workspace), {"client": str(acme_client.id), "kind": "playbook"}, format="json"
    ).json()
    reader = APIClient()
    reader.force_authenticate(viewer)
    assert reader.get(_campaigns(workspace)).json()["count"] == 1
    assert reader.get(f"{_documents(workspace)}{document['id']}/").status_code == 200
    url = f"{_campaigns(workspace)}{campaign['id']}/"
    assert reader.post(_campaigns(workspace), _body(acme_client), format="json").status_code == 403
    assert reader.patch(url, {"name": "Mine"}, format="json").status_code == 403
    assert reader.delete(url).status_code == 403
    draft = {"client": str(acme_client.id), "dimension": "strategy"}
    assert reader.post(f"{_campaigns(workspace)}draft/", draft, format="json").status_code == 403
    queued = {"client": str(acme_client.id), "kind": "playbook"}
    assert reader.post(_documents(workspace), queued, format="json").status_code == 403
    assert reader.delete(f"{_documents(workspace)}{document['id']}/").status_code == 403
    assert CampaignPlan.objects.get().name == "Loyalty club launch"
    assert Document.objects.count() == 1


def test_another_workspaces_campaigns_clients_and_documents_are_404(api, workspace):
    other = MembershipFactory(role=Role.OWNER)
    theirs = APIClient()
    theirs.force_authenticate(other.user)
    their_client = ClientFactory(workspace=other.workspace)
    campaign = theirs.post(_campaigns(other.workspace), _body(their_client), format="json")
    assert campaign.status_code == 201, campaign.json()
    document = theirs.post(
        _documents(other.workspace),
        {"client": str(their_client.id), "kind": "playbook"},
        format="json",
    ).json()

    url = f"{_campaigns(workspace)}{campaign.json()['id']}/"
    assert api.get(url).status_code == 404
    assert api.patch(url, {"name": "Taken"}, format="json").status_code == 404
    assert api.delete(url).status_code == 404
    assert api.get(f"{_documents(workspace)}{document['id']}/").status_code == 404
    assert api.delete(f"{_documents(workspace)}{document['id']}/").status_code == 404
    assert api.get(_campaigns(workspace), {"client": str(their_client.id)}).status_code == 404
    assert api.get(_documents(workspace), {"client": str(their_client.id)}).status_code == 404
    assert api.post(_campaigns(workspace), _body(their_client), format="json").status_code == 404
    # Their workspace in our URL is not ours to see either.
    assert api.get(_campaigns(other.workspace)).status_code == 404
    assert CampaignPlan.objects.get().name == "Loyalty club launch"
    assert Document.objects.filter(client=their_client).count() == 1


def test_list_filter_must_be_a_uuid(api, workspace):
    response = api.get(_campaigns(workspace), {"client": "northwind"})
    assert response.status_code == 400
    assert "client" in response.json()


def _results(workspace, client, strategy, channels):
    """One submitted answer sheet: the client's stage and its priority dimensions (those
    below their target)."""
    assessment = open_assessment(
        client=client, version=small_version(workspace=workspace), respondents=0
    )
    respondent = respondent_add(
        assessment=assessment, name="Exec", email="exec@client.example", role="executive"
    )
    respondent.refresh_from_db()
    answers_save(
        respondent=respondent,
        changes={"q1": {"value": strategy}, "q2": {"value": strategy}, "q3": {"value": channels}},
    )
    respondent_submit(respondent=respondent)


def test_a_draft_from_the_roadmap_library_fills_tactics_timeline_and_test(
    api, workspace, acme_client
):
    _results(workspace, acme_client, "3", "1")
    response = api.post(
        f"{_campaigns(workspace)}draft/",
        {"client": str(acme_client.id), "dimension": "strategy"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    draft = response.json()
    early = next(t for t in campaign_library() if t["key"] == "strategy-early")
    assert draft["name"] == early["name"]  # overall stage 2
    assert draft["tactics"]
    assert draft["tactics"] == early["tactics"]
    assert len(draft["activities"]) == len(early["activities"])
    assert (draft["status"], draft["dimension_key"]) == ("draft", "strategy")
    unknown = api.post(
        f"{_campaigns(workspace)}draft/",
        {"client": str(acme_client.id), "dimension": "astrology"},
        format="json",
    )
    assert unknown.status_code == 400
    assert "dimension" in unknown.json()
    assert CampaignPlan.objects.count() == 1


def test_the_api_drafts_only_for_a_priority_dimension_as_the_page_does(
    api, client, consultant, workspace, acme_client
):
    body = {"client": str(acme_client.id), "dimension": "strategy"}
    refused = api.post(f"{_campaigns(workspace)}draft/", body, format="json")
    assert refused.status_code == 400  # no results yet: no priorities to draft for
    assert "priority dimensions" in str(refused.json()["dimension"])
    client.force_login(consultant)
    page = client.post(
        reverse("campaign_draft", args=[workspace.id, acme_client.id]),
        {"dimension": "strategy"},
        follow=True,
    )
    assert "priority dimensions" in page.text
    _results(workspace, acme_client, "7", "7")  # at the top: no gap, so no priority
    again = api.post(f"{_campaigns(workspace)}draft/", body, format="json")
    assert again.status_code == 400
    assert "dimension" in again.json()
    assert not CampaignPlan.objects.exists()


def test_a_draft_fits_the_clients_overall_stage(api, workspace, acme_client):
    _results(workspace, acme_client, "5", "7")
    draft = api.post(
        f"{_campaigns(workspace)}draft/",
        {"client": str(acme_client.id), "dimension": "strategy"},
        format="json",
    ).json()
    later = next(t for t in campaign_library() if t["key"] == "strategy-later")
    assert draft["name"] == later["name"]


def test_a_document_request_answers_202_queued_and_numbers_versions(
    api, workspace, acme_client, django_capture_on_commit_callbacks
):
    body = {"client": str(acme_client.id), "kind": "playbook", "page_size": "letter"}
    with django_capture_on_commit_callbacks() as enqueued:
        first = api.post(_documents(workspace), body, format="json")
    assert first.status_code == 202, first.json()
    assert len(enqueued) == 1  # the render task, sent once the row is committed
    assert (first.json()["status"], first.json()["version"], first.json()["page_size"]) == (
        "queued",
        1,
        "letter",
    )
    assert first.json()["download_url"] is None
    second = api.post(_documents(workspace), body, format="json").json()
    assert (second["kind"], second["version"], second["progress"]) == ("playbook", 2, 0)
    listed = api.get(_documents(workspace), {"client": str(acme_client.id)}).json()
    assert {d["id"] for d in listed["results"]} == {first.json()["id"], second["id"]}

    url = f"{_documents(workspace)}{second['id']}/"
    assert api.get(url).json()["filename"].endswith("-playbook-v2.pdf")
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert list(Document.objects.values_list("version", flat=True)) == [1]


def test_a_done_document_links_its_download(api, workspace, acme_client):
    queued = api.post(
        _documents(workspace), {"client": str(acme_client.id), "kind": "playbook"}, format="json"
    ).json()
    Document.objects.filter(id=queued["id"]).update(
        status=Document.Status.DONE, progress=100, pages=3, size=1234, sha256="a" * 64
    )
    done = api.get(f"{_documents(workspace)}{queued['id']}/").json()
    assert (done["status"], done["pages"], done["size"]) == ("done", 3, 1234)
    try:
        path = reverse("document_download", args=[workspace.id, queued["id"]])
    except NoReverseMatch:  # the download page is not wired yet
        assert done["download_url"] is None
    else:
        assert done["download_url"] == f"http://testserver{path}"


def test_a_campaign_plan_document_needs_one_of_the_clients_campaigns(api, workspace, acme_client):
    body = {"client": str(acme_client.id), "kind": "campaign_plan"}
    missing = api.post(_documents(workspace), body, format="json")
    assert missing.status_code == 400
    assert "campaign" in missing.json()
    sibling = ClientFactory(workspace=workspace)
    theirs = api.post(_campaigns(workspace), _body(sibling), format="json").json()
    foreign = api.post(_documents(workspace), {**body, "campaign": theirs["id"]}, format="json")
    assert foreign.status_code == 400
    assert "campaign" in foreign.json()
    assert not Document.objects.exists()

    ours = api.post(_campaigns(workspace), _body(acme_client), format="json").json()
    made = api.post(_documents(workspace), {**body, "campaign": ours["id"]}, format="json")
    assert made.status_code == 202, made.json()
    assert (made.json()["campaign"], made.json()["version"]) == (ours["id"], 1)
    assert made.json()["page_size"] == "A4"


@pytest.mark.parametrize(("region", "currency"), [("GB", "GBP"), ("US", "USD"), ("DE", "EUR")])
def test_a_new_campaign_without_a_currency_is_in_the_clients_currency(
    api, workspace, acme_client, region, currency
):
    acme_client.region = region
    acme_client.save(update_fields=["region"])
    body = {"client": str(acme_client.id), "journey": "shopping", "lifecycle_stage": "evaluation"}
    answer = api.post(_campaigns(workspace), {**body, "name": "Win-back"}, format="json")
    assert answer.status_code == 201, answer.json()
    assert answer.json()["currency"] == currency
    chosen = api.post(
        _campaigns(workspace),
        {**body, "name": "Priced", "currency": "CHF"},
        format="json",
    )
    assert chosen.json()["currency"] == "CHF"
