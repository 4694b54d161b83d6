"""Writes for respondents: add, change, remove, import from CSV, erase on request."""

from decimal import Decimal, InvalidOperation
from typing import IO

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cxmaturity.csv_files import csv_rows
from cxmaturity.inputs import CONTROL_CHARACTERS, clean_text, one_line

from ..languages import QUESTIONNAIRE_LANGUAGES, is_language
from ..models import Answer, Assessment, Respondent, RespondentRole, max_length

MAX_CSV_BYTES = 512 * 1024
MAX_CSV_ROWS = 1000
_CSV_COLUMNS = ("name", "email", "role", "department", "weight", "language")
# Stored as the consensus respondent's name, in the assessment's language (like the
# questionnaire it answers), so every page and export shows what the workshop called it.
CONSENSUS_NAME = gettext_lazy("Workshop consensus")
ERASED_NAME = gettext_lazy("Erased respondent")
# The model's columns are the one home of these limits; the form and the API read them
# from there too, and the CSV import, which has neither, gets them here.
_NAME_MAX = max_length(Respondent, "name")
_EMAIL_MAX = max_length(Respondent, "email")
_DEPARTMENT_MAX = max_length(Respondent, "department")


def _respondent_clean(
    *,
    assessment: Assessment,
    name: str,
    email: str,
    role: str,
    department: str,
    weight,
    language: str = "",
    exclude_id=None,
    taken: set[str] | None = None,
) -> dict:
    """The respondent's fields as kept; every field in error named at once (a CSV row
    lists all its problems, not the first)."""
    checks = {
        "name": lambda: _name_clean(name),
        "email": lambda: _email_clean(assessment, email, exclude_id=exclude_id, taken=taken),
        "role": lambda: _role_clean(role),
        "department": lambda: _department_clean(department),
        "weight": lambda: _weight_clean(weight),
        "language": lambda: _language_clean(language),
    }
    fields, errors = {}, {}
    for field, check in checks.items():
        try:
            fields[field] = check()
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return fields


def _name_clean(name: str) -> str:
    name = one_line(name)
    if not name:
        raise ValidationError({"name": _("Enter a name.")}, code="required")
    if len(name) > _NAME_MAX:
        raise ValidationError({"name": _("Use at most 150 characters.")}, code="max_length")
    return name


def _department_clean(department: str) -> str:
    department = clean_text(department)
    if len(department) > _DEPARTMENT_MAX:
        raise ValidationError({"department": _("Use at most 100 characters.")})
    return department


def _email_clean(
    assessment: Assessment, email: str, *, exclude_id=None, taken: set[str] | None = None
) -> str:
    """A valid address nobody else in this assessment has (nor an earlier row of the same
    file, `taken`); blank is allowed."""
    email = clean_text(email).lower()
    if len(email) > _EMAIL_MAX:
        raise ValidationError({"email": _("Enter a valid email address.")})
    if not email:
        return email
    try:
        validate_email(email)
    except ValidationError as exc:
        raise ValidationError({"email": _("Enter a valid email address.")}) from exc
    duplicates = assessment.respondents.filter(email=email)
    if exclude_id is not None:
        duplicates = duplicates.exclude(id=exclude_id)
    if duplicates.exists() or (taken is not None and email in taken):
        raise ValidationError(
            {"email": _("%(email)s is already a respondent.") % {"email": email}}, code="unique"
        )
    return email


def _language_clean(language: str) -> str:
    """Blank: the assessment's language."""
    language = (language or "").strip().lower()
    if language and not is_language(language):
        raise ValidationError(
            {
                "language": _("Choose one of: %(languages)s, or leave it blank.")
                % {"languages": ", ".join(QUESTIONNAIRE_LANGUAGES)}
            }
        )
    return language


def _role_clean(role: str) -> str:
    # A spreadsheet may name the role by its label ("Executive") as well as its value.
    role = (role or RespondentRole.EXECUTIVE).strip().lower()
    labels = {str(label).lower(): value for value, label in RespondentRole.choices}
    role = labels.get(role, role)
    if role not in RespondentRole.values:
        raise ValidationError(
            {"role": _("Choose one of: %(roles)s.") % {"roles": ", ".join(RespondentRole.values)}}
        )
    return role


def _weight_clean(weight) -> Decimal:
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
    return weight.quantize(Decimal("0.001"))


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
    language: str = "",
) -> Respondent:
    _editable(assessment)
    fields = _respondent_clean(
        assessment=assessment,
        name=name,
        email=email,
        role=role,
        department=department,
        weight=weight,
        language=language,
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
        "language": respondent.language,
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
    """Add every row of a CSV (name,email,role,department,weight,language), or none.

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
    header = _csv_header(rows[0])
    cleaned = _csv_respondents(assessment, header, rows[1:])
    with transaction.atomic():
        _editable(Assessment.objects.get(pk=assessment.pk))
        # Checked again in one query: someone may have added one of them meanwhile.
        emails = {fields["email"] for _number, fields in cleaned if fields["email"]}
        added = set(assessment.respondents.filter(email__in=emails).values_list("email", flat=True))
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


def _csv_header(row: list[str]) -> list[str]:
    header = [h.strip().lower() for h in row]
    if "name" not in header:
        raise ValidationError(
            {
                "file": _(
                    "Row 1 must be a header naming the columns: "
                    "name,email,role,department,weight,language."
                )
            }
        )
    unknown = set(header) - {*_CSV_COLUMNS, ""}
    if unknown:
        raise ValidationError(
            {
                "file": _("Row 1: unknown column(s) %(columns)s.")
                % {"columns": ", ".join(sorted(unknown))}
            }
        )
    return header


def _csv_respondents(
    assessment: Assessment, header: list[str], rows: list[list[str]]
) -> list[tuple[int, dict]]:
    """(row number, checked fields) for every row that is not blank; every problem of
    every row at once when there are any."""
    problems, cleaned, taken = [], [], set()
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        values = dict(zip(header, row, strict=False))
        try:
            fields = _respondent_clean(
                assessment=assessment, taken=taken, **{k: values.get(k, "") for k in _CSV_COLUMNS}
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
    return cleaned


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
        with translation.override(assessment.language or None):
            name = str(CONSENSUS_NAME)
        respondent = Respondent.objects.create(
            assessment=assessment,
            name=name,
            role=RespondentRole.OTHER,
            is_consensus=True,
        )
    return respondent


@transaction.atomic
def respondent_erase(*, respondent: Respondent, comments: bool, erased_by=None) -> Respondent:
    """Erase a person's personal data at their request: name, email, department, notes
    and link (and, if asked, their comments and evidence), here and in the audit trail.
    Their answers stay and count as before, under their role only."""
    from audit.models import AuditAction
    from audit.services import audit_forget, audit_record

    if respondent.is_consensus:
        raise ValidationError(_("The workshop's consensus holds nobody's personal data."))
    now = timezone.now()
    label = str(ERASED_NAME)
    # Updates, not saves: the audit trail must not copy the old name and email it erases.
    Respondent.objects.filter(pk=respondent.pk).update(
        name=label,
        email="",
        department="",
        notes="",
        token_nonce="",
        token_hash="",
        revoked_at=Coalesce("revoked_at", Value(now)),
        erased_at=now,
    )
    if comments:
        Answer.objects.filter(respondent_id=respondent.pk).update(comment="", evidence="")
    respondent = Respondent.objects.select_related("assessment__client__workspace").get(
        pk=respondent.pk
    )
    audit_forget(obj=respondent, label=label)
    audit_record(
        actor=erased_by,
        workspace=respondent.assessment.client.workspace,
        action=AuditAction.CHANGED,
        obj=respondent,
        changes={
            str(_("personal data")): ["", str(_("erased"))],
            **({str(_("comments and evidence")): ["", str(_("erased"))]} if comments else {}),
        },
    )
    return respondent
