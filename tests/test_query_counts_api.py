"""Every list API takes the same number of queries with 1 row and with 50: each is
counted at both, and the count is spelled out query by query so a new query shows up here
by name (the pages and the rest: test_query_counts.py)."""

import datetime
import uuid

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.inputs import ActionInput
from assessments.services import action_create
from insights.models import ListeningMonth, SegmentAnalysis
from kpis.services import period_save
from tests.assessments.factories import open_assessment, small_version
from tests.factories import (
    ClientFactory,
    InvitationFactory,
    MembershipFactory,
    WorkspaceFactory,
    grant_client,
)
from tests.insights.factories import SegmentAnalysisFactory
from tests.kpis.factories import DigitalGoalFactory, KPIFactory, StrategyPlanFactory
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
from workspaces.models import ClientRole, Role
from workspaces.tokens import api_token_create

pytestmark = pytest.mark.django_db

PAGED = ["count for the pager", "the page"]
# An action's links, one query per kind (prefetched).
LINKS = ["strategic objectives", "marketing objectives", "digital goals", "kpis", "campaigns"]


@pytest.fixture
def flat(django_assert_num_queries):
    return flat_check(django_assert_num_queries, 1, 50)


@pytest.fixture
def assessment(acme_client):
    return open_assessment(client=acme_client, respondents=0)


@pytest.fixture
def plan(acme_client):
    return StrategyPlanFactory(client=acme_client, active=True)


@pytest.fixture
def api(owner):
    api = APIClient()
    api.force_login(owner)
    return api


def test_workspace_list_api(flat, api, owner):
    def grow(n):
        for workspace in WorkspaceFactory.create_batch(n):
            MembershipFactory(workspace=workspace, user=owner, role=Role.CONSULTANT)

    flat(
        grow,
        ok_get(api, reverse("workspace-list")),
        [*AUTH[:2], "the user's memberships (roles)", *PAGED],
    )


def test_client_list_api(flat, api, workspace):
    flat(
        lambda n: ClientFactory.create_batch(n, workspace=workspace),
        ok_get(api, reverse("api-client-list", args=[workspace.id])),
        [*AUTH, *PAGED],
    )


def test_assessment_list_api(flat, api, acme_client):
    version = small_version()
    flat(
        lambda n: [
            open_assessment(client=acme_client, version=version, respondents=1) for _ in range(n)
        ],
        ok_get(api, reverse("api-assessment-list", args=[acme_client.workspace_id])),
        [*AUTH, *PAGED],  # the page with client, version, questionnaire and respondent counts
    )


def test_respondent_list_api(flat, api, assessment):
    url = reverse("api-respondent-list", args=[assessment.client.workspace_id, assessment.id])
    flat(respondents_grow(assessment), ok_get(api, url), [*AUTH, "assessment (scoped)", *PAGED])


def test_action_list_api(flat, api, assessment):
    url = reverse("api-action-list", args=[assessment.client.workspace_id, assessment.id])

    def grow(n):
        for i in range(n):
            action_create(
                assessment=assessment,
                data=ActionInput.from_values({"title": f"Action {i}", "horizon": "next"}),
                # Each serves a campaign of its own: the links stay one query.
                links={"campaigns": [CampaignFactory(client=assessment.client).id]},
            )

    flat(grow, ok_get(api, url), [*AUTH, "assessment (scoped)", *PAGED, *LINKS])


def test_plan_list_api(flat, api, acme_client):
    flat(
        lambda n: StrategyPlanFactory.create_batch(n, client=acme_client),
        ok_get(api, reverse("api-plan-list", args=[acme_client.workspace_id])),
        [*AUTH, *PAGED],
    )


@pytest.mark.parametrize(
    "step", ["themes", "strategic-objectives", "marketing-objectives", "digital-goals"]
)
def test_plan_item_list_api(flat, api, plan, step):
    url = reverse(f"api-plan-{step}", args=[plan.client.workspace_id, plan.id])
    flat(
        lambda n: DigitalGoalFactory.create_batch(n, plan=plan),  # one item of every step
        ok_get(api, url),
        [*AUTH, "plan (scoped)", "the step's items (not paged)"],
    )


def test_kpi_list_api(flat, api, plan):
    url = reverse("api-plan-kpis", args=[plan.client.workspace_id, plan.id])
    flat(kpis_grow(plan), ok_get(api, url), [*AUTH, "plan (scoped)", *PAGED])


def test_scorecard_api(flat, api, plan):
    url = reverse("api-plan-scorecard", args=[plan.client.workspace_id, plan.id])
    flat(kpis_grow(plan), ok_get(api, url), [*AUTH, "plan (scoped)", "KPIs", "their measurements"])


def test_campaign_list_api(flat, api, acme_client, plan):
    flat(
        lambda n: CampaignFactory.create_batch(n, client=acme_client),
        ok_get(api, reverse("api-campaign-list", args=[acme_client.workspace_id])),
        [
            *AUTH,
            *PAGED,
            "their activities",
            "their marketing objectives",
            "their digital goals",
            "their KPIs",
        ],
    )


def test_document_list_api(flat, api, acme_client):
    flat(
        documents_grow(acme_client),
        ok_get(api, reverse("api-document-list", args=[acme_client.workspace_id])),
        [*AUTH, *PAGED],  # the page with client, campaign and requester
    )


def _analyses(client):
    """One analysis run from a file, then copies of its row in bulk: a list reads rows."""

    def grow(n):
        done = SegmentAnalysis.objects.filter(client=client).first()
        if done is None:
            done, n = SegmentAnalysisFactory(client=client), n - 1
        copies = []
        for i in range(n):
            copy = SegmentAnalysis.objects.get(pk=done.pk)
            copy.pk, copy.name = uuid.uuid4(), f"Copy {i}"
            copies.append(copy)
        SegmentAnalysis.objects.bulk_create(copies)

    return grow


def test_segment_analysis_list_api(flat, api, acme_client):
    flat(
        _analyses(acme_client),
        ok_get(api, reverse("api-segment-analysis-list", args=[acme_client.workspace_id])),
        [*AUTH, *PAGED],
    )


def test_member_list_api(flat, api, workspace):
    flat(
        lambda n: MembershipFactory.create_batch(n, workspace=workspace, role=Role.CONSULTANT),
        ok_get(api, reverse("api-member-list", args=[workspace.id])),
        [*AUTH, *PAGED, "their client accesses"],  # the page with users
    )


def test_invitation_list_api(flat, api, workspace):
    flat(
        lambda n: InvitationFactory.create_batch(n, workspace=workspace),
        ok_get(api, reverse("api-invitation-list", args=[workspace.id])),
        [*AUTH, *PAGED],  # the page with who invited
    )


def test_audit_list_api(flat, api, owner, acme_client):
    url = reverse("api-audit-list", args=[acme_client.workspace_id])
    flat(
        audit_events(owner, acme_client),
        ok_get(api, url),
        [*AUTH, *PAGED],  # the page with client and actor
    )


def test_questionnaire_list_api(flat, api, workspace):
    flat(
        lambda n: [small_version(workspace) for _ in range(n)],
        ok_get(api, reverse("api-questionnaire-list", args=[workspace.id])),
        [*AUTH, *PAGED],
    )


def test_assessment_progress_api(flat, api, assessment):
    url = reverse("api-assessment-progress", args=[assessment.client.workspace_id, assessment.id])
    flat(
        respondents_grow(assessment),
        ok_get(api, url),
        [*AUTH, "assessment (scoped)", "questions: count", "respondents with answer counts"],
    )


def test_kpi_measurement_list_api(flat, api, plan):
    kpi = KPIFactory(plan=plan)
    url = reverse("api-plan-kpi-measurements", args=[plan.client.workspace_id, plan.id, kpi.id])
    start = datetime.date(2026, 1, 1)

    def grow(n):
        from kpis.services import measurement_add

        have = kpi.measurements.count()
        for day in range(have, have + n):
            measurement_add(kpi=kpi, date=start + datetime.timedelta(days=day), value=11)

    flat(grow, ok_get(api, url), [*AUTH, "plan (scoped)", "KPI", *PAGED])


def test_simulation_list_api(flat, api, plan):
    goal = DigitalGoalFactory(plan=plan)
    url = reverse("api-plan-simulations", args=[plan.client.workspace_id, plan.id])

    def grow(n):
        for i in range(n):
            period_save(plan=plan, name=f"Period {i}", visits=100, conversions={str(goal.id): 3})

    queries = [*AUTH, "plan (scoped)", "periods", "scale: categories", "scale: digital goals"]
    flat(grow, ok_get(api, url), queries)


def test_client_team_list_api(flat, api, workspace, acme_client):
    def grow(n):
        for membership in MembershipFactory.create_batch(n, workspace=workspace, role=Role.CLIENT):
            grant_client(membership, acme_client, ClientRole.VIEWER)

    url = reverse("api-client-team-list", args=[workspace.id, acme_client.id])
    flat(grow, ok_get(api, url), [*AUTH, "client (scoped)", *PAGED])


def test_client_invitation_list_api(flat, api, workspace, acme_client):
    url = reverse("api-client-invitation-list", args=[workspace.id, acme_client.id])
    flat(
        lambda n: InvitationFactory.create_batch(
            n, workspace=workspace, client=acme_client, role=Role.CLIENT
        ),
        ok_get(api, url),
        [*AUTH, "client (scoped)", *PAGED],
    )


def test_api_token_list_api(flat, api, owner):
    def grow(n):
        for i in range(n):
            api_token_create(user=owner, name=f"Token {i}", two_factor_verified=True)

    flat(grow, ok_get(api, reverse("api-token-list")), [*AUTH[:2], *PAGED])


def test_listening_comparison_api(flat, api, acme_client):
    """The listening months on file (the client and a competitor, 1 and 50 months)."""

    def grow(n):
        have = ListeningMonth.objects.filter(client=acme_client).count() // 2
        ListeningMonth.objects.bulk_create(
            ListeningMonth(
                client=acme_client, brand=brand, is_client=brand == "Acme",
                month=datetime.date(2020 + m // 12, 1 + m % 12, 1), source="web",
                mentions=100, positive=40, negative=10, shares=5, reviews=3, rating=4,
            )
            for m in range(have, have + n)
            for brand in ("Acme", "Rival")
        )  # fmt: skip

    url = reverse("api-client-listening", args=[acme_client.workspace_id, acme_client.id])
    flat(grow, ok_get(api, url), [*AUTH, "client (scoped)", "its listening months"])
