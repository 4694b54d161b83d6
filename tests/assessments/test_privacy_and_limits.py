"""Findings of a review: anonymity, closed links in the API, odd input that once gave 500s."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from assessments import questionnaire_files
from assessments.models import Answer, Assessment
from assessments.results import assessment_results
from assessments.services import (
    action_accept,
    answers_save,
    assessment_close,
    assessment_run_again,
    consensus_notes_save,
    consensus_respondent_get_or_create,
    respondent_add,
    respondent_invite,
    respondent_link,
    respondent_reissue,
    respondent_revoke,
    respondent_submit,
    respondents_import_csv,
    roadmap_suggest,
)
from tests.assessments.factories import SMALL, open_assessment

pytestmark = pytest.mark.django_db


def _submit(assessment, name, role, value="4"):
    r = respondent_add(assessment=assessment, name=name, email=f"{name}@c.example", role=role)
    r.refresh_from_db()
    answers_save(respondent=r, changes={"q1": {"value": value, "comment": f"a view from {role}"}})
    return respondent_submit(respondent=r)


def test_workshop_consensus_counts_in_the_results_once_saved():
    assessment = open_assessment(respondents=0, mode="facilitated")
    consensus = consensus_respondent_get_or_create(assessment=assessment)
    answers_save(
        respondent=consensus,
        changes={"q1": {"value": "5"}, "q2": {"value": "5"}},
        entered_by_consultant=True,
    )
    consensus_notes_save(respondent=consensus, notes="Agreed after debate")
    results = assessment_results(assessment)
    assert results["submitted"] == 1
    assert results["dimensions"][0]["score"] == 5.0
    with pytest.raises(Exception, match="entered by the consultant"):
        respondent_reissue(respondent=consensus)


def test_roles_only_results_and_exports_name_nobody(client, consultant, workspace):
    from tests.factories import ClientFactory

    assessment = open_assessment(
        client=ClientFactory(workspace=workspace), respondents=0, anonymity="roles"
    )
    _submit(assessment, "Alice", "it", "7")
    _submit(assessment, "Bob", "marketing", "1")
    _submit(assessment, "Carol", "sales", "3")
    results = assessment_results(assessment)
    assert results["respondents"] == []
    labels = {n["who"] for c in results["comments"] for n in c["notes"]}
    assert labels == {"Other"}  # three singletons merged: no role singles anyone out
    api = APIClient()
    api.force_authenticate(consultant)
    body = api.get(f"/api/v1/workspaces/{workspace.id}/assessments/{assessment.id}/results/")
    assert "Alice" not in body.content.decode()
    client.force_login(consultant)
    export = client.get(
        reverse("assessment_export", args=[workspace.id, assessment.id, "answers", "csv"])
    )
    text = export.content.decode("utf-8-sig")
    assert "Alice" not in text
    assert "Bob" not in text


def test_two_people_in_roles_mode_are_not_even_called_other():
    assessment = open_assessment(respondents=0, anonymity="roles")
    _submit(assessment, "Alice", "it")
    _submit(assessment, "Bob", "it")
    labels = {n["who"] for c in assessment_results(assessment)["comments"] for n in c["notes"]}
    assert labels == {"A respondent"}


def test_closed_assessment_link_reveals_nothing_through_the_api():
    assessment = open_assessment(respondents=1)
    respondent = respondent_invite(respondent=assessment.respondents.get())
    token = respondent_link(respondent).rstrip("/").rsplit("/", 1)[1]
    assessment_close(assessment=assessment)
    response = APIClient().get(f"/api/v1/respondent/{token}/")
    assert response.status_code == 410
    assert assessment.client.name not in response.content.decode()


def test_control_characters_are_dropped_and_the_xlsx_export_still_works(
    client, consultant, workspace
):
    from tests.factories import ClientFactory

    assessment = open_assessment(client=ClientFactory(workspace=workspace), respondents=0)
    r = respondent_add(assessment=assessment, name="Ann\x00", email="ann@c.example")
    r.refresh_from_db()
    answers_save(respondent=r, changes={"q1": {"value": "4", "comment": "bad\x0b\x01 text\x00"}})
    respondent_submit(respondent=r)
    assert Answer.objects.get().comment == "bad text"
    assert r.name == "Ann"
    client.force_login(consultant)
    export = client.get(
        reverse("assessment_export", args=[workspace.id, assessment.id, "answers", "xlsx"])
    )
    assert load_workbook(io.BytesIO(export.content)).active.max_row == 4


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,weight\nAda,0.0001", "Row 2, weight"),
        ("name,weight\nAda,1.23456", "Row 2, weight"),
        ("name\n" + "x" * 200_000, "not a CSV file we can read"),
        ("name,email\nAda," + "a" * 250 + "@c.example", "Row 2, email"),
    ],
)
def test_csv_values_the_database_could_not_keep_are_refused(text, message):
    assessment = open_assessment(respondents=0)
    with pytest.raises(Exception, match=message):
        respondents_import_csv(assessment=assessment, data=text)
    assert not assessment.respondents.exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("a: &x [1]\nb: *x", "aliases"),
        ("? [1, 2]\n: 3", "documented shape"),
        ("[" * 5000 + "]" * 5000, "documented shape|not valid YAML"),
    ],
)
def test_hostile_questionnaire_files_are_refused_quickly(text, problem):
    with pytest.raises(questionnaire_files.QuestionnaireFileError, match=problem):
        questionnaire_files.load(text)


@pytest.mark.parametrize(
    ("edit", "problem"),
    [
        (("weight: 2", "weight: 0.00001"), "at most 4 decimals"),
        (("weight: 2", "weight: 200000"), "at most 10000"),
        (("key: q3", "key: " + "q" * 81), "at most 80 characters"),
    ],
)
def test_questionnaire_values_the_database_could_not_keep_are_refused(edit, problem):
    with pytest.raises(questionnaire_files.QuestionnaireFileError, match=problem):
        questionnaire_files.load(SMALL.read_text().replace(*edit, 1))


def test_too_many_questions_are_refused():
    dims = "\n".join(
        f"  - key: d{i}\n    title: D\n    questions:\n"
        + "".join(
            f"      - {{key: q{i}x{j}, text: T, levels: {{1: a, 7: b}}}}\n" for j in range(20)
        )
        for i in range(25)
    )
    with pytest.raises(questionnaire_files.QuestionnaireFileError, match="at most"):
        questionnaire_files.load(f"key: big\ntitle: Big\ndimensions:\n{dims}")


def test_run_again_leaves_revoked_respondents_behind_and_suggestions_need_accepting():
    call_command("seed_demo")
    baseline = Assessment.objects.get(title="CX maturity baseline 2025")
    revoked = baseline.respondents.first()
    respondent_revoke(respondent=revoked)
    again = assessment_run_again(previous=baseline, created_by=None)
    assert not again.respondents.filter(email=revoked.email).exists()
    baseline.actions.all().delete()  # the demo's roadmap is accepted: suggest afresh
    suggestion = roadmap_suggest(assessment=baseline)[0]
    assert suggestion.accepted is False
    assert action_accept(action=suggestion).accepted is True
