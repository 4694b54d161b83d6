"""Every list page, the results page, the scorecard, the client page and the
playbook context take the same number of queries whatever the number of rows: each is
counted with N rows and again with 3N, and the small count is spelled out query by query
so a new query shows up here by name. The list APIs: test_query_counts_api.py."""

import pytest
from django.urls import reverse

from assessments.inputs import ActionInput
from assessments.services import (
    action_create,
    assessment_close,
)
from playbooks.display import playbook_context
from tests.assessments.factories import open_assessment, small_version
from tests.factories import ClientFactory
from tests.insights.factories import SegmentAnalysisFactory
from tests.kpis.factories import StrategyPlanFactory
from tests.playbooks.factories import CampaignFactory
from tests.query_counts import (
    AUTH,
    audit_events,
    documents_grow,
    flat_check,
    kpis_grow,
    ok_get,
    respondents_grow,
)

pytestmark = pytest.mark.django_db

N = 2


@pytest.fixture
def flat(django_assert_num_queries):
    return flat_check(django_assert_num_queries, N, 3 * N)


@pytest.fixture
def assessment(acme_client):
    return open_assessment(client=acme_client, respondents=0)


@pytest.fixture
def plan(acme_client):
    return StrategyPlanFactory(client=acme_client, active=True)


@pytest.fixture
def web(client, owner):
    client.force_login(owner)
    return client


def test_client_list_page(flat, web, workspace):
    flat(
        lambda n: ClientFactory.create_batch(n, workspace=workspace),
        ok_get(web, reverse("client_list", args=[workspace.id])),
        [*AUTH, "clients: count for the pager", "clients: the page"],
    )


def test_client_assessments_tab(flat, web, acme_client):
    version = small_version()

    def grow(n):
        for _ in range(n):
            open_assessment(client=acme_client, version=version, respondents=1)

    flat(
        grow,
        ok_get(web, reverse("client_assessments", args=[acme_client.workspace_id, acme_client.id])),
        [
            *AUTH,
            "client (scoped)",
            "assessments with client, version, questionnaire and respondent counts",
            "dimensions of their versions (overall scores)",
            "questions of their versions",
            "submitted respondents of every assessment",
            "their answers",
        ],
    )


def _closed_with_actions(client):
    version = small_version()

    def grow(n):
        for i in range(n):
            assessment = open_assessment(client=client, version=version, respondents=0)
            respondents_grow(assessment, submitted=True)(1)
            assessment_close(assessment=assessment)
            action_create(
                assessment=assessment,
                data=ActionInput.from_values({"title": f"Action {i}", "horizon": "now"}),
                # Each serves a campaign of its own: the links stay one query.
                links={"campaigns": [CampaignFactory(client=assessment.client).id]},
            )

    return grow


# The actions' links, one query per kind (prefetched): plan items, KPIs, campaigns.
LINKS = [
    "strategic objectives",
    "marketing objectives",
    "digital goals",
    "kpis",
    "campaigns",
]
HUB = [*AUTH, "client (scoped)", "assessments with respondent counts"]


def test_client_hub_overview(flat, web, acme_client, plan):
    """The Overview with N closed assessments, N open actions each and N KPIs: the
    latest closed one's stage, the KPI health and the next actions in fixed queries."""
    closed = _closed_with_actions(acme_client)

    def grow(n):
        closed(n)
        kpis_grow(plan)(n)

    flat(
        grow,
        ok_get(web, reverse("client_detail", args=[acme_client.workspace_id, acme_client.id])),
        [
            *AUTH,
            "client (scoped)",
            "assessments with respondent counts",
            "latest closed: its stored result's overall",
            "the active plan",
            "its KPIs",
            "their measurements",
            "the next open actions with their assessment",
            "the accepted actions: overdue and done per horizon",
        ],
    )


def test_client_hub_roadmap_tab(flat, web, acme_client):
    url = reverse("client_roadmap", args=[acme_client.workspace_id, acme_client.id])
    flat(
        _closed_with_actions(acme_client),
        ok_get(web, url),
        [*HUB, "open actions", "the accepted actions: overdue and done per horizon"],
    )


def test_client_hub_results_tab(flat, web, acme_client):
    url = reverse("client_results", args=[acme_client.workspace_id, acme_client.id])
    flat(
        _closed_with_actions(acme_client),
        ok_get(web, url),
        [*HUB, "the closed ones' stored overall results (no answers scored)"],
    )


def test_client_hub_plans_tab(flat, web, acme_client):
    flat(
        lambda n: StrategyPlanFactory.create_batch(n, client=acme_client),
        ok_get(web, reverse("client_plans", args=[acme_client.workspace_id, acme_client.id])),
        [*AUTH, "client (scoped)", "plans (scoped)"],
    )


def test_assessment_page_with_respondents_progress(flat, web, assessment):
    url = reverse("assessment_detail", args=[assessment.client.workspace_id, assessment.id])
    flat(
        respondents_grow(assessment),
        ok_get(web, url),
        [
            *AUTH,
            "assessment (scoped) with client, workspace, version and questionnaire",
            "questions: count",
            "respondents with their answer counts",
        ],
    )


def test_results_page(flat, web, assessment):
    url = reverse("assessment_results", args=[assessment.client.workspace_id, assessment.id])
    flat(
        respondents_grow(assessment, submitted=True),
        ok_get(web, url),
        [
            *AUTH,
            "assessment (scoped)",
            "dimensions",
            "questions",
            "submitted respondents",
            "their answers",
            "peers: the workspace's other closed assessments",
            "audit event: results viewed",
        ],
    )


def test_roadmap_page(flat, web, assessment):
    url = reverse("roadmap", args=[assessment.client.workspace_id, assessment.id])

    def grow(n):
        for i in range(n):
            action_create(
                assessment=assessment,
                data=ActionInput.from_values({"title": f"Action {i}", "horizon": "now"}),
            )

    flat(
        grow,
        ok_get(web, url),
        [*AUTH, "assessment (scoped)", "actions", *LINKS, "dimensions"],
    )


def test_plan_page(flat, web, plan):
    url = reverse("plan_detail", args=[plan.client.workspace_id, plan.id])
    flat(
        kpis_grow(plan),
        ok_get(web, url),
        [
            *AUTH,
            "plan (scoped)",
            "themes",
            "strategic objectives",
            "marketing objectives",
            "digital goals",
            "KPIs",
            "coverage: themes count",
            "coverage: strategic objectives count",
            "coverage: marketing objectives count",
            "coverage: digital goals count",
            "coverage: engagement categories count",
            "coverage: KPIs count",
            "scale: engagement categories",
            "scale: digital goals with their category",
            "scale chart: engagement categories",
        ],
    )


def test_kpi_list_page(flat, web, plan):
    url = reverse("plan_kpis", args=[plan.client.workspace_id, plan.id])
    flat(
        kpis_grow(plan),
        ok_get(web, url),
        [
            *AUTH,
            "plan (scoped)",
            "library: the client's latest assessment with answers (none here)",
            "KPIs with digital goal and marketing objective",
            "form choices: digital goals",
            "form choices: marketing objectives",
        ],
    )


def test_scorecard_page(flat, web, plan):
    url = reverse("scorecard", args=[plan.client.workspace_id, plan.id])
    flat(kpis_grow(plan), ok_get(web, url), [*AUTH, "plan (scoped)", "KPIs", "their measurements"])


def test_campaign_list_page(flat, web, acme_client, plan):
    url = reverse("campaign_list", args=[acme_client.workspace_id, acme_client.id])
    flat(
        lambda n: CampaignFactory.create_batch(n, client=acme_client),
        ok_get(web, url),
        [
            *AUTH,
            "client (scoped)",
            "priorities: the latest closed assessment",
            "priorities: else the latest open one",
            "campaigns (scoped)",
            "their activities",
        ],
    )


def test_document_list_page(flat, web, acme_client):
    url = reverse("document_list", args=[acme_client.workspace_id, acme_client.id])
    flat(
        documents_grow(acme_client),
        ok_get(web, url),
        [*AUTH, "client (scoped)", "documents with client, campaign and requester"],
    )


def test_segment_analyses_page(flat, web, acme_client):
    url = reverse("insights", args=[acme_client.workspace_id, acme_client.id])
    flat(
        lambda n: SegmentAnalysisFactory.create_batch(n, client=acme_client),
        ok_get(web, url),
        [*AUTH, "client (scoped)", "analyses with client"],
    )


def test_audit_page(flat, web, owner, acme_client):
    url = reverse("audit_event_list", args=[acme_client.workspace_id])
    flat(
        audit_events(owner, acme_client),
        ok_get(web, url),
        [
            *AUTH,
            "filter choices: clients",
            "filter choices: members",
            "events: count for the pager",
            "events with client and actor: the page",
        ],
    )


# --- the playbook context -----------------------------------------------------------------


def test_playbook_context(flat, acme_client, plan):
    assessment = open_assessment(client=acme_client, respondents=0)
    respondents_grow(assessment, submitted=True)(3)
    assessment_close(assessment=assessment)

    def grow(n):
        kpis_grow(plan)(n)
        # Linked to the plan's KPIs, so the results read their measurements.
        kpis = list(plan.kpis.values_list("id", flat=True)[:2])
        CampaignFactory.create_batch(n, client=acme_client, kpis=kpis)
        for i in range(n):
            action_create(
                assessment=assessment,
                data=ActionInput.from_values({"title": f"Action {i}", "horizon": "later"}),
            )
        SegmentAnalysisFactory.create_batch(n, client=acme_client)

    flat(
        grow,
        lambda: playbook_context(acme_client),
        [
            "the latest closed assessment",
            "results: dimensions",
            "results: questions",
            "results: submitted respondents",
            "results: its stored result (scores and what the answers show)",
            "results: peers with their stored overall",
            "accepted actions",
            "questionnaire: dimensions",
            "questionnaire: their questions",
            "the active plan",
            "scorecard: KPIs",
            "scorecard: measurements",
            "simulator: the latest period",
            "scale: engagement categories",
            "scale: digital goals with their category",
            "value chart: engagement categories",
            "value chart: digital goals with their category",
            "coverage: themes",
            "coverage: strategic objectives",
            "coverage: marketing objectives",
            "coverage: digital goals",
            "coverage: KPIs",
            "alignment: themes",
            "alignment: strategic objectives with theme",
            "alignment: marketing objectives with strategic objective",
            "alignment: digital goals with marketing objective",
            "alignment: KPIs",
            "campaigns",
            "their activities",
            "their marketing objectives",
            "their digital goals",
            "their KPIs",
            "their status history, with who changed it",
            "their KPIs' measurements",
            "the latest done segment analysis",
            "listening months",
        ],
    )
