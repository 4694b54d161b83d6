"""Benchmarks on the results: peers are other clients' closed assessments of the same
questionnaire, narrowed by the traits chosen, at least BENCHMARK_MIN_PEERS of them or
nothing; the anonymous pool shows only behind enough assessments and workspaces."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.inputs import AssessmentInput
from assessments.models import Assessment, ResultSnapshot
from assessments.results import assessment_results
from assessments.services import (
    answers_save,
    assessment_close,
    assessment_update,
    respondent_add,
    respondent_submit,
)
from tests.assessments.factories import open_assessment, small_version
from tests.factories import ClientFactory, MembershipFactory, WorkspaceFactory
from workspaces.models import Role

pytestmark = pytest.mark.django_db


def _closed(client, version, strategy=4, channels=7) -> Assessment:
    """One respondent: strategy scores `strategy`, channels `channels` (1 or 7), overall
    (2·strategy + channels)/3."""
    assessment = open_assessment(client=client, version=version, respondents=0)
    r = respondent_add(assessment=assessment, name="P", email="p@c.example", role="executive")
    r.refresh_from_db()
    level = str(strategy)
    answers_save(
        respondent=r,
        changes={
            "q1": {"value": level},
            "q2": {"value": "not_applicable"},  # strategy is then q1's level
            "q3": {"value": str(channels)},
        },
    )
    respondent_submit(respondent=r)
    return assessment_close(assessment=assessment)


def _peers(workspace, version, n=5, **traits):
    return [_closed(ClientFactory(workspace=workspace, **traits), version) for _ in range(n)]


def _filters(assessment, *names):
    return assessment_update(
        assessment=assessment,
        data=AssessmentInput.from_values({"benchmark_filters": list(names)}, partial=True),
    )


@pytest.fixture
def version():
    return small_version()


def test_own_clients_other_assessments_are_not_its_peers(acme_client, version):
    assessment = _closed(acme_client, version)
    for _ in range(5):
        _closed(acme_client, version)  # its own history: never a peer
    _peers(acme_client.workspace, version, n=4)
    benchmark = assessment_results(assessment)["benchmark"]
    assert benchmark["shown"] is False
    assert benchmark["peer_count"] == 4
    assert benchmark["reason"] == "Fewer than 5 comparable assessments."
    _peers(acme_client.workspace, version, n=1)
    results = assessment_results(assessment)
    assert results["benchmark"]["shown"] is True
    assert results["benchmark"]["peer_count"] == 5
    assert results["overall"]["peer_count"] == 5


def test_under_the_minimum_nothing_is_shown(acme_client, version):
    assessment = _closed(acme_client, version)
    _peers(acme_client.workspace, version, n=4)
    results = assessment_results(assessment)
    assert results["overall"]["percentile"] is None
    assert results["benchmark"]["overall"] is None
    assert all(d["benchmark"] is None for d in results["dimensions"])


def test_the_setting_raises_the_minimum(acme_client, version, settings):
    assessment = _closed(acme_client, version)
    _peers(acme_client.workspace, version, n=5)
    assert assessment_results(assessment)["benchmark"]["shown"] is True
    settings.BENCHMARK_MIN_PEERS = 6
    results = assessment_results(assessment)
    assert results["benchmark"]["shown"] is False
    assert results["benchmark"]["reason"] == "Fewer than 6 comparable assessments."
    assert results["overall"]["percentile"] is None


@pytest.mark.parametrize(
    ("name", "other", "text"),
    [
        ("industry", {"industry": "Banking"}, "same industry (Retail), any size, any region"),
        (
            "size_band",
            {"size_band": "5000+"},
            "any industry, same size (1,000–4,999 employees), any region",
        ),
        ("region", {"region": "FR"}, "any industry, any size, same region (United Kingdom)"),
    ],
)
def test_each_filter_keeps_only_clients_sharing_that_trait(version, workspace, name, other, text):
    traits = {"industry": "Retail", "size_band": "1000-4999", "region": "GB"}
    own = ClientFactory(workspace=workspace, **traits)
    assessment = _closed(own, version)
    _peers(workspace, version, n=5, **traits)
    _peers(workspace, version, n=3, **{**traits, **other})
    assert assessment_results(assessment)["benchmark"]["peer_count"] == 8
    assessment = _filters(assessment, name)
    benchmark = assessment_results(assessment)["benchmark"]
    assert benchmark["peer_count"] == 5
    assert benchmark["filters"] == [name]
    assert benchmark["filters_text"] == text


def test_per_dimension_percentile_and_band_are_the_hand_computed_ones(acme_client, version):
    assessment = _closed(acme_client, version, strategy=4, channels=7)  # overall 5
    for strategy, channels in [(1, 1), (2, 1), (4, 7), (5, 7), (6, 7), (7, 7)]:
        _closed(ClientFactory(workspace=acme_client.workspace), version, strategy, channels)
    results = assessment_results(assessment)
    dims = {d["key"]: d["benchmark"] for d in results["dimensions"]}
    # strategy peers 1,2,4,5,6,7: 2 below 4 and one tie → 2.5/6 → 42;
    # Q(1/4) = 2 + 1/4·2 = 2.5, Q(3/4) = 5 + 3/4·1 = 5.75.
    assert dims["strategy"] == {"percentile": 42, "band": {"p25": 2.5, "p75": 5.75}, "count": 6}
    # channels peers 1,1,7,7,7,7: (2 + 4/2)/6 → 67; Q(1/4) = 1 + 1/4·6 = 2.5, Q(3/4) = 7.
    assert dims["channels"] == {"percentile": 67, "band": {"p25": 2.5, "p75": 7.0}, "count": 6}
    # overall peers 1, 5/3, 5, 17/3, 19/3, 7 against 5: 42; band 2.5 to 37/6.
    assert results["benchmark"]["overall"]["band"] == {"p25": 2.5, "p75": 6.17}
    assert results["overall"]["percentile"] == results["benchmark"]["overall"]["percentile"] == 42


def test_results_stored_without_dimension_exacts_heal(acme_client, version):
    assessment = _closed(acme_client, version)
    _peers(acme_client.workspace, version, n=5)
    snapshots = list(ResultSnapshot.objects.order_by("computed_at", "id"))
    for snapshot in snapshots[:3]:  # stored before dimension rows kept their exact score
        for d in snapshot.scores["dimensions"]:
            del d["exact"]
        snapshot.dimensions_exact = None
        snapshot.save()
    for snapshot in snapshots[3:]:  # stored with it, before the column held it: read there
        snapshot.dimensions_exact = None
        snapshot.save()
    results = assessment_results(assessment)
    assert results["dimensions"][0]["benchmark"]["count"] == 5
    assert results["dimensions"][0]["benchmark"]["percentile"] == 50  # all tie at 4
    assert all("exact" in d for s in ResultSnapshot.objects.all() for d in s.scores["dimensions"])
    stored_again = ResultSnapshot.objects.filter(id__in=[s.id for s in snapshots[:3]])
    assert all(s.dimensions_exact == {"strategy": "4", "channels": "7"} for s in stored_again)


def test_another_workspaces_assessments_never_count_unless_pooled(acme_client, version):
    assessment = _closed(acme_client, version)
    _peers(WorkspaceFactory(benchmark_pool=True), version, n=5)
    _peers(WorkspaceFactory(), version, n=5)
    results = assessment_results(assessment)
    assert results["benchmark"]["peer_count"] == 0
    assert results["benchmark"]["pool"] is None  # not opted in: no pool at all


def _pooled(acme_client, version, counts):
    acme_client.workspace.benchmark_pool = True
    acme_client.workspace.save()
    assessment = _closed(acme_client, version)
    for n in counts:
        _peers(WorkspaceFactory(benchmark_pool=True), version, n=n)
    return assessment


@pytest.mark.parametrize("counts", [[3, 3, 3], [5, 5]])
def test_the_pool_shows_nothing_under_10_assessments_or_3_workspaces(acme_client, version, counts):
    # Three workspaces with 9 assessments, or 10 assessments from two.
    pool = assessment_results(_pooled(acme_client, version, counts))["benchmark"]["pool"]
    assert pool["shown"] is False
    assert pool["overall"] is None
    assert pool["peer_count"] is None


def test_the_pool_shows_figures_behind_10_assessments_from_3_workspaces(acme_client, version):
    assessment = _pooled(acme_client, version, [4, 3, 3])
    pool = assessment_results(assessment)["benchmark"]["pool"]
    assert pool["shown"] is True
    assert pool["peer_count"] == 10
    assert pool["overall"]["percentile"] == 50  # every peer ties at 5


def test_pooled_api_output_names_no_workspace_or_client(acme_client, version):
    assessment = _pooled(acme_client, version, [4, 3, 3])
    owner = MembershipFactory(workspace=acme_client.workspace, role=Role.OWNER).user
    api = APIClient()
    api.force_login(owner)
    url = reverse("api-assessment-results", args=[acme_client.workspace_id, assessment.id])
    response = api.get(url)
    assert response.status_code == 200
    body = json.dumps(response.json()["benchmark"])
    assert response.json()["benchmark"]["pool"]["peer_count"] == 10
    others = Assessment.objects.exclude(client=acme_client).select_related("client__workspace")
    for other in others:
        for secret in (other.client.name, str(other.client_id), str(other.id)):
            assert secret not in body
        assert str(other.client.workspace_id) not in body
        assert other.client.workspace.name not in body


def test_filters_are_set_through_the_api_and_bad_ones_are_refused(acme_client, version):
    assessment = _closed(acme_client, version)
    owner = MembershipFactory(workspace=acme_client.workspace, role=Role.CONSULTANT).user
    api = APIClient()
    api.force_login(owner)
    url = reverse("api-assessment-detail", args=[acme_client.workspace_id, assessment.id])
    bad = api.patch(url, {"benchmark_filters": ["colour"]}, format="json")
    assert bad.status_code == 400
    assert "benchmark_filters" in bad.json()
    ok = api.patch(url, {"benchmark_filters": ["region", "industry"]}, format="json")
    assert ok.status_code == 200, ok.json()
    assert ok.json()["benchmark_filters"] == ["industry", "region"]
    assessment.refresh_from_db()
    assert assessment.benchmark_filters == ["industry", "region"]


def test_only_an_owner_lets_the_workspace_join_the_pool_and_it_is_audited(workspace):
    from audit.models import AuditEvent

    url = reverse("api-workspace-benchmark-pool", args=[workspace.id])
    api = APIClient()
    api.force_login(MembershipFactory(workspace=workspace, role=Role.CONSULTANT).user)
    assert api.put(url, {"benchmark_pool": True}, format="json").status_code == 403
    api.force_login(MembershipFactory(workspace=workspace, role=Role.OWNER).user)
    refused = api.put(url, {"benchmark_pool": "maybe"}, format="json")
    assert refused.status_code == 400
    assert refused.json().keys() == {"benchmark_pool"}
    response = api.put(url, {"benchmark_pool": True}, format="json")
    assert response.status_code == 200
    assert response.json()["benchmark_pool"] is True
    workspace.refresh_from_db()
    assert workspace.benchmark_pool is True
    event = AuditEvent.objects.get(workspace=workspace, object_id=str(workspace.id))
    assert event.changes == {"benchmark_pool": ["False", "True"]}


def test_the_settings_page_sets_the_pool(client, workspace):
    client.force_login(MembershipFactory(workspace=workspace, role=Role.OWNER).user)
    url = reverse("workspace_settings", args=[workspace.id])
    assert "Anonymous benchmark pool" in client.get(url).content.decode()
    post = reverse("workspace_benchmark_pool", args=[workspace.id])
    assert client.post(post, {"benchmark_pool": "on"}).status_code == 302
    workspace.refresh_from_db()
    assert workspace.benchmark_pool is True


def test_the_results_page_shows_the_benchmark_and_sets_its_filters(client, acme_client, version):
    assessment = _closed(acme_client, version)
    _peers(acme_client.workspace, version, n=6)
    client.force_login(
        MembershipFactory(workspace=acme_client.workspace, role=Role.CONSULTANT).user
    )
    url = reverse("assessment_results", args=[acme_client.workspace_id, assessment.id])
    page = client.get(url).content.decode()
    assert "Compared with 6 closed assessments of other organisations: any industry" in page
    assert 'class="radar-band"' in page
    assert "Percentile" in page
    post = reverse("assessment_benchmark_filters", args=[acme_client.workspace_id, assessment.id])
    bad = client.post(post, {"benchmark_filters": "colour", "revision": assessment.revision})
    assert bad.status_code == 400
    client.post(post, {"benchmark_filters": "industry", "revision": assessment.revision})
    assessment.refresh_from_db()
    assert assessment.benchmark_filters == ["industry"]
    assert "same industry (Retail)" in client.get(url).content.decode()
