"""The autosave hot path: every respondent sends one of these per change.

It is written in SQL that SQLite and PostgreSQL both run, because the ORM's per-query
overhead dominated it (see benchmarks/autosave.py): one read of the link, one statement
per answer that inserts or updates it only while the respondent may still answer, and
one count for the progress bar. Validation is the same as every other save
(`respondents._answer_clean`); the page and API saves go through `answers_save`.
"""

from contextlib import nullcontext
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Answer, Assessment, Respondent
from .respondents import (
    RespondentClosed,
    _answer_clean,
    _unknown_questions_error,
    respondent_can_answer,
)
from .selectors import version_questions
from .tokens import token_hash

_ANSWER = Answer._meta
_RESPONDENT = Respondent._meta
_ASSESSMENT = Assessment._meta


class LinkUnknown(Exception):
    """No respondent has this link (or it was revoked)."""


def _uuid(value: object) -> UUID:
    return value if isinstance(value, UUID) else UUID(str(value))


def _lookup(token: str) -> tuple[UUID, UUID, bool]:
    """(respondent id, version id, may answer) for a link; LinkUnknown if none."""
    sql = (
        # Identifiers come from the models' metadata; values are always parameters.
        f"SELECT r.{_RESPONDENT.pk.column}, a.version_id, r.revoked_at, r.submitted_at, a.status "  # noqa: S608
        f"FROM {_RESPONDENT.db_table} r JOIN {_ASSESSMENT.db_table} a "
        f"ON a.{_ASSESSMENT.pk.column} = r.assessment_id WHERE r.token_hash = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [token_hash(token)])
        row = cursor.fetchone()
    if row is None or row[2] is not None:
        raise LinkUnknown
    may_answer = row[3] is None and row[4] == Assessment.Status.OPEN
    return _uuid(row[0]), _uuid(row[1]), may_answer


def _upsert_sql(fields: list[str]) -> str:
    # `fields` are names from _answer_clean (value, comment, evidence), never user input.
    # Inserts or updates only the fields sent, and only while the respondent has not
    # submitted, the link is not revoked and the assessment is open: the check and the
    # write are one statement, so a save racing a close or a submit cannot slip through.
    columns = ["respondent_id", "question_id", *fields, "updated_at"]
    defaults = [f for f in ("value", "comment", "evidence") if f not in fields]
    insert_columns = columns + defaults
    placeholders = ", ".join(["%s"] * len(columns) + ["''"] * len(defaults))
    updates = ", ".join(f"{c} = excluded.{c}" for c in [*fields, "updated_at"])
    return (
        f"INSERT INTO {_ANSWER.db_table} ({', '.join(insert_columns)}) "  # noqa: S608 - see above
        f"SELECT {placeholders} WHERE EXISTS ("
        f"SELECT 1 FROM {_RESPONDENT.db_table} r JOIN {_ASSESSMENT.db_table} a "
        f"ON a.{_ASSESSMENT.pk.column} = r.assessment_id "
        f"WHERE r.{_RESPONDENT.pk.column} = %s AND r.revoked_at IS NULL "
        f"AND r.submitted_at IS NULL AND a.status = %s) "
        f"ON CONFLICT (respondent_id, question_id) DO UPDATE SET {updates}"
    )


def answers_autosave(*, token: str, changes: dict[str, dict]) -> dict[str, int]:
    """Save the changed answers of the respondent a link names; the progress after it.

    Raises LinkUnknown, RespondentClosed, or ValidationError naming each question.
    """
    respondent_id, version_id, may_answer = _lookup(token)
    if not may_answer:
        _refuse(respondent_id)
    questions = version_questions(version_id)
    unknown = [key for key in changes if key not in questions]
    if unknown:
        raise _unknown_questions_error(unknown)
    rows = {key: _answer_clean(questions[key], change) for key, change in changes.items()}
    pk_field = _RESPONDENT.pk
    respondent_param = pk_field.get_db_prep_value(respondent_id, connection)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    # One answer is one statement, atomic on its own; several share a transaction. Keeping
    # the write lock this short is what lets many respondents save at once on SQLite.
    batch = transaction.atomic() if len(rows) > 1 else nullcontext()
    with batch, connection.cursor() as cursor:
        for key, fields in rows.items():
            if not fields:
                continue
            names = sorted(fields)
            question_param = pk_field.get_db_prep_value(questions[key].id, connection)
            params = [respondent_param, question_param, *(fields[n] for n in names), now]
            cursor.execute(_upsert_sql(names), [*params, respondent_param, "open"])
            if cursor.rowcount == 0:
                _refuse(respondent_id)
    return _progress(respondent_param, total=len(questions))


def _progress(respondent_param: object, *, total: int) -> dict[str, int]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {_ANSWER.db_table} WHERE respondent_id = %s AND value <> ''",  # noqa: S608
            [respondent_param],
        )
        answered = cursor.fetchone()[0]
    return {
        "answered": answered,
        "total": total,
        "percent": round(100 * answered / total) if total else 0,
    }


def _refuse(respondent_id: UUID) -> None:
    respondent = Respondent.objects.select_related("assessment").get(pk=respondent_id)
    raise RespondentClosed(
        respondent_can_answer(respondent) or _("This assessment is closed."), code="closed"
    )
