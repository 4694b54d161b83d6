"""Writes for measurements: one from the page, many from the API or a CSV file, all or
none."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from cxmaturity.inputs import csv_rows

from ..models import (
    KPI,
    Measurement,
    StrategyPlan,
)

MAX_CSV_ROWS = 5000


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
    for index, row in enumerate(rows, start=1):
        try:
            checked.append(
                Measurement(
                    kpi=_kpi_of(row.kpi, by_id, by_name),
                    date=_date(row.date, "date"),
                    value=_value(row.value, "value"),
                    note=(row.note or "").strip()[:300],
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


def measurement_add(*, kpi: KPI, date: date | str, value: Any, note: str = "") -> Measurement:
    """One measurement (see measurements_add)."""
    row = MeasurementRow(kpi=kpi, date=date, value=value, note=note)
    return measurements_add(plan=kpi.plan, rows=[row])[0]


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
