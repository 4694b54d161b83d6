"""Writes for respondents, their links, invitations, reminders and answers."""

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import IO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cxmaturity.csv_files import csv_rows
from cxmaturity.inputs import CONTROL_CHARACTERS, clean_text, one_line

from .models import Answer, AnswerValue, Assessment, Respondent, RespondentRole
from .selectors import QuestionRef, version_questions
from .tasks import respondent_email_send
from .tokens import new_nonce, token_for, token_hash

MAX_COMMENT = 5000
# Control characters (NUL above all) cannot be stored in PostgreSQL text or written to
# XLSX, and nobody types them on purpose: they are dropped from every text we keep.
MAX_EVIDENCE = 2000
MAX_CSV_BYTES = 512 * 1024
MAX_CSV_ROWS = 1000
CONSENSUS_NAME = "Workshop consensus"
LINK_UNKNOWN = _lazy("This link does not work. It may have been replaced by a newer one.")
ASSESSMENT_CLOSED = _lazy("This assessment is closed and no longer takes answers. Thank you.")

# --- Respondents --------------------------------------------------------------------------


def _respondent_clean(
    *,
    assessment: Assessment,
    name: str,
    email: str,
    role: str,
    department: str,
    weight,
    exclude_id=None,
    taken: set[str] | None = None,
) -> dict:
    name = one_line(name)
    if not name:
        raise ValidationError({"name": _("Enter a name.")}, code="required")
    if len(name) > 150:
        raise ValidationError({"name": _("Use at most 150 characters.")}, code="max_length")
    email = clean_text(email).lower()
    if len(email) > 254:
        raise ValidationError({"email": _("Enter a valid email address.")})
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise ValidationError({"email": _("Enter a valid email address.")}) from exc
        duplicates = assessment.respondents.filter(email=email)
        if exclude_id is not None:
            duplicates = duplicates.exclude(id=exclude_id)
        if duplicates.exists() or (taken is not None and email in taken):
            raise ValidationError(
                {"email": _("%(email)s is already a respondent.") % {"email": email}},
                code="unique",
            )
    role = (role or RespondentRole.EXECUTIVE).strip().lower()
    labels = {str(label).lower(): value for value, label in RespondentRole.choices}
    role = labels.get(role, role)
    if role not in RespondentRole.values:
        raise ValidationError(
            {"role": _("Choose one of: %(roles)s.") % {"roles": ", ".join(RespondentRole.values)}}
        )
    department = clean_text(department)
    if len(department) > 100:
        raise ValidationError({"department": _("Use at most 100 characters.")})
    try:
        weight = Decimal(str(weight if weight not in (None, "") else 1))
    except InvalidOperation:
        weight = Decimal(-1)
    if (
        not weight.is_finite()
        or weight < Decimal("0.001")
        or weight > 1000
        or weight != weight.quantize(Decimal("0.001"))
    ):
        raise ValidationError(
            {"weight": _("The weight must be between 0.001 and 1000, with at most 3 decimals.")}
        )
    return {
        "name": name,
        "email": email,
        "role": role,
        "department": department,
        "weight": weight.quantize(Decimal("0.001")),
    }


def _editable(assessment: Assessment) -> None:
    if assessment.status == Assessment.Status.CLOSED:
        raise ValidationError(
            _("This assessment is closed. Reopen it to change its respondents."), code="closed"
        )


@transaction.atomic
def respondent_add(
    *,
    assessment: Assessment,
    name: str,
    email: str = "",
    role: str = "",
    department: str = "",
    weight=1,
) -> Respondent:
    _editable(assessment)
    fields = _respondent_clean(
        assessment=assessment,
        name=name,
        email=email,
        role=role,
        department=department,
        weight=weight,
    )
    return Respondent.objects.create(assessment=assessment, **fields)


@transaction.atomic
def respondent_update(*, respondent: Respondent, **changes) -> Respondent:
    _editable(respondent.assessment)
    current = {
        "name": respondent.name,
        "email": respondent.email,
        "role": respondent.role,
        "department": respondent.department,
        "weight": respondent.weight,
    }
    current.update({k: v for k, v in changes.items() if k in current})
    fields = _respondent_clean(
        assessment=respondent.assessment, exclude_id=respondent.id, **current
    )
    for field, value in fields.items():
        setattr(respondent, field, value)
    respondent.save()
    return respondent


@transaction.atomic
def respondent_remove(*, respondent: Respondent) -> None:
    _editable(respondent.assessment)
    if respondent.submitted_at and respondent.assessment.status != Assessment.Status.DRAFT:
        raise ValidationError(
            _("%(name)s has submitted answers; revoke the link instead of removing them.")
            % {"name": respondent.name},
            code="submitted",
        )
    respondent.delete()


def respondents_import_csv(
    *, assessment: Assessment, data: bytes | str | IO[bytes]
) -> list[Respondent]:
    """Add every row of a CSV (name,email,role,department,weight), or none.

    Rows are numbered as a spreadsheet shows them: the header is row 1. The file is read
    line by line (refused at its first row past MAX_CSV_ROWS) and every row checked
    before the one short transaction that adds them, so a large file holds no lock.
    """
    _editable(assessment)
    size = len(data) if isinstance(data, bytes) else getattr(data, "size", None)
    if size is not None and size > MAX_CSV_BYTES:
        raise ValidationError({"file": _("The file must be 512 KB or smaller.")})
    rows = [[CONTROL_CHARACTERS.sub("", cell) for cell in row] for row in _csv_rows(data)]
    if not rows:
        raise ValidationError({"file": _("The file is empty.")})
    header = [h.strip().lower() for h in rows[0]]
    if "name" not in header:
        raise ValidationError(
            {
                "file": _(
                    "Row 1 must be a header naming the columns: name,email,role,department,weight."
                )
            }
        )
    unknown = set(header) - {"name", "email", "role", "department", "weight", ""}
    if unknown:
        raise ValidationError(
            {
                "file": _("Row 1: unknown column(s) %(columns)s.")
                % {"columns": ", ".join(sorted(unknown))}
            }
        )
    problems, cleaned, taken = [], [], set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(header, row, strict=False))
        try:
            fields = _respondent_clean(
                assessment=assessment,
                taken=taken,
                **{k: values.get(k, "") for k in ("name", "email", "role", "department", "weight")},
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                problems.extend(
                    _("Row %(row)d, %(field)s: %(message)s")
                    % {"row": number, "field": field, "message": m}
                    for m in messages
                )
            continue
        if fields["email"]:
            taken.add(fields["email"])
        cleaned.append((number, fields))
    if problems:
        raise ValidationError({"file": problems}, code="invalid_rows")
    if not cleaned:
        raise ValidationError({"file": _("The file has a header but no respondents.")})
    with transaction.atomic():
        _editable(Assessment.objects.get(pk=assessment.pk))
        # Checked again in one query: someone may have added one of them meanwhile.
        added = set(assessment.respondents.filter(email__in=taken).values_list("email", flat=True))
        if added:
            raise ValidationError(
                {
                    "file": [
                        _("Row %(row)d, email: %(email)s is already a respondent.")
                        % {"row": number, "email": fields["email"]}
                        for number, fields in cleaned
                        if fields["email"] in added
                    ]
                },
                code="invalid_rows",
            )
        return Respondent.objects.bulk_create(
            [Respondent(assessment=assessment, **fields) for _number, fields in cleaned]
        )


def _csv_rows(data: bytes | str | IO[bytes]) -> list[list[str]]:
    """The file's rows through the one CSV reader, with this import's own wording for the
    row limit and for a line too long to be a respondent."""
    try:
        return csv_rows(data, max_rows=MAX_CSV_ROWS, field="file")
    except ValidationError as exc:
        (error,) = exc.error_dict["file"]
        if error.code == "too_many_rows":
            message = _("At most %(n)d respondents a file.") % {"n": MAX_CSV_ROWS}
        elif error.code == "line_too_long":
            message = _("This is not a CSV file we can read: %(error)s") % {"error": error.message}
        else:
            raise
        raise ValidationError({"file": message}, code=error.code) from exc


def consensus_respondent_get_or_create(*, assessment: Assessment) -> Respondent:
    respondent = assessment.respondents.filter(is_consensus=True).first()
    if respondent is None:
        respondent = Respondent.objects.create(
            assessment=assessment,
            name=CONSENSUS_NAME,
            role=RespondentRole.OTHER,
            is_consensus=True,
        )
    return respondent


# --- Links, invitations and reminders ----------------------------------------------------


def respondent_link(respondent: Respondent) -> str:
    if not respondent.token_nonce:
        return ""
    return settings.SITE_URL + reverse("respondent_start", args=[token_for(respondent.token_nonce)])


def _issue_token(respondent: Respondent) -> None:
    nonce = new_nonce()
    respondent.token_nonce = nonce
    respondent.token_hash = token_hash(token_for(nonce))
    respondent.revoked_at = None


def _fresh(respondent: Respondent) -> Respondent:
    # The caller's copy (and its assessment) may predate an open or close: read it anew.
    return Respondent.objects.select_related("assessment").get(pk=respondent.pk)


def _require_open(assessment: Assessment) -> None:
    if assessment.status != Assessment.Status.OPEN:
        raise ValidationError(
            _("Open the assessment first: respondents can only answer an open assessment."),
            code="not_open",
        )


@transaction.atomic
def respondent_invite(*, respondent: Respondent) -> Respondent:
    """Email the respondent their personal link (issuing one if needed)."""
    respondent = _fresh(respondent)
    _require_open(respondent.assessment)
    if respondent.is_consensus:
        raise ValidationError(_("The workshop consensus is entered by the consultant."))
    if not respondent.email:
        raise ValidationError(
            {"email": _("Add an email address to invite %(name)s.") % {"name": respondent.name}}
        )
    if not respondent.token_hash or respondent.revoked_at:
        _issue_token(respondent)
    respondent.invited_at = respondent.invited_at or timezone.now()
    respondent.save(update_fields=["token_nonce", "token_hash", "revoked_at", "invited_at"])
    respondent_email_send.delay_on_commit(respondent_id=str(respondent.id), kind="invitation")
    return respondent


@transaction.atomic
def respondents_invite_all(*, assessment: Assessment) -> int:
    """Invite everyone with an email address who has not been invited yet."""
    _require_open(assessment)
    pending = assessment.respondents.filter(
        is_consensus=False, invited_at__isnull=True, revoked_at__isnull=True
    ).exclude(email="")
    count = 0
    for respondent in pending:
        respondent_invite(respondent=respondent)
        count += 1
    return count


@transaction.atomic
def respondent_reissue(*, respondent: Respondent) -> Respondent:
    """A new link; the old one stops working. Emailed when the respondent has an address."""
    respondent = _fresh(respondent)
    _require_open(respondent.assessment)
    if respondent.is_consensus:
        raise ValidationError(_("The workshop consensus is entered by the consultant."))
    _issue_token(respondent)
    respondent.invited_at = respondent.invited_at or timezone.now()
    respondent.save(update_fields=["token_nonce", "token_hash", "revoked_at", "invited_at"])
    if respondent.email:
        respondent_email_send.delay_on_commit(respondent_id=str(respondent.id), kind="invitation")
    return respondent


@transaction.atomic
def respondent_revoke(*, respondent: Respondent) -> Respondent:
    respondent.revoked_at = timezone.now()
    respondent.save(update_fields=["revoked_at"])
    return respondent


@transaction.atomic
def respondent_remind(*, respondent: Respondent) -> Respondent:
    respondent = _fresh(respondent)
    _require_open(respondent.assessment)
    if respondent.submitted_at or respondent.revoked_at or not respondent.invited_at:
        raise ValidationError(
            _("Only invited respondents who have not submitted can be reminded."),
            code="not_remindable",
        )
    respondent.last_reminded_at = timezone.now()
    respondent.reminders_sent += 1
    respondent.save(update_fields=["last_reminded_at", "reminders_sent"])
    respondent_email_send.delay_on_commit(respondent_id=str(respondent.id), kind="reminder")
    return respondent


def respondent_email_send_now(*, respondent: Respondent, kind: str) -> bool:
    """Send an invitation or reminder email; False when it no longer applies."""
    assessment = respondent.assessment
    if (
        assessment.status != Assessment.Status.OPEN
        or respondent.revoked_at
        or not respondent.email
        or not respondent.token_nonce
        or (kind == "reminder" and respondent.submitted_at)
    ):
        return False
    context = {
        "respondent": respondent,
        "assessment": assessment,
        "client": assessment.client,
        "workspace": assessment.client.workspace,
        "url": respondent_link(respondent),
        "reminder": kind == "reminder",
    }
    subject = (
        _("Reminder: %(title)s") if kind == "reminder" else _("Your view is needed: %(title)s")
    ) % {"title": assessment.title}
    body = render_to_string("assessments/email/respondent_invitation.txt", context)
    send_mail(subject, body, None, [respondent.email])
    return True


@transaction.atomic
def respondents_remind_due(*, now: datetime | None = None) -> int:
    """Remind, at most every `reminder_interval_days`, who was invited and has not
    submitted, until the due date. Run by the periodic task."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    candidates = (
        Respondent.objects.select_related("assessment")
        .filter(
            Q(assessment__due_date__isnull=True) | Q(assessment__due_date__gte=today),
            assessment__status=Assessment.Status.OPEN,
            assessment__client__deleted_at=None,
            invited_at__isnull=False,
            submitted_at__isnull=True,
            revoked_at__isnull=True,
            is_consensus=False,
        )
        .exclude(email="")
    )
    reminded = 0
    for respondent in candidates.select_for_update(of=("self",)):
        last_contact = respondent.last_reminded_at or respondent.invited_at
        if now - last_contact < timedelta(days=respondent.assessment.reminder_interval_days):
            continue
        respondent.last_reminded_at = now
        respondent.reminders_sent += 1
        respondent.save(update_fields=["last_reminded_at", "reminders_sent"])
        respondent_email_send.delay_on_commit(respondent_id=str(respondent.id), kind="reminder")
        reminded += 1
    return reminded


# --- Answering ------------------------------------------------------------------------------


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
    if len(notes) > MAX_COMMENT:
        raise ValidationError({"notes": _("Notes may be at most 5000 characters.")})
    respondent.notes = notes
    respondent.submitted_at = respondent.submitted_at or timezone.now()
    respondent.save(update_fields=["notes", "submitted_at"])
    return respondent
