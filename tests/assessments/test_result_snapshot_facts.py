"""A closed assessment's results page and API read what they show from its stored result
(scores and answer facts) and show exactly what computing them from the answers shows;
whatever changes them after closing stores them again."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from assessments import results as results_module
from assessments.inputs import AssessmentInput
from assessments.models import Assessment, Respondent, ResultSnapshot
from assessments.result_facts import answer_facts
from assessments.results import assessment_results, gather, scoring_input
from assessments.scoring import score_assessment
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
from tests.factories import MembershipFactory
from workspaces.models import Role

pytestmark = pytest.mark.django_db

ROLES = ["executive"] * 3 + ["marketing"] * 3 + ["sales", "service", "it"]


def _closed(client, *, anonymity=Assessment.Anonymity.NAMED):
    """Nine respondents in three role groups who disagree on q2, two with comments."""
    assessment = open_assessment(
        client=client, version=small_version(), respondents=0, anonymity=anonymity
    )
    for i, role in enumerate(ROLES):
        r = respondent_add(assessment=assessment, name=f"P{i}", email=f"p{i}@c.example", role=role)
        r.refresh_from_db()
        changes = {
            "q1": {"value": "4"},
            "q2": {"value": "1357"[i % 4]},
            "q3": {"value": "17"[i % 2]},
        }
        if i in (1, 4):
            changes["q2"]["comment"] = f"Comment {i}"
            changes["q3"]["evidence"] = f"Evidence {i}"
        answers_save(respondent=r, changes=changes)
        respondent_submit(respondent=r)
    return assessment_close(assessment=assessment)


def _plain(value):
    return json.loads(json.dumps(value, default=str))


def _live(assessment):
    """assessment_results computed from the answers, as for an open assessment."""
    live = Assessment.objects.get(pk=assessment.pk)
    live.status = Assessment.Status.OPEN  # in memory only: the answers are the same
    shown = _plain(assessment_results(live))
    shown["assessment"]["status"] = assessment.status
    return shown


@pytest.mark.parametrize("anonymity", [Assessment.Anonymity.NAMED, Assessment.Anonymity.ROLES])
@pytest.mark.parametrize("named_rows", [50, 2])  # 2: past it, role groups and answer counts
def test_closed_results_from_the_stored_result_equal_the_live_ones(
    acme_client, monkeypatch, anonymity, named_rows
):
    monkeypatch.setattr(results_module, "MAX_NAMED_ROWS", named_rows)
    assessment = _closed(acme_client, anonymity=anonymity)
    stored = _plain(assessment_results(assessment))
    assert stored == _live(assessment)
    one_a_respondent = anonymity == Assessment.Anonymity.NAMED and named_rows == 50
    assert len(stored["heatmap"]) == (9 if one_a_respondent else 3)  # else role groups
    assert stored["comments"]
    assert any(d["spread_questions"] for d in stored["dimensions"])
    assert all(n["who"] for c in stored["comments"] for n in c["notes"])


def test_closed_results_read_no_answer(acme_client, django_assert_num_queries):
    assessment = _closed(acme_client)
    assessment_results(assessment)  # warm
    # dimensions, questions, submitted respondents, the stored result, the peers
    with django_assert_num_queries(5):
        assessment_results(assessment)


def test_the_api_shows_the_same_results_closed_and_reopened(client, acme_client):
    assessment = _closed(acme_client, anonymity=Assessment.Anonymity.ROLES)
    api = APIClient()
    api.force_login(MembershipFactory(workspace=acme_client.workspace, role=Role.OWNER).user)
    url = reverse("api-assessment-results", args=[acme_client.workspace_id, assessment.id])
    closed = api.get(url).json()
    assessment_open(assessment=assessment)  # scored live from here
    live = api.get(url).json()
    assert live["assessment"]["status"] == Assessment.Status.OPEN
    live["assessment"]["status"] = Assessment.Status.CLOSED
    assert closed == live


def test_reopening_and_closing_again_stores_the_new_answers_and_comments(acme_client):
    assessment = _closed(acme_client)
    assessment = assessment_open(assessment=assessment)
    assert not ResultSnapshot.objects.filter(assessment=assessment).exists()
    respondent = assessment.respondents.order_by("created_at").first()
    respondent = respondent_reopen(respondent=respondent)
    answers_save(respondent=respondent, changes={"q1": {"value": "7", "comment": "Changed"}})
    respondent_submit(respondent=respondent)
    assessment = assessment_close(assessment=assessment)
    comments = {c["key"]: c for c in assessment_results(assessment)["comments"]}
    assert [n["comment"] for n in comments["q1"]["notes"]] == ["Changed"]
    assert _plain(assessment_results(assessment)) == _live(assessment)


def test_changing_a_target_after_close_stores_the_results_again(acme_client):
    assessment = _closed(acme_client)
    before = ResultSnapshot.objects.get(assessment=assessment).computed_at
    assessment_update(
        assessment=assessment,
        data=AssessmentInput.from_values({"targets": {"strategy": 7}}, partial=True),
    )
    assessment.refresh_from_db()
    snapshot = ResultSnapshot.objects.get(assessment=assessment)
    assert snapshot.computed_at > before
    data = gather([assessment])
    scores = score_assessment(scoring_input(assessment, data))
    assert snapshot.details == _plain(answer_facts(assessment, data, scores))
    shown = {d["key"]: d for d in assessment_results(assessment)["dimensions"]}
    assert shown["strategy"]["target"] == 7
    assert _plain(assessment_results(assessment)) == _live(assessment)


@pytest.mark.parametrize("damage", ["empty facts", "a respondent gone"])
def test_stored_facts_that_no_longer_fit_are_stored_again(acme_client, damage):
    assessment = _closed(acme_client)
    if damage == "empty facts":  # as stored before the facts were
        ResultSnapshot.objects.update(details={})
    else:
        Respondent.objects.filter(pk=assessment.respondents.order_by("created_at")[0].pk).delete()
    assert _plain(assessment_results(assessment)) == _live(assessment)
    details = ResultSnapshot.objects.get(assessment=assessment).details
    assert len(details["respondents"]) == (9 if damage == "empty facts" else 8)
