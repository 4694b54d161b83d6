"""The demo's assessments of Northwind Retail: a closed baseline answered by six leaders
who disagree about channels, and this year's assessment in progress."""

import random
from pathlib import Path

from django.conf import settings

from assessments.inputs import AssessmentInput
from assessments.models import Assessment, QuestionnaireVersion
from assessments.services import (
    answers_save,
    assessment_close,
    assessment_create,
    assessment_open,
    questionnaire_import,
    respondent_add,
    respondent_invite,
    respondent_submit,
)
from workspaces.models import Client, User

DEFAULT_QUESTIONNAIRE = settings.BASE_DIR / "assessments" / "questionnaires" / "cx-maturity.yaml"
DIMENSIONS = (
    "strategy",
    "customer_data",
    "content_personalisation",
    "channels",
    "testing_optimisation",
    "measurement",
    "organisation",
)

# name, email, role, department, typical level per dimension (in DIMENSIONS order)
BASELINE = [
    ("Hannah Berg", "h.berg@northwind.example", "executive", "Board", (3, 2, 2, 3, 2, 2, 3)),
    ("Marco Rossi", "m.rossi@northwind.example", "marketing", "Marketing", (3, 3, 3, 2, 3, 3, 2)),
    ("Sofia Lind", "s.lind@northwind.example", "sales", "Stores", (2, 2, 2, 2, 1, 2, 2)),
    (
        "Tom Okafor",
        "t.okafor@northwind.example",
        "service",
        "Customer service",
        (2, 1, 2, 1, 1, 2, 2),
    ),
    ("Ines Duarte", "i.duarte@northwind.example", "it", "IT", (3, 4, 3, 5, 2, 3, 3)),
    ("Lena Vogel", "l.vogel@northwind.example", "other", "E-commerce", (3, 3, 3, 3, 3, 3, 3)),
]
THIS_YEAR = [
    ("Hannah Berg", "h.berg@northwind.example", "executive", "Board", (4, 3, 3, 3, 3, 3, 4)),
    ("Marco Rossi", "m.rossi@northwind.example", "marketing", "Marketing", (4, 4, 3, 3, 4, 4, 3)),
    ("Ines Duarte", "i.duarte@northwind.example", "it", "IT", (3, 4, 3, 4, 3, 3, 3)),
    (
        "Tom Okafor",
        "t.okafor@northwind.example",
        "service",
        "Customer service",
        (3, 2, 2, 2, 2, 3, 3),
    ),
    ("Priya Nair", "p.nair@northwind.example", "marketing", "CRM", (3, 3, 3, 3, 3, 3, 3)),
]
CHANNEL_SHIFT = {"email": 2, "contact_centre": -1}
COMMENTS = {
    "channels": "Email runs on its own platform; stores and the contact centre see none of it.",
    "customer_data": "Loyalty data sits in a separate system from web accounts.",
}


def default_questionnaire() -> QuestionnaireVersion:
    version, _created = questionnaire_import(data=Path(DEFAULT_QUESTIONNAIRE).read_bytes())
    return version


def _answers(version: QuestionnaireVersion, name: str, levels: tuple, share: float = 1.0) -> dict:
    # Seeded so the demo is the same on every machine; not for anything secret.
    rng = random.Random(name)  # noqa: S311
    typical = dict(zip(DIMENSIONS, levels, strict=True))
    changes = {}
    questions = list(version.questions.select_related("dimension").order_by("position"))
    for question in questions[: round(len(questions) * share)]:
        # Email is the advanced silo and the contact centre lags (domain.md §3).
        base = typical.get(question.dimension.key, 3) + CHANNEL_SHIFT.get(question.channel, 0)
        if rng.random() < 0.05:
            value = "dont_know"
        else:
            value = str(min(7, max(1, base + rng.choice((-1, 0, 0, 0, 1)))))
        change = {"value": value}
        if question.dimension.key in COMMENTS and rng.random() < 0.3:
            change["comment"] = COMMENTS[question.dimension.key]
        changes[question.key] = change
    return changes


def _respondents(assessment: Assessment, people: list) -> list:
    return [
        respondent_add(
            assessment=assessment, name=name, email=email, role=role, department=department
        )
        for name, email, role, department, _levels in people
    ]


def seed_northwind(*, client: Client, consultant: User) -> None:
    version = default_questionnaire()
    if not client.assessments.filter(title="CX maturity baseline 2025").exists():
        baseline = assessment_create(
            client=client,
            data=AssessmentInput.from_values(
                {
                    "version": version,
                    "title": "CX maturity baseline 2025",
                    "anonymity": Assessment.Anonymity.NAMED,
                    "purpose": "Where Northwind's customer experience stands before the "
                    "loyalty relaunch.",
                }
            ),
            created_by=consultant,
        )
        respondents = _respondents(baseline, BASELINE)
        baseline = assessment_open(assessment=baseline)
        for respondent, person in zip(respondents, BASELINE, strict=True):
            respondent = respondent_invite(respondent=respondent)
            answers_save(respondent=respondent, changes=_answers(version, person[0], person[4]))
            respondent_submit(respondent=respondent)
        assessment_close(assessment=baseline)
    else:
        baseline = client.assessments.get(title="CX maturity baseline 2025")
    if not client.assessments.filter(title="CX maturity 2026").exists():
        current = assessment_create(
            client=client,
            data=AssessmentInput.from_values(
                {
                    "version": version,
                    "title": "CX maturity 2026",
                    "previous": baseline,
                    "targets": {"strategy": 4, "channels": 4},
                    "purpose": "A year after the baseline: what has moved, and what to do next.",
                }
            ),
            created_by=consultant,
        )
        respondents = _respondents(current, THIS_YEAR)
        current = assessment_open(assessment=current)
        for n, (respondent, person) in enumerate(zip(respondents, THIS_YEAR, strict=True)):
            if n == 4:
                continue  # added, not yet invited
            respondent = respondent_invite(respondent=respondent)
            if n < 2:
                answers_save(respondent=respondent, changes=_answers(version, person[0], person[4]))
                respondent_submit(respondent=respondent)
            elif n == 2:
                answers_save(
                    respondent=respondent,
                    changes=_answers(version, person[0], person[4], share=0.4),
                )
