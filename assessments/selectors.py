"""Reads for questionnaires, assessments, respondents, the roadmap and personal data; each
takes the workspace or a scope."""

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from math import ceil
from typing import NamedTuple
from uuid import UUID

from django.db.models import Case, Count, F, IntegerField, Max, Q, QuerySet, Value, When
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language

from workspaces.models import Client, ClientAccess, Invitation, Membership, Workspace
from workspaces.scope import ClientScope

from .inputs import ACTION_LINK_FIELDS
from .models import (
    Action,
    Answer,
    Assessment,
    Dimension,
    Question,
    QuestionnaireVersion,
    Respondent,
)
from .tokens import token_hash


def questionnaire_versions_visible(*, workspace: Workspace) -> QuerySet[QuestionnaireVersion]:
    """The shipped questionnaires and the workspace's own uploads, newest version first."""
    return (
        QuestionnaireVersion.objects.filter(
            Q(questionnaire__workspace=workspace) | Q(questionnaire__workspace__isnull=True)
        )
        .select_related("questionnaire")
        .annotate(question_count=Count("questions", distinct=True))
        .order_by("questionnaire__title", "-number")
    )


def questionnaire_version_get(*, workspace: Workspace, version_id: UUID) -> QuestionnaireVersion:
    return get_object_or_404(questionnaire_versions_visible(workspace=workspace), id=version_id)


def questionnaire_version_default(*, workspace: Workspace) -> QuestionnaireVersion | None:
    """The newest version of the shipped CX questionnaire, the usual choice."""
    return (
        questionnaire_versions_visible(workspace=workspace)
        .filter(questionnaire__key="cx-maturity", questionnaire__workspace__isnull=True)
        .first()
    )


def assessment_list(*, scope: ClientScope, client: Client | None = None) -> QuerySet[Assessment]:
    qs = scope.filter(Assessment.objects.select_related("client", "version__questionnaire"))
    if client is not None:
        qs = qs.filter(client=client)
    return qs.annotate(
        respondent_count=Count("respondents", filter=Q(respondents__is_consensus=False)),
        submitted_count=Count("respondents", filter=Q(respondents__submitted_at__isnull=False)),
    ).order_by("-created_at")


def assessment_get(*, scope: ClientScope, assessment_id: UUID) -> Assessment:
    qs = Assessment.objects.select_related("client__workspace", "version__questionnaire")
    return get_object_or_404(scope.filter(qs), id=assessment_id)


# A roles-only assessment's results reach the client team once closed with at least this
# many submitted respondents: fewer, and one person's answers could be told apart.
RELEASE_MINIMUM_RESPONDENTS = 3


def respondents_disclosed(*, assessment: Assessment, scope: ClientScope) -> bool:
    """Whether names, per-person progress and submission times may be shown. Roles only:
    to the consultancy running it, never to the client team."""
    return assessment.anonymity == Assessment.Anonymity.NAMED or not scope.is_client_member


def released_to_client_team(assessment: Assessment) -> bool:
    """Whether the client team (pages, API, exports, and every playbook, which is made for
    them) may see the results: always when named; roles only, once closed with at least
    RELEASE_MINIMUM_RESPONDENTS submitted (a workshop's consensus is nobody's own)."""
    return assessment.id in released_to_client_team_ids([assessment])


def released_to_client_team_ids(assessments: list[Assessment]) -> set[UUID]:
    """released_to_client_team of many assessments at once, in one query at most."""
    released = {a.id for a in assessments if a.anonymity == Assessment.Anonymity.NAMED}
    pending = [
        a for a in assessments if a.id not in released and a.status == Assessment.Status.CLOSED
    ]
    if not pending:
        return released
    # The consensus is the workshop's, nobody's own; any individual answers count.
    individuals = dict(
        Respondent.objects.filter(
            assessment__in=pending, submitted_at__isnull=False, is_consensus=False
        )
        .values("assessment_id")
        .annotate(n=Count("id"))
        .values_list("assessment_id", "n")
    )
    for assessment in pending:
        count = individuals.get(assessment.id, 0)
        workshop_only = assessment.mode == Assessment.Mode.FACILITATED and count == 0
        if workshop_only or count >= RELEASE_MINIMUM_RESPONDENTS:
            released.add(assessment.id)
    return released


def results_released(*, assessment: Assessment, scope: ClientScope) -> bool:
    """Whether this member may see the assessment's results, comments and exports."""
    return not scope.is_client_member or released_to_client_team(assessment)


def released_overall_scores(
    *, assessments: list[Assessment], scope: ClientScope
) -> dict[UUID, dict]:
    """Each assessment's overall result for lists and trends, where this member may see
    it; the others map to no score."""
    from .results import overall_scores

    if scope.is_client_member:
        released = released_to_client_team_ids(assessments)
        shown = [a for a in assessments if a.id in released]
    else:
        shown = assessments
    overall = overall_scores(shown)
    return {a.id: overall.get(a.id, {"score": None, "stage": None}) for a in assessments}


def assessment_counts(*, assessment: Assessment) -> dict[str, int]:
    """Invited, opened and submitted respondents: what a client team sees of a roles-only
    assessment's progress."""
    return assessment.respondents.filter(is_consensus=False).aggregate(
        respondents=Count("id"),
        invited=Count("id", filter=Q(invited_at__isnull=False)),
        opened=Count("id", filter=Q(opened_at__isnull=False)),
        submitted=Count("id", filter=Q(submitted_at__isnull=False)),
    )


def respondent_get(*, assessment: Assessment, respondent_id: UUID) -> Respondent:
    return get_object_or_404(
        Respondent.objects.select_related("assessment"), assessment=assessment, id=respondent_id
    )


def respondent_for_token(*, token: str) -> Respondent | None:
    """The respondent a link names, whatever the state of its assessment; None if unknown."""
    if not token or len(token) > 100:
        return None
    # Only the assessment is joined: the autosave path needs nothing more, and pages that
    # show the client or workspace load them when they do.
    return (
        Respondent.objects.select_related("assessment")
        .filter(token_hash=token_hash(token), assessment__client__deleted_at=None)
        .first()
    )


class QuestionRef(NamedTuple):
    id: UUID
    key: str
    levels: dict[str, str]


@lru_cache(maxsize=128)
def version_questions(version_id: UUID) -> dict[str, QuestionRef]:
    """A version's questions by key. Versions never change, so the answer is cached: the
    autosave path then needs no query for it."""
    return {
        key: QuestionRef(id, key, levels)
        for id, key, levels in Question.objects.filter(version_id=version_id).values_list(
            "id", "key", "levels"
        )
    }


# Adults read about 230 words a minute; the estimate promised is the questionnaire's reading.
WORDS_PER_MINUTE = 230


def questionnaire_minutes(version_id: UUID, language: str | None = None) -> int:
    """Minutes to read the version's sections, questions, help and level texts, in
    `language` (the active one by default: French runs longer than English), at
    WORDS_PER_MINUTE, rounded up: the one estimate the invitation email and the welcome page
    both show."""
    return _minutes(version_id, language or get_language() or "en")


@lru_cache(maxsize=256)
def _minutes(version_id: UUID, language: str) -> int:
    # Versions never change, so the answer is cached per version and language.
    version = QuestionnaireVersion.objects.get(id=version_id)
    texts: list[str] = []
    for dimension, questions in questionnaire_in_language(version=version, language=language):
        texts += [dimension.title, dimension.description]
        for q in questions:
            texts += [q.text, q.help, *q.levels.values()]
    words = sum(len(str(text).split()) for text in texts)
    return max(1, ceil(words / WORDS_PER_MINUTE))


def respondent_resume_page(*, respondent: Respondent) -> int:
    """The page of the question answered last: where the respondent stopped."""
    latest = (
        Answer.objects.filter(respondent=respondent)
        .order_by("-updated_at")
        .values_list("question__dimension__position", flat=True)
        .first()
    )
    return 1 if latest is None else latest + 1


def respondent_progress(*, respondent: Respondent) -> dict[str, int]:
    """How much of the questionnaire the respondent has answered; one query."""
    total = len(version_questions(respondent.assessment.version_id))
    answered = respondent.answers.exclude(value="").count()
    return {
        "answered": answered,
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
    }


@dataclass(frozen=True)
class RespondentProgress:
    respondent: Respondent
    answered: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.answered / self.total) if self.total else 0

    @property
    def last_activity(self) -> datetime | None:
        times = [
            t
            for t in (
                self.respondent.last_activity_at,
                getattr(self.respondent, "last_answer_at", None),
            )
            if t
        ]
        return max(times) if times else None

    @property
    def state(self) -> str:
        r = self.respondent
        if r.revoked_at:
            return "revoked"
        if r.submitted_at:
            return "submitted"
        if self.answered:
            return "answering"
        if r.opened_at:
            return "opened"
        if r.invited_at:
            return "invited"
        return "not_invited"


def respondents_to_invite(*, assessment: Assessment) -> list[Respondent]:
    """Who "invite everyone" emails: those with an address not invited yet."""
    return list(
        assessment.respondents.filter(
            is_consensus=False, invited_at__isnull=True, revoked_at__isnull=True
        )
        .exclude(email="")
        .order_by("created_at", "name")
    )


def assessment_progress(*, assessment: Assessment) -> list[RespondentProgress]:
    """Who has been invited, opened, answered how much and submitted; two queries."""
    total = Question.objects.filter(version_id=assessment.version_id).count()
    respondents = assessment.respondents.annotate(
        answered=Count("answers", filter=~Q(answers__value="")),
        last_answer_at=Max("answers__updated_at"),
    ).order_by("is_consensus", "created_at", "name")
    return [RespondentProgress(r, r.answered, total) for r in respondents]


@dataclass(frozen=True)
class QuestionWithAnswer:
    question: Question
    answer: Answer | None

    @property
    def value(self) -> str:
        return self.answer.value if self.answer else ""


@dataclass(frozen=True)
class DimensionPage:
    number: int  # 1-based
    dimension: Dimension
    items: list[QuestionWithAnswer]

    @property
    def complete(self) -> bool:
        """Every question of the section has an answer (don't know counts): it is ticked."""
        return all(item.value for item in self.items)


def questionnaire_in_language(
    *, version: QuestionnaireVersion, language: str | None = None
) -> list[tuple[Dimension, list[Question]]]:
    """The questionnaire's dimensions, each with its questions, their texts in `language`
    (the active one by default; the questionnaire's own where a text has no translation);
    2 queries."""
    language = language or get_language() or version.language
    questions: dict[UUID, list[Question]] = {}
    for q in Question.objects.filter(version=version).order_by("position"):
        questions.setdefault(q.dimension_id, []).append(q.localize(language, version.language))
    return [
        (d.localize(language, version.language), questions.get(d.id, []))
        for d in Dimension.objects.filter(version=version).order_by("position")
    ]


def respondent_pages(*, respondent: Respondent) -> list[DimensionPage]:
    """The questionnaire one dimension a page, with this respondent's answers, its texts in
    the respondent's language; 4 queries."""
    version_id = respondent.assessment.version_id
    default = QuestionnaireVersion.objects.values_list("language", flat=True).get(id=version_id)
    language = respondent.reading_language
    dimensions = [
        d.localize(language, default)
        for d in Dimension.objects.filter(version_id=version_id).order_by("position")
    ]
    questions = [
        q.localize(language, default)
        for q in Question.objects.filter(version_id=version_id).order_by("position")
    ]
    answers = {a.question_id: a for a in Answer.objects.filter(respondent=respondent)}
    by_dimension: dict[UUID, list[QuestionWithAnswer]] = {d.id: [] for d in dimensions}
    for question in questions:
        by_dimension[question.dimension_id].append(
            QuestionWithAnswer(question, answers.get(question.id))
        )
    return [
        DimensionPage(number, dimension, by_dimension[dimension.id])
        for number, dimension in enumerate(dimensions, start=1)
    ]


# --- The roadmap ----------------------------------------------------------------------------

HORIZON_ORDER = Case(
    When(horizon=Action.Horizon.NOW, then=Value(0)),
    When(horizon=Action.Horizon.NEXT, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)


def action_list(*, assessment: Assessment) -> QuerySet[Action]:
    """The roadmap's actions, with what each serves (one query per kind of link)."""
    return (
        assessment.actions.annotate(horizon_order=HORIZON_ORDER)
        .order_by("horizon_order", "position", "created_at")
        .prefetch_related(*ACTION_LINK_FIELDS)
    )


def open_actions(*, scope: ClientScope, assessments: list[Assessment]) -> QuerySet[Action]:
    """The accepted actions still to do across these assessments (a client's), soonest
    due first, undated last: the hub's next actions. Only those of assessments whose
    roadmap this member may read (results_released), as on the roadmap page."""
    readable = [a.id for a in assessments if results_released(assessment=a, scope=scope)]
    return (
        scope.filter(Action.objects.select_related("assessment"), "assessment__client")
        .filter(
            assessment_id__in=readable,
            accepted=True,
            status__in=[Action.Status.OPEN, Action.Status.IN_PROGRESS],
        )
        .annotate(horizon_order=HORIZON_ORDER)
        .order_by(F("due_date").asc(nulls_last=True), "horizon_order", "position", "created_at")
    )


def action_get(*, assessment: Assessment, action_id: UUID) -> Action:
    return get_object_or_404(Action, assessment=assessment, id=action_id)


# --- Personal data ----------------------------------------------------------------------------


def personal_data_for_email(*, membership: Membership, email: str) -> dict:
    """Everything the workspace holds about one email address, within what the member
    reaches: respondent rows with their answers, and (for those who see the whole
    workspace) membership, client access and invitations."""
    email = email.strip().lower()
    respondents = (
        membership.scope.filter(Respondent.objects.all(), path="assessment__client")
        .filter(email__iexact=email)
        .select_related("assessment__client")
        .prefetch_related("answers__question")
        .order_by("created_at")
    )
    found: dict = {
        "email": email,
        "workspace": membership.workspace.name,
        "respondents": [_respondent_data(r) for r in respondents],
    }
    if membership.reaches_every_client:
        found.update(_workspace_data(membership.workspace, email))
    return found


def _respondent_data(r: Respondent) -> dict:
    return {
        "client": r.assessment.client.name,
        "assessment": r.assessment.title,
        "name": r.name,
        "email": r.email,
        "role": r.role,
        "department": r.department,
        "notes": r.notes,
        "invited_at": r.invited_at,
        "opened_at": r.opened_at,
        "submitted_at": r.submitted_at,
        "answers": [
            {
                "question": a.question.text,
                "value": a.value,
                "comment": a.comment,
                "evidence": a.evidence,
            }
            for a in r.answers.all()
        ],
    }


def _workspace_data(workspace: Workspace, email: str) -> dict:
    """The email's memberships, client access and invitations in the workspace."""
    return {
        "memberships": [
            {"role": m.role, "name": m.user.name, "since": m.created_at}
            for m in Membership.objects.filter(
                workspace=workspace, user__email__iexact=email
            ).select_related("user")
        ],
        "client_access": [
            {"client": a.client.name, "client_role": a.role, "since": a.created_at}
            for a in ClientAccess.objects.filter(
                membership__workspace=workspace, membership__user__email__iexact=email
            ).select_related("client")
        ],
        "invitations": [
            {"role": i.role, "client": i.client.name if i.client else "", "status": i.status}
            for i in Invitation.objects.filter(
                workspace=workspace, email__iexact=email
            ).select_related("client")
        ],
    }
