"""Writes for answers: saving them (consultant, API and the consensus), submitting,
reopening. The respondent pages' hot path is `autosave.answers_autosave`."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxmaturity.inputs import clean_text

from ..languages import is_language
from ..models import Answer, AnswerValue, Assessment, Respondent, max_length
from ..selectors import QuestionRef, version_questions
from .respondents import consensus_respondent_get_or_create

# The model's columns are the one home of these limits.
MAX_COMMENT = max_length(Answer, "comment")
MAX_EVIDENCE = max_length(Answer, "evidence")
_MAX_NOTES = max_length(Respondent, "notes")
LINK_UNKNOWN = gettext_lazy("This link does not work. It may have been replaced by a newer one.")
ASSESSMENT_CLOSED = gettext_lazy(
    "This assessment is closed and no longer takes answers. Thank you."
)


class RespondentClosed(ValidationError):
    """The respondent may not answer now (closed assessment, revoked link, submitted)."""


def respondent_can_answer(respondent: Respondent) -> str | None:
    """None when answering is allowed, else the reason shown to the respondent."""
    if respondent.revoked_at:
        return _("This link has been withdrawn.")
    if respondent.assessment.status != Assessment.Status.OPEN:
        return _("This assessment is closed.")
    if respondent.submitted_at:
        return _("You have submitted your answers.")
    return None


def _offered(question: QuestionRef) -> set[str]:
    return set(question.levels) | {AnswerValue.DONT_KNOW, AnswerValue.NOT_APPLICABLE}


def _answer_clean(question: QuestionRef, change: dict) -> dict:
    fields = {}
    if "value" in change:
        value = str(change["value"] if change["value"] is not None else "").strip()
        if value and value not in _offered(question):
            offered = ", ".join(sorted(question.levels, key=int))
            message = _("Choose a level offered (%(levels)s), Don't know or Not applicable.")
            raise ValidationError({question.key: message % {"levels": offered}})
        fields["value"] = value
    for field, limit in (("comment", MAX_COMMENT), ("evidence", MAX_EVIDENCE)):
        if field in change:
            text = clean_text(change[field])
            if len(text) > limit:
                raise ValidationError(
                    {
                        question.key: _("The %(field)s may be at most %(limit)d characters.")
                        % {"field": field, "limit": limit}
                    }
                )
            fields[field] = text
    return fields


@transaction.atomic
def answers_save(
    *,
    respondent: Respondent,
    changes: dict[str, dict],
    entered_by_consultant: bool = False,
) -> int:
    """Upsert the given answers, each `{"value"?, "comment"?, "evidence"?}` by question key.

    Only the fields sent change, so two tabs saving different questions lose nothing.
    Every change is checked first; nothing is saved when one is wrong.
    """
    reason = respondent_can_answer(respondent)
    if entered_by_consultant and respondent.assessment.status == Assessment.Status.OPEN:
        reason = None
    if reason:
        raise RespondentClosed(reason, code="closed")
    if not isinstance(changes, dict):
        raise ValidationError({"answers": _("Send answers as an object keyed by question.")})
    questions = version_questions(respondent.assessment.version_id)
    unknown = [key for key in changes if key not in questions]
    if unknown:
        raise _unknown_questions_error(unknown)
    rows = {}
    for key, change in changes.items():
        if not isinstance(change, dict):
            raise ValidationError({key: _("Send value, comment or evidence for each question.")})
        rows[key] = _answer_clean(questions[key], change)
    _touch_if_may_answer(respondent, entered_by_consultant=entered_by_consultant)
    for sent, group in _group_by_fields(rows):
        Answer.objects.bulk_create(
            [
                Answer(
                    respondent_id=respondent.pk, question_id=questions[key].id, version=0, **fields
                )
                for fields, key in group
            ],
            update_conflicts=True,
            unique_fields=["respondent", "question"],
            update_fields=[*sorted(sent), "updated_at"],
        )
    # Every change moves the answer's version on (new ones from 0 to 1), in this
    # transaction, so a page holding the older version cannot overwrite it (autosave.py).
    written = [questions[key].id for key, fields in rows.items() if fields]
    Answer.objects.filter(respondent_id=respondent.pk, question_id__in=written).update(
        version=F("version") + 1
    )
    return len(rows)


def _unknown_questions_error(keys: list[str]) -> ValidationError:
    return ValidationError(
        {
            key: _("There is no question “%(key)s” in this questionnaire.") % {"key": key}
            for key in keys
        }
    )


def _touch_if_may_answer(respondent: Respondent, *, entered_by_consultant: bool) -> None:
    """Record the activity, in the same statement that checks answering is still allowed,
    so a save racing a close or a submit is refused (and rolled back) rather than kept."""
    allowed = Q(pk=respondent.pk, assessment__status=Assessment.Status.OPEN)
    if not entered_by_consultant:
        allowed &= Q(revoked_at__isnull=True, submitted_at__isnull=True)
    now = timezone.now()
    fields = {"last_activity_at": now, "opened_at": Coalesce("opened_at", Value(now))}
    if not Respondent.objects.filter(allowed).update(**fields):
        fresh = Respondent.objects.select_related("assessment").get(pk=respondent.pk)
        raise RespondentClosed(
            respondent_can_answer(fresh) or _("This assessment is closed."), code="closed"
        )


def _group_by_fields(rows: dict[str, dict]) -> list[tuple[frozenset, list]]:
    # One upsert per set of fields sent: on conflict it updates only those fields, so a
    # save never overwrites what another tab wrote to the other fields.
    groups: dict[frozenset, list] = {}
    for key, fields in rows.items():
        if fields:
            groups.setdefault(frozenset(fields), []).append((fields, key))
    return list(groups.items())


@transaction.atomic
def respondent_open_link(*, respondent: Respondent) -> None:
    if respondent.opened_at is None:
        Respondent.objects.filter(pk=respondent.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


@transaction.atomic
def respondent_submit(*, respondent: Respondent) -> Respondent:
    # Lock so a submit can't slip past a concurrent close.
    assessment = Assessment.objects.select_for_update().get(pk=respondent.assessment_id)
    respondent = Respondent.objects.select_related("assessment").get(pk=respondent.pk)
    reason = respondent_can_answer(respondent)
    if reason:
        raise RespondentClosed(reason, code="closed")
    if assessment.status != Assessment.Status.OPEN:
        raise RespondentClosed(_("This assessment is closed."), code="closed")
    if not respondent.answers.exclude(value="").exists():
        raise ValidationError(_("Answer at least one question before submitting."), code="empty")
    respondent.submitted_at = timezone.now()
    respondent.last_activity_at = respondent.submitted_at
    respondent.save(update_fields=["submitted_at", "last_activity_at"])
    return respondent


@transaction.atomic
def respondent_reopen(*, respondent: Respondent) -> Respondent:
    """Take a submission back to change it, while the assessment is open and allows it."""
    respondent = Respondent.objects.select_related("assessment").get(pk=respondent.pk)
    assessment = respondent.assessment
    if respondent.revoked_at or assessment.status != Assessment.Status.OPEN:
        raise RespondentClosed(_("This assessment is closed."), code="closed")
    if not assessment.respondents_may_revise:
        raise RespondentClosed(
            _("Answers cannot be changed after submitting in this assessment."), code="final"
        )
    respondent.submitted_at = None
    respondent.save(update_fields=["submitted_at"])
    return respondent


@transaction.atomic
def consensus_notes_save(*, respondent: Respondent, notes: str) -> Respondent:
    """Save the workshop's notes. The consensus is the consultant's record of what the group
    agreed, not a draft: it counts in the results from its first save."""
    notes = clean_text(notes)
    if len(notes) > _MAX_NOTES:
        raise ValidationError({"notes": _("Notes may be at most 5000 characters.")})
    respondent.notes = notes
    respondent.submitted_at = respondent.submitted_at or timezone.now()
    respondent.save(update_fields=["notes", "submitted_at"])
    return respondent


def consensus_start(*, assessment: Assessment) -> Respondent:
    """The respondent that holds a workshop's consensus, created on first use. Entered
    only while a facilitated assessment is open."""
    if (
        assessment.mode != Assessment.Mode.FACILITATED
        or assessment.status != Assessment.Status.OPEN
    ):
        raise ValidationError(
            _("Consensus answers are entered while a facilitated assessment is open."),
            code="not_facilitated",
        )
    return consensus_respondent_get_or_create(assessment=assessment)


@transaction.atomic
def consensus_save(*, respondent: Respondent, changes: dict[str, dict], notes: str) -> Respondent:
    """The consultant's entry of what the workshop agreed: its answers and its notes,
    both or neither."""
    answers_save(respondent=respondent, changes=changes, entered_by_consultant=True)
    return consensus_notes_save(respondent=respondent, notes=notes)


def respondent_language_set(*, respondent: Respondent, language: Any) -> Respondent:
    """The respondent's own choice of language for their pages and reminders."""
    if not is_language(language):
        raise ValidationError(
            {"language": _("Choose one of the offered languages.")}, code="invalid"
        )
    Respondent.objects.filter(pk=respondent.pk).update(language=language)
    respondent.language = language
    return respondent
