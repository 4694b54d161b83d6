"""Writes for measurements: one from the page, many from the API or a CSV file, all or
none."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from audit.context import acting_user
from cxmaturity.inputs import csv_rows

from ..models import (
    KPI,
    Measurement,
    StrategyPlan,
)

MAX_CSV_ROWS = 5000
# How far outside its baseline-to-target range a reading may lie, in multiples of that
# range. A KPI's readings overshoot and undershoot (a good month beats the target, a bad
# one falls below the baseline), so 10 ranges away is only worth a warning: it is most
# often a misplaced decimal point or the wrong unit, but it may be real. A thousand ranges
# away is no plausible reading of the KPI as it is defined (a 2 → 3.5 rating read as 2000,
# a 60 % → 72 % rate read as 99,999,999, which the scorecard and PDF then show as a
# 41-million-percent progress), so it is refused; a KPI whose real readings lie that far
# off needs its baseline and target changed first. Beyond that, `_value` bounds every
# reading below ten billion, what the column holds.
OUTLIER_RANGES = 10
ABSURD_RANGES = 1000


@dataclass(frozen=True)
class MeasurementRow:
    """One measurement to add. `kpi` is a KPI of the plan, or its id or name as typed;
    `date` and `value` are checked by measurements_add; `row` is the number the caller
    shows for it (a file's spreadsheet row), else its place in the list."""

    kpi: KPI | str | Any
    date: date | str
    value: Decimal | int | str
    note: str = ""
    row: int | None = None


def measurements_add(
    *,
    plan: StrategyPlan,
    rows: Sequence[MeasurementRow],
    field: str = "measurements",
    bulk: bool = False,
) -> list[Measurement]:
    """Add every row, or none; each problem is named by its row under `field`. Every row
    is checked before the one transaction. Rows are saved one by one, each in the audit
    trail; a file's import (`bulk`) is one INSERT, which the trail does not follow
    (audit/registry.py), so that thousands of rows stay one statement."""
    by_id = {str(k.id): k for k in plan.kpis.all()}
    by_name = {k.name.strip().lower(): k for k in by_id.values()}
    problems, checked = [], []
    recorder = acting_user()
    for index, row in enumerate(rows, start=1):
        try:
            kpi = _kpi_of(row.kpi, by_id, by_name)
            when, value = _checked(kpi, row.date, row.value)
            checked.append(
                Measurement(
                    kpi=kpi,
                    date=when,
                    value=value,
                    note=(row.note or "").strip()[:300],
                    recorded_by=recorder,
                )
            )
        except ValidationError as exc:
            problems.extend(
                _("Row %(row)d, %(field)s: %(message)s")
                % {"row": row.row or index, "field": name, "message": message}
                for name, messages in exc.message_dict.items()
                for message in messages
            )
    if problems:
        raise ValidationError({field: problems}, code="invalid_rows")
    if not bulk:
        with transaction.atomic():
            for measurement in checked:
                measurement.save()
        return checked
    try:
        with transaction.atomic():
            return Measurement.objects.bulk_create(checked)
    except IntegrityError as exc:  # pragma: no cover - the checks above prevent it
        raise ValidationError({field: _("The measurements could not be saved.")}) from exc


def _kpi_of(given: Any, by_id: dict[str, KPI], by_name: dict[str, KPI]) -> KPI:
    if isinstance(given, KPI):
        reference, kpi = str(given.id), by_id.get(str(given.id))
    else:
        reference = str(given).strip()
        kpi = by_id.get(reference) or by_name.get(reference.lower())
    if kpi is None:
        raise ValidationError(
            {"kpi": _("no KPI of this plan is called “%(name)s”.") % {"name": reference}}
        )
    return kpi


@transaction.atomic
def measurement_add(*, kpi: KPI, date: date | str, value: Any, note: str = "") -> Measurement:
    """One measurement, by the rules of measurements_add; a problem is named by its field
    (date, value), as a form shows it beside the field."""
    when, checked = _checked(kpi, date, value)
    return Measurement.objects.create(
        kpi=kpi,
        date=when,
        value=checked,
        note=(note or "").strip()[:300],
        recorded_by=acting_user(),
    )


def _checked(kpi: KPI, raw_date: Any, raw_value: Any) -> tuple[date, Decimal]:
    """A reading's date and value, each problem named by its field: the date inside the
    KPI's period, the value a plausible one (see ABSURD_RANGES)."""
    errors: dict[str, str] = {}
    when = value = None
    try:
        when = _date(raw_date, "date")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    try:
        value = _value(raw_value, "value")
    except ValidationError as exc:
        errors.update({k: v[0] for k, v in exc.message_dict.items()})
    if when is not None and not kpi.start <= when <= kpi.due:
        errors["date"] = _("Outside the KPI's period: choose a date from %(start)s to %(due)s.") % {
            "start": date_format(kpi.start, "SHORT_DATE_FORMAT"),
            "due": date_format(kpi.due, "SHORT_DATE_FORMAT"),
        }
    if value is not None and _ranges_away(kpi, value) > ABSURD_RANGES:
        errors["value"] = _(
            "%(value)s lies more than %(n)d times the KPI's range (%(baseline)s to "
            "%(target)s) away from it: check the number and its unit."
        ) % {
            "value": _number(value),
            "n": ABSURD_RANGES,
            "baseline": _number(kpi.baseline),
            "target": _number(kpi.target),
        }
    if errors:
        raise ValidationError(errors)
    return when, value


def _ranges_away(kpi: KPI, value: Decimal) -> Decimal:
    """How far the value lies outside baseline..target, in multiples of that range (the
    services never save a KPI whose target equals its baseline)."""
    low, high = sorted((kpi.baseline, kpi.target))
    span = (high - low) or Decimal(1)
    return max(low - value, value - high, Decimal(0)) / span


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def measurement_warnings(measurements: Sequence[Measurement]) -> list[str]:
    """What is saved but looks wrong: readings more than OUTLIER_RANGES times the KPI's
    range away from it, one sentence each."""
    return [
        _(
            "%(kpi)s on %(date)s: %(value)s lies far outside its range (%(baseline)s to "
            "%(target)s). Saved; check it is not a typing mistake."
        )
        % {
            "kpi": m.kpi.name,
            "date": date_format(m.date, "SHORT_DATE_FORMAT"),
            "value": _number(m.value),
            "baseline": _number(m.kpi.baseline),
            "target": _number(m.kpi.target),
        }
        for m in measurements
        if _ranges_away(m.kpi, m.value) > OUTLIER_RANGES
    ]


@transaction.atomic
def measurement_update(
    *, measurement: Measurement, date: date | str, value: Any, note: str = ""
) -> Measurement:
    """Correct a reading under the rules it was recorded by. Measurements carry no
    revision (a reading is a fact entered once, rarely edited), so the row is locked for
    the change: two corrections at once queue instead of mixing."""
    current = Measurement.objects.select_for_update().select_related("kpi").get(pk=measurement.pk)
    current.date, current.value = _checked(current.kpi, date, value)
    current.note = (note or "").strip()[:300]
    current.save(update_fields=["date", "value", "note"])
    return current


@transaction.atomic
def measurement_delete(*, measurement: Measurement) -> None:
    """Remove a reading (the audit trail keeps what it was)."""
    current = Measurement.objects.select_for_update().filter(pk=measurement.pk).first()
    if current is not None:  # a colleague's delete came first: nothing left to do
        current.delete()


def _value(raw: Any, field: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        raise ValidationError({field: _("Enter a number below ten billion.")})
    return value


def _date(raw: Any, field: str) -> date:
    if isinstance(raw, date):
        return raw
    try:
        return date.fromisoformat(str(raw).strip())
    except ValueError as exc:
        raise ValidationError({field: _("Enter a date as YYYY-MM-DD.")}) from exc


def measurements_import_csv(
    *, plan: StrategyPlan, data: bytes | str | IO[bytes]
) -> list[Measurement]:
    """Add every row of `kpi,date,value` (a KPI of this plan, by name or id), or none.
    Rows are numbered as a spreadsheet shows them: the header is row 1. A file is read
    line by line and refused at its first row past MAX_CSV_ROWS, and every row checked
    before the one INSERT transaction, so a large file holds no write lock meanwhile."""
    rows = csv_rows(data, max_rows=MAX_CSV_ROWS)
    if not rows or [h.strip().lower() for h in rows[0][:3]] != ["kpi", "date", "value"]:
        raise ValidationError({"file": _("Row 1 must be the header kpi,date,value.")})
    given = [
        MeasurementRow(kpi=cells[0], date=cells[1], value=cells[2], row=number)
        for number, row in enumerate(rows[1:], start=2)
        if any(cell.strip() for cell in row)
        for cells in [[*row, "", "", ""][:3]]
    ]
    if not given:
        raise ValidationError({"file": _("The file has a header but no measurements.")})
    return measurements_add(plan=plan, rows=given, field="file", bulk=True)
