"""Stage narratives: the questionnaire's optional `stages:` block, checked, stored and
exported, and shown on the results page, in the API and in the playbook's stage chapter
and method appendix."""

import html

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader
from rest_framework.test import APIClient

from assessments import questionnaire_files
from assessments.languages import localized
from assessments.models import Question
from assessments.services import (
    answers_save,
    questionnaire_export,
    questionnaire_import,
    respondent_add,
    respondent_submit,
)
from tests.assessments.factories import DEFAULT, SMALL, default_version, open_assessment
from tests.factories import ClientFactory

pytestmark = pytest.mark.django_db

NARRATED = """
stages:
  2:
    definition: "Every channel on its own."
    practices: ["Own tools per team", "Same message for all"]
    signs: "Teams defend their own numbers."
    next: "Link objectives through the six steps."
  3:
    definition: "Tactics trace to objectives."
    practices: "KPIs tracked against targets"
    next: "Judge by value per visit."
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(questionnaire_files.QuestionnaireFileError) as caught:
        questionnaire_files.load(text)
    return caught.value.problems


def _small_with(block: str) -> str:
    return SMALL.read_text() + block


@pytest.mark.parametrize(
    ("block", "problem"),
    [
        ('stages:\n  8:\n    definition: "Beyond"\n', "stages.8: must be a stage from 1 to 7"),
        ('stages:\n  0:\n    definition: "Below"\n', "stages.0: must be a stage from 1 to 7"),
        ('stages:\n  first:\n    definition: "x"\n', "stages.first: must be a stage from 1 to 7"),
        ("stages: [1, 2]\n", "stages: must map stages 1 to 7 to their narratives"),
        ('stages:\n  2: "just a text"\n', "stages.2: must be a mapping"),
        ("stages:\n  2:\n    definition: [a, b]\n", "stages.2.definition: must be text"),
        # A mapping is a text's translations, by language code.
        (
            "stages:\n  2:\n    signs: {a: 1}\n    definition: x\n",
            "stages.2.signs.a: unknown language",
        ),
        ("stages:\n  2:\n    next: x\n", "stages.2.definition: is required"),
        ("stages:\n  2:\n    definition: x\n    practices: [{a: 1}]\n", "stages.2.practices[0]"),
        ("stages:\n  2:\n    definition: x\n    sings: y\n", "stages.2: unknown field sings"),
        (f"stages:\n  2:\n    definition: {'x' * 1001}\n", "stages.2.definition: must be at most"),
    ],
)
def test_a_broken_stages_block_is_reported_with_its_path(block, problem):
    problems = _problems(_small_with(block))
    assert any(p.startswith(problem) for p in problems), problems


def test_stages_are_stored_on_the_version_and_the_export_round_trips_them():
    version, created = questionnaire_import(data=_small_with(NARRATED))
    assert created
    assert version.stages["2"]["practices"] == ["Own tools per team", "Same message for all"]
    # One text is a list of one practice.
    assert version.stages["3"] == {
        "definition": "Tactics trace to objectives.",
        "practices": ["KPIs tracked against targets"],
        "signs": "",
        "next": "Judge by value per visit.",
    }
    exported = questionnaire_export(version=version)
    assert yaml.safe_load(exported)["stages"][2]["signs"] == "Teams defend their own numbers."
    assert questionnaire_files.load(exported) == version.content
    assert questionnaire_import(data=exported) == (version, False)


def test_a_file_without_stages_loads_as_before_with_no_narratives():
    version, _ = questionnaire_import(data=SMALL.read_bytes())
    assert version.stages == {}
    assert "stages" not in version.content
    assert "stages" not in yaml.safe_load(questionnaire_export(version=version))


def _in_english(stages: dict) -> dict:
    """The narratives' English texts (the built-in questionnaire translates them)."""
    return {
        stage: {
            field: [localized(p, "en") for p in value]
            if isinstance(value, list)
            else localized(value, "en")
            for field, value in narrative.items()
        }
        for stage, narrative in stages.items()
    }


def test_the_built_in_questionnaire_narrates_all_seven_stages():
    stages = _in_english(questionnaire_files.load(DEFAULT.read_bytes())["stages"])
    assert list(stages) == ["1", "2", "3", "4", "5", "6", "7"]
    for narrative in stages.values():
        assert all(narrative[field] for field in ("definition", "signs", "next"))
        assert narrative["practices"]
    assert "raise the targets" in stages["7"]["next"]


def _submit_everywhere(assessment, value: str, n: int = 1) -> None:
    keys = Question.objects.filter(version=assessment.version).values_list("key", flat=True)
    for i in range(n):
        r = respondent_add(
            assessment=assessment, name=f"Exec {i}", email=f"e{i}@c.example", role="executive"
        )
        r.refresh_from_db()
        answers_save(respondent=r, changes={key: {"value": value} for key in keys})
        respondent_submit(respondent=r)


@pytest.fixture
def radiate(workspace):
    """An assessment of the built-in questionnaire where every answer is 2: stage Radiate."""
    assessment = open_assessment(
        client=ClientFactory(workspace=workspace, name="Stage Two Ltd"),
        version=default_version(),
        respondents=0,
    )
    _submit_everywhere(assessment, "2")
    return assessment


def test_the_results_page_explains_the_overall_stage_and_each_dimensions_stage(
    client, consultant, workspace, radiate
):
    stages = _in_english(radiate.version.stages)
    client.force_login(consultant)
    page = client.get(reverse("assessment_results", args=[workspace.id, radiate.id]))
    assert page.status_code == 200
    text = html.unescape(page.text)
    assert "What Radiate means" in text
    assert stages["2"]["definition"] in text
    assert stages["2"]["signs"] in text
    assert "To reach 3 · Align" in text
    assert stages["2"]["next"] in text
    # Each dimension card: its stage, what the next takes, and its own guidance once.
    assert text.count("What Radiate looks like here") == 7
    guidance = radiate.version.dimensions.get(key="strategy").guidance["3"]
    assert text.count(guidance) == 1


def test_the_api_results_carry_the_narratives(consultant, workspace, radiate):
    api = APIClient()
    api.force_authenticate(consultant)
    url = reverse("api-assessment-results", args=[workspace.id, radiate.id])
    body = api.get(url).json()
    stages = _in_english(radiate.version.stages)
    assert [n["name"] for n in body["stage_narratives"]][:2] == ["Initiate", "Radiate"]
    assert body["stage_narrative"]["stage"] == 2
    assert body["stage_narrative"]["definition"] == stages["2"]["definition"]
    assert body["stage_narrative"]["next_stage_name"] == "Align"
    card = body["dimensions"][0]["stage_narrative"]
    assert (card["stage"], card["next_stage"]) == (2, 3)
    assert card["next"] == stages["2"]["next"]


def test_a_questionnaire_without_stages_still_renders_with_stage_names(
    client, consultant, workspace
):
    assessment = open_assessment(client=ClientFactory(workspace=workspace), respondents=0)
    keys = ["q1", "q2", "q3"]
    r = respondent_add(assessment=assessment, name="A", email="a@c.example", role="executive")
    r.refresh_from_db()
    answers_save(respondent=r, changes={k: {"value": "7"} for k in keys})
    respondent_submit(respondent=r)
    client.force_login(consultant)
    page = client.get(reverse("assessment_results", args=[workspace.id, assessment.id]))
    assert page.status_code == 200
    assert "Lifetime customers" in page.text
    assert "What Lifetime customers means" not in page.text
    assert "looks like here" not in page.text


def _pdf_text(path) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(path).pages)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_the_playbook_explains_this_stage_and_the_next_and_cites_the_published_spread(
    radiate, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media"
    out = tmp_path / "playbook.pdf"
    call_command("render_document", client="Stage Two Ltd", kind="playbook", out=str(out))
    text = _pdf_text(out)
    stages = _in_english(radiate.version.stages)
    assert "Where the organisation is: stage 2, Radiate" in text
    assert _flat(stages["2"]["definition"]) in text
    assert _flat(stages["2"]["next"]) in text
    assert "The next stage: 3, Align" in text
    assert _flat(stages["3"]["definition"]) in text
    assert "85.4 % of companies are in the first two stages" in text
    assert "Source: the Sitecore Customer Experience Maturity Model talk" in text
