from collections import defaultdict

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from assessments.models import Answer, Assessment, Question
from assessments.results import assessment_results
from assessments.services import answers_save, respondent_add, respondent_submit
from tests.assessments.factories import open_assessment

pytestmark = pytest.mark.django_db


def _answered(assessment, n, *, levels=("4", "3", "5"), first=0):
    respondents = []
    for i in range(first, first + n):
        r = respondent_add(
            assessment=assessment,
            name=f"P{i}",
            email=f"p{i}@c.example",
            role=["executive", "it", "sales", "marketing"][i % 4],
        )
        r.refresh_from_db()
        answers_save(
            respondent=r,
            changes={
                "q1": {"value": levels[i % 3]},
                "q2": {"value": "3" if i % 2 else "7"},
                "q3": {"value": "1"},
            },
        )
        respondents.append(respondent_submit(respondent=r))
    return respondents


def _oracle(assessment):
    """SCORING.md §2 again, independently and in floats, straight from the tables."""
    questions = list(
        Question.objects.filter(version=assessment.version).select_related("dimension")
    )
    submitted = list(assessment.respondents.filter(submitted_at__isnull=False))
    answers = defaultdict(dict)
    for a in Answer.objects.filter(respondent__in=submitted).select_related("question"):
        answers[a.respondent_id][a.question.key] = a.value
    by_dimension = defaultdict(list)
    for q in questions:
        by_dimension[q.dimension].append(q)
    scores = {}
    for dimension, qs in by_dimension.items():
        pairs = []
        for r in submitted:
            applicable = answered = total = 0.0
            for q in qs:
                value = answers[r.id].get(q.key) or "dont_know"
                if value == "not_applicable":
                    continue
                applicable += float(q.weight)
                if value.isdigit():
                    answered += float(q.weight)
                    total += float(q.weight) * int(value)
            if answered and answered >= applicable / 2:
                pairs.append((float(r.weight), total / answered))
        if pairs:
            scores[dimension.key] = sum(w * s for w, s in pairs) / sum(w for w, _ in pairs)
    weights = {d.key: float(d.weight) for d in by_dimension}
    overall = sum(weights[k] * s for k, s in scores.items()) / sum(weights[k] for k in scores)
    return scores, overall


def test_seeded_northwind_results_match_an_independent_computation():
    call_command("seed_demo")
    baseline = Assessment.objects.get(title="CX maturity baseline 2025")
    results = assessment_results(baseline)
    scores, overall = _oracle(baseline)
    assert results["submitted"] == 6
    assert results["overall"]["score"] == pytest.approx(overall, abs=0.005)
    for row in results["dimensions"]:
        assert row["score"] == pytest.approx(scores[row["key"]], abs=0.005), row["key"]
    # The IT lead sees channels at 5, the head of service at 1: divergent.
    channels = next(d for d in results["dimensions"] if d["key"] == "channels")
    assert channels["divergent"] is True
    assert channels["spread"] >= 2


@pytest.mark.parametrize("size", [3, 40])
def test_results_take_the_same_queries_whatever_the_number_of_respondents(
    size, django_assert_num_queries
):
    assessment = open_assessment(respondents=0)
    _answered(assessment, size)
    # As selectors.assessment_get reads it: the workspace decides whether a pool is shown.
    assessment = Assessment.objects.select_related(
        "client__workspace", "version__questionnaire"
    ).get(id=assessment.id)
    # dimensions, questions, respondents, answers, and the peers lookup
    with django_assert_num_queries(5):
        results = assessment_results(assessment)
    assert results["submitted"] == size


def test_drafts_never_count():
    assessment = open_assessment(respondents=0)
    _answered(assessment, 1)
    draft = respondent_add(assessment=assessment, name="Draft", email="d@c.example")
    draft.refresh_from_db()
    answers_save(respondent=draft, changes={"q1": {"value": "1"}})
    results = assessment_results(assessment)
    assert results["submitted"] == 1
    assert results["dimensions"][0]["respondents"] == 1


def test_roles_only_heatmap_merges_small_role_groups_into_other():
    assessment = open_assessment(respondents=0, anonymity="roles")
    _answered(assessment, 8)  # 2 of each of four roles
    labels = [row["label"] for row in assessment_results(assessment)["heatmap"]]
    assert labels == ["Other (8)"]
    assert all("P" not in label for label in labels)


def test_channel_view_scores_channel_tagged_questions():
    assessment = open_assessment(respondents=0)
    _answered(assessment, 2)
    channels = assessment_results(assessment)["channels"]
    assert [(c["channel"], c["score"]) for c in channels] == [("email", 1.0)]


def test_results_page_for_a_viewer_shows_scores_without_target_editing(client, viewer, workspace):
    from tests.factories import ClientFactory

    assessment = open_assessment(client=ClientFactory(workspace=workspace), respondents=0)
    _answered(assessment, 3)
    client.force_login(viewer)
    page = client.get(reverse("assessment_results", args=[workspace.id, assessment.id]))
    assert page.status_code == 200
    assert "Overall stage" in page.text
    assert 'class="radar"' in page.text
    assert 'name="target_strategy"' not in page.text
    response = client.post(
        reverse("assessment_targets", args=[workspace.id, assessment.id]), {"target_strategy": "6"}
    )
    assert response.status_code == 403


def test_results_empty_state_says_what_to_do(client, consultant, workspace):
    from tests.factories import ClientFactory

    assessment = open_assessment(client=ClientFactory(workspace=workspace))
    client.force_login(consultant)
    page = client.get(reverse("assessment_results", args=[workspace.id, assessment.id]))
    assert "No answers yet" in page.text
    assert "progress board" in page.text


@pytest.mark.parametrize("bad", ["0", "8", "x"])
def test_bad_target_is_refused_and_nothing_changes(client, consultant, workspace, bad):
    from tests.factories import ClientFactory

    assessment = open_assessment(client=ClientFactory(workspace=workspace))
    client.force_login(consultant)
    url = reverse("assessment_targets", args=[workspace.id, assessment.id])
    response = client.post(url, {"target_strategy": bad, "target_channels": "5"})
    assert response.status_code == 400
    assert "must be a stage from 1 to 7" in response.text
    assessment.refresh_from_db()
    assert assessment.targets == {}


def test_target_edit_moves_gap_and_priority(client, consultant, workspace):
    from tests.factories import ClientFactory

    assessment = open_assessment(client=ClientFactory(workspace=workspace), respondents=0)
    _answered(assessment, 3)
    client.force_login(consultant)
    client.post(
        reverse("assessment_targets", args=[workspace.id, assessment.id]),
        {"target_strategy": "7", "target_channels": "2"},
    )
    assessment.refresh_from_db()
    results = {d["key"]: d for d in assessment_results(assessment)["dimensions"]}
    assert results["strategy"]["target"] == 7
    assert results["channels"]["gap"] == 1.0
    assert results["strategy"]["priority"] == 1


def test_results_api(consultant, workspace):
    from tests.factories import ClientFactory

    assessment = open_assessment(client=ClientFactory(workspace=workspace), respondents=0)
    _answered(assessment, 3)
    api = APIClient()
    api.force_authenticate(consultant)
    body = api.get(f"/api/v1/workspaces/{workspace.id}/assessments/{assessment.id}/results/").json()
    assert body["overall"]["stage_name"]
    assert {d["key"] for d in body["dimensions"]} == {"strategy", "channels"}
    assert body["dimensions"][0]["title"] == "Strategy"


def test_a_heatmap_hidden_for_anonymity_says_why_on_the_page(client, consultant, workspace):
    from tests.factories import ClientFactory

    assessment = open_assessment(
        client=ClientFactory(workspace=workspace), respondents=0, anonymity="roles"
    )
    _answered(assessment, 2)  # two roles of one each: no group of three to show
    client.force_login(consultant)
    url = reverse("assessment_results", args=[workspace.id, assessment.id])
    page = client.get(url)
    assert 'class="list heatmap"' not in page.text
    assert "hidden to keep answers anonymous" in page.text
    assert "at least 3 respondents" in page.text
    _answered(assessment, 1, first=2)  # "Other" now holds three: its row shows, the note goes
    page = client.get(url)
    assert 'class="list heatmap"' in page.text
    assert "hidden to keep answers anonymous" not in page.text
