"""What every form, serializer and service does to what people type and upload, in one
place: text kept without control characters, one-line names, uploaded CSV rows within a
limit, and dates, amounts and choices refused by the field they belong to."""

import datetime
import re
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from cxmaturity.csv_files import csv_rows

__all__ = [
    "CONTROL_CHARACTERS",
    "choice_input",
    "clean_text",
    "column_input",
    "csv_rows",
    "date_input",
    "due_date_check",
    "money_input",
    "one_line",
    "typed_values",
]

CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: object) -> str:
    """Text as kept: control characters dropped, surrounding space trimmed."""
    return CONTROL_CHARACTERS.sub("", str(value or "")).strip()


def one_line(value: object) -> str:
    """A name or title as kept: clean text with every run of white space one space."""
    return " ".join(clean_text(value).split())


def date_input(value: object, field: str) -> datetime.date | None:
    """A date given as a date or as YYYY-MM-DD text; empty is None."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}, code="invalid") from exc


def money_input(value: object, field: str, *, low: Decimal, high: Decimal) -> Decimal | None:
    """An amount from `low` to `high`, kept to the cent; empty is None."""
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter an amount.")}, code="invalid") from exc
    if not amount.is_finite() or not low <= amount <= high:
        raise ValidationError(
            {field: _("Enter an amount from %(low)s to %(high)s.") % {"low": low, "high": high}},
            code="invalid",
        )
    return amount.quantize(Decimal("0.01"))


def choice_input(value: object, choices: Iterable[str], field: str) -> str:
    """One of `choices` (their stored values), refused by the field otherwise."""
    allowed = list(choices)
    if value not in allowed:
        raise ValidationError(
            {field: _("Choose one of: %(choices)s.") % {"choices": ", ".join(allowed)}},
            code="invalid_choice",
        )
    return str(value)


def column_input(model_field: models.Field, value: object) -> Any:
    """A value cleaned as its model column keeps it: text tidied (one line for short
    text), empty made the column's default (or None where it may be null), then the
    column's own checks (length, choices, digits, validators)."""
    if isinstance(model_field, models.TextField):
        value = clean_text(value)
    elif isinstance(model_field, models.CharField):
        value = one_line(value)
    if value in (None, "") and model_field.has_default():
        value = model_field.get_default()
    if value == "" and model_field.null:
        value = None
    return model_field.clean(value, None)


def typed_values(
    values: Mapping[str, Any],
    *,
    names: Iterable[str],
    clean: Callable[[str, Any], Any],
    required: Iterable[str] = (),
    partial: bool = False,
) -> dict[str, Any]:
    """What a typed input is built from: each value cleaned by `clean(name, value)`, every
    field in error named at once, a name that is not in `names` refused rather than
    dropped, and (unless `partial`, a change) the `required` names present."""
    known = set(names)
    errors = {name: [_("Not a field here.")] for name in values if name not in known}
    cleaned = {}
    for name in known & set(values):
        try:
            cleaned[name] = clean(name, values[name])
        except ValidationError as exc:
            errors[name] = exc.messages
    for name in () if partial else required:
        if name not in values and name not in errors:
            errors[name] = [_("This field is required.")]
    if errors:
        raise ValidationError(errors)
    return cleaned


def due_date_check(value: datetime.date | None, *, saved: datetime.date | None = None) -> None:
    """A due date is today or later. A date already saved may stay as it is (an
    assessment or action that ran late can still be edited) but a new one that has
    passed is refused, naming `due_date`."""
    if value is None or value == saved or value >= timezone.localdate():
        return
    raise ValidationError(
        {"due_date": _("This date has passed: choose today or a later date.")}, code="past"
    )
