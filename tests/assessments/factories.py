from pathlib import Path

from assessments.inputs import AssessmentInput
from assessments.models import Assessment, QuestionnaireVersion
from assessments.services import (
    assessment_create,
    assessment_open,
    questionnaire_import,
    respondent_add,
)
from tests.factories import ClientFactory

SMALL = Path(__file__).with_name("small.yaml")
DEFAULT = (
    Path(__file__).resolve().parents[2] / "assessments" / "questionnaires" / "cx-maturity.yaml"
)


def small_version(workspace=None) -> QuestionnaireVersion:
    return questionnaire_import(data=SMALL.read_bytes(), workspace=workspace)[0]


def default_version(workspace=None) -> QuestionnaireVersion:
    """The questionnaire every workspace starts with (seven dimensions)."""
    return questionnaire_import(data=DEFAULT.read_bytes(), workspace=workspace)[0]


def open_assessment(*, client=None, version=None, respondents=2, **fields) -> Assessment:
    client = client or ClientFactory()
    data = AssessmentInput.from_values(
        {"version": version or small_version(), "title": "CX maturity 2026", **fields}
    )
    assessment = assessment_create(client=client, data=data, created_by=None)
    for n in range(respondents):
        respondent_add(
            assessment=assessment,
            name=f"Exec {n}",
            email=f"exec{n}@client.example",
            role="executive",
        )
    return assessment_open(assessment=assessment)
