"""Stored results: a closed assessment's scores are stored when it closes and whenever
they change after; pages, the API, lists and the benchmark read them, and show the same
numbers score_assessment gives from the answers."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.inputs import AssessmentInput
from assessments.models import Assessment, ResultSnapshot
from assessments.results import assessment_results, gather, scoring_input
from assessments.scoring import SCORING_VERSION, score_assessment
from assessments.services import (
    answers_save,
    assessment_close,
    assessment_open,
    assessment_update,
    respondent_add,
    respondent_reopen,
    respondent_submit,
)
from tests.assessments.factories import open_assessment, small_version
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db


def _answer(assessment, n, *, first=0, q1="4"):
    respondents = []
    for i in range(first, first + n):
        r = respondent_add(
            assessment=assessment, name=f"P{i}", email=f"p{i}@c.example", role="executive"
        )
        r.refresh_from_db()
        answers_save(
            respondent=r,
            changes={"q1": {"value": q1}, "q2": {"value": "1357"[i % 4]}, "q3": {"value": "1"}},
        )
        respondents.append(respondent_submit(respondent=r))
    return respondents


def _closed(client, version, *, n=2, q1="4", **fields):
    assessment = open_assessment(client=client, version=version, respondents=0, **fields)
    _answer(assessment, n, q1=q1)
    return assessment_close(assessment=assessment)


def _peer(client, version, **kwargs):
    """A closed assessment of another client of the same workspace: a benchmark peer."""
    return _closed(ClientFactory(workspace=client.workspace), version, **kwargs)


def _live(assessment, peers=()):
    """score_assessment straight from the answers, as the results showed before storing."""
    return score_assessment(scoring_input(assessment, gather([assessment]), peers=list(peers)))


def _stored(assessment):
    return ResultSnapshot.objects.get(assessment=assessment)


def test_closing_stores_exactly_what_score_assessment_returns(acme_client):
    assessment = _closed(acme_client, small_version())
    snapshot = _stored(assessment)
    assert snapshot.scoring_version == SCORING_VERSION
    assert snapshot.scores == _live(assessment)
    assert snapshot.overall_exact == _live(assessment)["overall"]["exact"]


def test_reopening_drops_the_stored_results_and_a_resubmission_is_stored_at_close(acme_client):
    assessment = _closed(acme_client, small_version(), q1="7")
    before = _stored(assessment).overall_exact
    assessment = assessment_open(assessment=assessment)
    assert not ResultSnapshot.objects.filter(assessment=assessment).exists()  # scored live
    respondent = assessment.respondents.order_by("created_at").first()
    respondent = respondent_reopen(respondent=respondent)
    answers_save(respondent=respondent, changes={"q1": {"value": "1"}})
    respondent_submit(respondent=respondent)
    assessment_close(assessment=assessment)
    after = _stored(assessment).overall_exact
    assert after != before
    assert after == _live(assessment)["overall"]["exact"]


def test_changing_targets_after_close_stores_the_results_again(acme_client):
    assessment = _closed(acme_client, small_version())
    old = {d["key"]: d for d in _stored(assessment).scores["dimensions"]}
    assert old["strategy"]["target"] != 7
    assessment_update(
        assessment=assessment,
        data=AssessmentInput.from_values({"targets": {"strategy": 7}}, partial=True),
    )
    new = {d["key"]: d for d in _stored(assessment).scores["dimensions"]}
    assert new["strategy"]["target"] == 7
    assert new["strategy"]["gap"] > old["strategy"]["gap"]
    assessment.refresh_from_db()
    assert _stored(assessment).scores == _live(assessment)


def test_results_of_another_scoring_version_are_computed_again_and_stored(acme_client):
    version = small_version()
    peers = [_peer(acme_client, version, q1=str(level)) for level in (1, 2, 3, 5, 6)]
    assessment = _closed(acme_client, version)
    ResultSnapshot.objects.update(
        scoring_version=SCORING_VERSION - 1, scores={"overall": {"exact": "1"}}, overall_exact="1"
    )
    results = assessment_results(assessment)
    expected = _live(assessment, [_live(p)["overall"]["exact"] for p in peers])
    assert results["overall"] == expected["overall"]
    assert results["overall"]["percentile"] is not None
    assert set(ResultSnapshot.objects.values_list("scoring_version", flat=True)) == {
        SCORING_VERSION
    }
    assert _stored(assessment).scores == _live(assessment)


def test_closed_results_without_a_stored_result_heal(acme_client):
    assessment = _closed(acme_client, small_version())
    ResultSnapshot.objects.all().delete()
    assert assessment_results(assessment)["overall"] == _live(assessment)["overall"]
    assert _stored(assessment).scores == _live(assessment)


def test_closed_results_show_score_assessments_numbers_with_the_benchmark(acme_client):
    version = small_version()
    peers = [_peer(acme_client, version, q1=str(level)) for level in (1, 2, 3, 6, 7, 4)]
    assessment = _closed(acme_client, version, n=3)
    results = assessment_results(assessment)
    expected = _live(assessment, [_live(p)["overall"]["exact"] for p in peers])
    assert results["overall"] == expected["overall"]
    assert results["overall"]["peer_count"] == 6
    for shown, computed in zip(results["dimensions"], expected["dimensions"], strict=True):
        assert {k: shown[k] for k in computed} == computed
    assert results["respondents"] == expected["respondents"]


# Every signed-in request: the session, its user, and the membership with its workspace.
AUTH = ["session", "user", "membership and workspace"]
RESULTS = [
    "assessment (scoped)",
    "dimensions",
    "questions",
    "submitted respondents (no answer: what they show is stored too)",
    "its stored result",
    "the questionnaire's peers with their stored overall and dimensions (one query)",
]


@pytest.mark.parametrize("peers", [0, 30])
@pytest.mark.parametrize("kind", ["page", "api"])
def test_closed_results_take_the_same_queries_with_0_or_30_peers(
    peers, kind, client, owner, acme_client, django_assert_num_queries
):
    version = small_version()
    assessment = _closed(acme_client, version)
    for i in range(peers):
        _peer(acme_client, version, n=1, q1=str(1 + i % 7))
    ws = acme_client.workspace_id
    if kind == "page":
        client.force_login(owner)
        url = reverse("assessment_results", args=[ws, assessment.id])
    else:
        client = APIClient()
        client.force_login(owner)
        url = reverse("api-assessment-results", args=[ws, assessment.id])
    queries = [*AUTH, *RESULTS, "audit event: results viewed"]
    assert client.get(url).status_code == 200  # warms what a process caches once
    with django_assert_num_queries(len(queries), info=str(queries)):
        response = client.get(url)
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_assessment_list_api_takes_the_same_queries_at_1_or_50_closed_rows(
    rows, owner, acme_client, django_assert_num_queries
):
    version = small_version()
    for _ in range(rows):
        _closed(acme_client, version, n=1)
    api = APIClient()
    api.force_login(owner)
    url = reverse("api-assessment-list", args=[acme_client.workspace_id])
    assert api.get(url).status_code == 200
    # the page of assessments with client, version, questionnaire and respondent counts
    queries = [*AUTH, "count", "the page"]
    with django_assert_num_queries(len(queries), info=str(queries)):
        response = api.get(url)
    assert response.json()["count"] == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_client_assessments_tab_reads_stored_results_at_1_or_50_rows(
    rows, client, owner, acme_client, django_assert_num_queries
):
    version = small_version()
    for _ in range(rows):
        _closed(acme_client, version, n=1)
    client.force_login(owner)
    url = reverse("client_assessments", args=[acme_client.workspace_id, acme_client.id])
    assert client.get(url).status_code == 200
    queries = [
        *AUTH,
        "client (scoped)",
        "assessments with respondent counts",
        "their stored overall results (no answers scored)",
    ]
    with django_assert_num_queries(len(queries), info=str(queries)):
        response = client.get(url)
    assert response.status_code == 200
    overall = {a.id: a.overall for a in response.context["assessments"]}
    assert len(overall) == rows
    for assessment in Assessment.objects.filter(client=acme_client):
        assert overall[assessment.id] == _live(assessment)["overall"]
