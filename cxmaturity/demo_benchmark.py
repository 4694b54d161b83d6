"""The demo's benchmark peers: Fabrikam Travel's closed assessments, which with Contoso
Insurance's make five, so that Northwind Retail's results show a benchmark (its own
history never counts as its peers)."""

from assessments.inputs import AssessmentInput
from assessments.models import Assessment
from assessments.services import (
    answers_save,
    assessment_close,
    assessment_create,
    assessment_open,
    respondent_add,
    respondent_invite,
    respondent_submit,
)
from workspaces.models import Client, User

from .demo_assessments import _answers, default_questionnaire

# client name → (title, typical level per dimension of its three respondents)
PEERS = {
    "Fabrikam Travel": [
        ("CX maturity 2023", (2, 1, 2, 2, 1, 2, 2)),
        ("CX maturity 2024", (2, 2, 2, 3, 2, 2, 3)),
        ("CX maturity 2025", (3, 3, 2, 3, 3, 3, 3)),
        ("Digital channels check 2025", (4, 3, 3, 4, 3, 4, 3)),
    ],
}
ROLES = ("executive", "marketing", "it")


def seed_benchmark_peers(*, workspace_clients: list[Client], consultant: User) -> None:
    version = default_questionnaire()
    for client in workspace_clients:
        for title, levels in PEERS.get(client.name, []):
            if client.assessments.filter(title=title).exists():
                continue
            assessment = assessment_create(
                client=client,
                data=AssessmentInput.from_values(
                    {"version": version, "title": title, "anonymity": Assessment.Anonymity.ROLES}
                ),
                created_by=consultant,
            )
            people = [
                respondent_add(
                    assessment=assessment,
                    name=f"{client.name} {role}",
                    email=f"{role}.{n}@{client.name.split()[0].lower()}.example",
                    role=role,
                )
                for n, role in enumerate(ROLES)
            ]
            assessment = assessment_open(assessment=assessment)
            for n, respondent in enumerate(people):
                respondent = respondent_invite(respondent=respondent)
                shifted = tuple(min(7, max(1, level + n - 1)) for level in levels)
                answers_save(
                    respondent=respondent,
                    changes=_answers(version, f"{title} {client.name} {n}", shifted),
                )
                respondent_submit(respondent=respondent)
            assessment_close(assessment=assessment)
