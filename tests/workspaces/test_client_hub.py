"""The client hub: its tabs for every role (the current one marked, each reachable), the
controls each role may use and no others, and the Overview's stage, KPI health and next
actions with their empty states."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.inputs import ActionInput
from assessments.models import Assessment
from assessments.services import action_create, answers_save, assessment_close, respondent_submit
from tests.assessments.factories import open_assessment, small_version
from tests.kpis.factories import DigitalGoalFactory, KPIFactory, StrategyPlanFactory

pytestmark = pytest.mark.django_db

TABS = {
    "client_detail": "Overview",
    "client_assessments": "Assessments",
    "client_results": "Results",
    "client_roadmap": "Roadmap",
    "client_plans": "Plan",
    "campaign_list": "Campaigns",
    "insights": "Insight",
    "document_list": "Playbooks",
}
# What only consultants and owners may do, by its URL name.
EDIT_CONTROLS = ["client_edit", "client_archive", "client_team", "assessment_create", "plan_create"]


def _url(name, client):
    return reverse(name, args=[client.workspace_id, client.id])


def _current_tab(html: str) -> list[str]:
    nav = html[html.index('class="client-tabs"') :]
    nav = nav[: nav.index("</nav>")]
    return re.findall(r'aria-current="page">([^<]+)</a>', nav)


@pytest.fixture
def member(request, owner, consultant, viewer, client_viewer):
    return {
        "owner": owner,
        "consultant": consultant,
        "viewer": viewer,
        "client member": client_viewer,
    }[request.param]


ROLES = ["owner", "consultant", "viewer", "client member"]


@pytest.mark.parametrize("member", ROLES, indirect=True)
@pytest.mark.parametrize("name", list(TABS))
def test_every_role_sees_every_tab_with_the_current_one_marked(client, member, acme_client, name):
    client.force_login(member)
    response = client.get(_url(name, acme_client))
    assert response.status_code == 200
    html = response.text
    for other in TABS:
        assert f'href="{_url(other, acme_client)}"' in html
    assert _current_tab(html) == [TABS[name]]


@pytest.mark.parametrize(
    ("member", "edits"),
    [("owner", True), ("consultant", True), ("viewer", False), ("client member", False)],
    indirect=["member"],
)
@pytest.mark.parametrize("name", ["client_detail", "client_assessments", "client_plans"])
def test_controls_show_only_to_roles_that_may_use_them(client, member, edits, acme_client, name):
    client.force_login(member)
    html = client.get(_url(name, acme_client)).text
    shown = [c for c in EDIT_CONTROLS if _url(c, acme_client) in html]
    expected = {
        "client_detail": ["client_edit", "client_archive", "client_team", "assessment_create"],
        "client_assessments": ["client_edit", "client_archive", "client_team", "assessment_create"],
        "client_plans": ["client_edit", "client_archive", "client_team", "plan_create"],
    }[name]
    assert shown == (expected if edits else [])
    assert ('class="row-menu"' in html) == edits


def test_only_an_owner_sees_activity_and_delete_on_an_archived_client(
    client, owner, consultant, acme_client
):
    acme_client.archived = True
    acme_client.save()
    activity = reverse("audit_event_list", args=[acme_client.workspace_id])
    for user, sees in ((owner, True), (consultant, False)):
        client.force_login(user)
        html = client.get(_url("client_detail", acme_client)).text
        assert (activity in html, _url("client_delete", acme_client) in html) == (sees, sees)
        assert "Restore" in html
        assert _url("assessment_create", acme_client) not in html  # archived: nothing new


def test_the_overview_says_what_is_missing_when_nothing_exists_yet(client, consultant, acme_client):
    client.force_login(consultant)
    html = client.get(_url("client_detail", acme_client)).text
    assert "Not assessed yet" in html
    assert "No active plan" in html
    assert "Nothing to do yet" in html


def _closed(client, *, anonymity=Assessment.Anonymity.NAMED, title="Baseline"):
    assessment = open_assessment(
        client=client, version=small_version(), respondents=1, title=title, anonymity=anonymity
    )
    respondent = assessment.respondents.get()
    answers_save(
        respondent=respondent,
        changes={"q1": {"value": "4"}, "q2": {"value": "3"}, "q3": {"value": "1"}},
    )
    respondent_submit(respondent=respondent)
    return assessment_close(assessment=assessment)


def _action(assessment, title, due=None, status="open"):
    values = {"title": title, "horizon": "now", "status": status}
    if due:
        values["due_date"] = due
    return action_create(assessment=assessment, data=ActionInput.from_values(values))


def test_the_overview_shows_the_latest_stage_kpi_health_and_the_next_five_actions(
    client, viewer, acme_client
):
    assessment = _closed(acme_client)
    today = timezone.localdate()
    for n in range(7):
        _action(assessment, f"Step {n}", due=today + datetime.timedelta(days=30 - n))
    _action(assessment, "Undated")
    _action(assessment, "Finished", due=today, status="done")
    plan = StrategyPlanFactory(client=acme_client, active=True)
    KPIFactory(plan=plan, digital_goal=DigitalGoalFactory(plan=plan), measurements=0)
    client.force_login(viewer)
    response = client.get(_url("client_detail", acme_client))
    html = response.text
    overall = response.context["latest"].overall
    assert overall["stage"]
    assert f"Stage {overall['stage']} · {overall['stage_name']}" in html
    assert [a.title for a in response.context["actions"]] == [f"Step {n}" for n in (6, 5, 4, 3, 2)]
    assert "Finished" not in html
    health = {h["key"]: h["count"] for h in response.context["health"]}
    assert health == {"on_track": 0, "at_risk": 0, "off_track": 0, "no_data": 1}
    assert _url("client_roadmap", acme_client) in html


def test_a_client_member_sees_no_stage_or_actions_of_results_not_released(
    client, client_viewer, consultant, acme_client
):
    assessment = _closed(acme_client, anonymity=Assessment.Anonymity.ROLES)
    _action(assessment, "Confidential step")
    client.force_login(client_viewer)
    for name in ("client_detail", "client_roadmap"):
        html = client.get(_url(name, acme_client)).text
        assert "Confidential step" not in html
    assert "not shown to the client team yet" in client.get(_url("client_detail", acme_client)).text
    client.force_login(consultant)
    assert "Confidential step" in client.get(_url("client_roadmap", acme_client)).text


def test_the_results_tab_lists_closed_assessments_and_says_so_when_there_is_none(
    client, consultant, acme_client
):
    client.force_login(consultant)
    assert "No results yet" in client.get(_url("client_results", acme_client)).text
    assessment = _closed(acme_client)
    html = client.get(_url("client_results", acme_client)).text
    assert reverse("assessment_results", args=[acme_client.workspace_id, assessment.id]) in html
