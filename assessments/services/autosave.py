"""The autosave hot path: every respondent sends one of these per change.

It is written in SQL that SQLite and PostgreSQL both run, because the ORM's per-query
overhead dominated it (see benchmarks/autosave.py): one read of the link, one statement
per answer that inserts or updates it only while the respondent may still answer and
only if it is still the version the page saw, one read of those answers beforehand, and
one count for the progress bar. Validation is the same as every other save
(`answers._answer_clean`). The respondent's pages save here too, with or without
JavaScript, because both carry answer versions; the API's and consultants' saves, which
carry none, go through `answers_save`, which moves the versions on all the same.
"""

from contextlib import nullcontext
from dataclasses import dataclass
from uuid import UUID

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Answer, Assessment, Respondent
from ..selectors import version_questions
from ..tokens import token_hash
from .answers import (
    RespondentClosed,
    _answer_clean,
    _unknown_questions_error,
    respondent_can_answer,
)

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


# Identifiers in the SQL below come from the models' metadata; values are always parameters.
_MAY_ANSWER = (
    f"EXISTS (SELECT 1 FROM {_RESPONDENT.db_table} r JOIN {_ASSESSMENT.db_table} a "  # noqa: S608
    f"ON a.{_ASSESSMENT.pk.column} = r.assessment_id "
    f"WHERE r.{_RESPONDENT.pk.column} = %s AND r.revoked_at IS NULL "
    f"AND r.submitted_at IS NULL AND a.status = %s)"
)


def _insert_sql(fields: list[str], *, versioned: bool) -> str:
    # `fields` are names from _answer_clean (value, comment, evidence), never user input.
    # Inserts (or, unversioned, updates) only the fields sent, and only while the
    # respondent has not submitted, the link is not revoked and the assessment is open: the
    # check and the write are one statement, so a save racing a close or a submit cannot
    # slip through. A versioned insert expects no answer yet: if one appeared meanwhile it
    # writes nothing, and the caller reports the conflict.
    columns = ["respondent_id", "question_id", *fields, "updated_at"]
    defaults = [f for f in ("value", "comment", "evidence") if f not in fields]
    insert_columns = [*columns, "version", *defaults]
    placeholders = ", ".join(["%s"] * len(columns) + ["1"] + ["''"] * len(defaults))
    table = _ANSWER.db_table
    if versioned:
        on_conflict = "DO NOTHING"
    else:
        updates = ", ".join(f"{c} = excluded.{c}" for c in [*fields, "updated_at"])
        on_conflict = f"DO UPDATE SET {updates}, version = {table}.version + 1"
    return (
        f"INSERT INTO {table} ({', '.join(insert_columns)}) "
        f"SELECT {placeholders} WHERE {_MAY_ANSWER} "
        f"ON CONFLICT (respondent_id, question_id) {on_conflict} RETURNING version"
    )


def _update_sql(fields: list[str]) -> str:
    # The version check and the write are one statement: of two saves based on the same
    # version, exactly one matches the row; the other changes nothing.
    sets = ", ".join(f"{c} = %s" for c in [*fields, "updated_at"])
    return (
        f"UPDATE {_ANSWER.db_table} SET {sets}, version = version + 1 "  # noqa: S608 - see above
        f"WHERE respondent_id = %s AND question_id = %s AND version = %s AND {_MAY_ANSWER} "
        "RETURNING version"
    )


def _current(cursor, respondent_param: object, question_params: list) -> dict[UUID, dict]:
    """The saved answers to these questions, with their versions, by question id."""
    if not question_params:
        return {}
    marks = ", ".join(["%s"] * len(question_params))
    cursor.execute(
        f"SELECT question_id, value, comment, evidence, version FROM {_ANSWER.db_table} "  # noqa: S608
        f"WHERE respondent_id = %s AND question_id IN ({marks})",
        [respondent_param, *question_params],
    )
    return {
        _uuid(row[0]): {"value": row[1], "comment": row[2], "evidence": row[3], "version": row[4]}
        for row in cursor.fetchall()
    }


def _unchanged(current: dict | None, fields: dict) -> bool:
    saved = current or {"value": "", "comment": "", "evidence": ""}
    return all(saved[name] == value for name, value in fields.items())


def _conflict(current: dict | None) -> dict:
    if current is None:
        return {"status": "conflict", "version": 0, "value": "", "comment": "", "evidence": ""}
    return {"status": "conflict", **current}


def answers_autosave(
    *, token: str, changes: dict[str, dict], versions: dict[str, int] | None = None
) -> dict:
    """Save the changed answers of the respondent a link names; the progress after it and
    what became of each answer, by question key.

    `versions` holds, by question, the version of the answer the page last saw (0: none
    yet). A change based on an older version than the saved one is not written: its result
    is a conflict carrying the saved answer and version, for the page to show. A change
    that leaves the answer as saved is no write at all, so a retry of a save whose reply
    was lost reports "saved", and posting a whole page does not bump what it did not
    change. Questions without a version (the API's clients, pages from before versions)
    are written whatever the saved version is. Each result is {"status": "saved",
    "version"} or {"status": "conflict", "version", "value", "comment", "evidence"}.

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
    versions = versions or {}
    pk_field = _RESPONDENT.pk
    respondent_param = pk_field.get_db_prep_value(respondent_id, connection)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    targets = {
        key: _Target(
            respondent_id=respondent_id,
            respondent_param=respondent_param,
            question_id=questions[key].id,
            question_param=pk_field.get_db_prep_value(questions[key].id, connection),
            now=now,
        )
        for key in rows
    }
    with connection.cursor() as cursor:
        saved = _current(cursor, respondent_param, [t.question_param for t in targets.values()])
    # One answer is one statement, atomic on its own; several share a transaction. Keeping
    # the write lock this short is what lets many respondents save at once on SQLite.
    batch = transaction.atomic() if len(rows) > 1 else nullcontext()
    with batch, connection.cursor() as cursor:
        results = {
            key: _save_one(
                cursor, targets[key], fields, saved.get(questions[key].id), versions.get(key)
            )
            for key, fields in rows.items()
        }
    return {**_progress(respondent_param, total=len(questions)), "results": results}


@dataclass(frozen=True)
class _Target:
    """One answer's row, by the respondent's and the question's ids and database values."""

    respondent_id: UUID
    respondent_param: object
    question_id: UUID
    question_param: object
    now: object


def _save_one(cursor, target: _Target, fields: dict, current: dict | None, base: int | None):
    """Write one answer unless it is unchanged or based on an older version; its result."""
    current_version = current["version"] if current else 0
    if _unchanged(current, fields):
        return {"status": "saved", "version": current_version}
    if base is not None and base != current_version:
        return _conflict(current)
    names = sorted(fields)
    values = [fields[n] for n in names]
    may_answer_params = [target.respondent_param, Assessment.Status.OPEN.value]
    row = [target.respondent_param, target.question_param]
    if base:
        cursor.execute(_update_sql(names), [*values, target.now, *row, base, *may_answer_params])
    else:
        cursor.execute(
            _insert_sql(names, versioned=base is not None),
            [*row, *values, target.now, *may_answer_params],
        )
    written = cursor.fetchone()
    if written is not None:
        return {"status": "saved", "version": written[0]}
    # Nothing written: another save got in first, or answering has just closed.
    current = _current(cursor, target.respondent_param, [target.question_param]).get(
        target.question_id
    )
    if _unchanged(current, fields):
        return {"status": "saved", "version": current["version"] if current else 0}
    if base is not None and base != (current["version"] if current else 0):
        return _conflict(current)
    _refuse(target.respondent_id)


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
