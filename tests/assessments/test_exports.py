import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from assessments.exports import safe_cell
from assessments.models import Answer, Assessment
from assessments.results import assessment_results
from workspaces.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def baseline(client):
    call_command("seed_demo")
    client.force_login(User.objects.get(email="viewer@demo.cxmaturity.local"))
    return Assessment.objects.get(title="CX maturity baseline 2025")


def _url(assessment, kind, fmt):
    return reverse(
        "assessment_export", args=[assessment.client.workspace_id, assessment.id, kind, fmt]
    )


def test_dimension_results_csv_holds_the_scored_numbers(client, baseline):
    response = client.get(_url(baseline, "dimensions", "csv"))
    assert response["Content-Disposition"].endswith('-dimensions.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    results = assessment_results(baseline)
    assert rows[0][:3] == ["Dimension", "Score", "Stage"]
    assert [float(r[1]) for r in rows[1:8]] == [d["score"] for d in results["dimensions"]]
    assert rows[-1][0] == "Overall"
    assert float(rows[-1][1]) == results["overall"]["score"]


def test_raw_answers_xlsx_has_every_answer_with_comments(client, baseline):
    response = client.get(_url(baseline, "answers", "xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Respondent"
    assert len(rows) - 1 == 6 * 38
    assert any(r[5] for r in rows[1:])  # some comments


def test_formula_looking_text_is_escaped_in_csv_and_xlsx(client, baseline):
    answer = Answer.objects.filter(respondent__assessment=baseline).first()
    answer.comment = '=HYPERLINK("http://evil.example","click")'
    answer.save()
    csv_text = client.get(_url(baseline, "answers", "csv")).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in csv_text
    sheet = load_workbook(io.BytesIO(client.get(_url(baseline, "answers", "xlsx")).content)).active
    comments = [row[5] for row in sheet.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil.example","click")' in comments
    assert safe_cell(-1.5) == -1.5
    assert safe_cell("+31 20 123") == "'+31 20 123"


def test_roadmap_and_respondent_scores_export(client, baseline):
    from assessments.services import roadmap_suggest

    roadmap_suggest(assessment=baseline)
    rows = list(
        csv.reader(
            io.StringIO(client.get(_url(baseline, "roadmap", "csv")).content.decode("utf-8-sig"))
        )
    )
    assert len(rows) == 8
    scores = list(
        csv.reader(
            io.StringIO(
                client.get(_url(baseline, "respondents", "csv")).content.decode("utf-8-sig")
            )
        )
    )
    assert len(scores) == 7  # a header and six respondents


def test_unknown_export_kind_is_404_and_another_workspace_cannot_export(client, baseline):
    assert client.get(_url(baseline, "secrets", "csv")).status_code == 404
    assert client.get(_url(baseline, "answers", "pdf")).status_code == 404
    from tests.factories import MembershipFactory

    client.force_login(MembershipFactory().user)
    assert client.get(_url(baseline, "answers", "csv")).status_code == 404
