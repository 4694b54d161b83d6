"""Writes for strategy plans, the six steps, KPIs, measurements and the engagement value
scale, one module per noun; every public name is importable from `kpis.services`."""

from .items import (
    STEPS,
    item_create,
    item_delete,
    item_dependents,
    item_move,
    item_update,
)
from .kpis import kpi_check, kpi_create, kpi_delete, kpi_update
from .measurements import (
    MAX_CSV_ROWS,
    MeasurementRow,
    measurement_add,
    measurement_delete,
    measurement_update,
    measurement_warnings,
    measurements_add,
    measurements_import_csv,
)
from .plans import DEFAULT_CATEGORIES, plan_activate, plan_create
from .scale import (
    conversions_from_csv,
    conversions_within_visits,
    period_delete,
    period_save,
    scale_tag,
    scale_update,
    whole_number,
)

__all__ = [
    "DEFAULT_CATEGORIES",
    "MAX_CSV_ROWS",
    "STEPS",
    "MeasurementRow",
    "conversions_from_csv",
    "conversions_within_visits",
    "item_create",
    "item_delete",
    "item_dependents",
    "item_move",
    "item_update",
    "kpi_check",
    "kpi_create",
    "kpi_delete",
    "kpi_update",
    "measurement_add",
    "measurement_delete",
    "measurement_update",
    "measurement_warnings",
    "measurements_add",
    "measurements_import_csv",
    "period_delete",
    "period_save",
    "plan_activate",
    "plan_create",
    "scale_tag",
    "scale_update",
    "whole_number",
]
