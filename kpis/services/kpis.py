"""Writes for KPIs: their numbers are checked by the same rules as their status
(kpis.status), so a KPI that could not be rated is never saved."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cxmaturity.revisions import revision_lock, revision_save

from ..models import (
    KPI,
    DigitalGoal,
    MarketingObjective,
    StrategyPlan,
)
from ..status import kpi_status
from .items import _in_plan


def kpi_check(fields: dict) -> None:
    """The rules of SCORING.md §4, as field errors: target ≠ baseline, on the side of the
    direction, due after start."""
    try:
        kpi_status(
            {
                key: str(fields[key]) if key in ("baseline", "target") else fields[key]
                for key in ("baseline", "target", "direction", "start", "due")
            }
        )
    except KeyError as exc:
        raise ValidationError({exc.args[0]: _("This field is required.")}) from exc
    except ValueError as exc:
        field, _sep, message = str(exc).partition(": ")
        raise ValidationError({field: message}) from exc


@transaction.atomic
def kpi_create(
    *, plan: StrategyPlan, digital_goal_id: Any = None, marketing_objective_id: Any = None, **fields
) -> KPI:
    kpi_check(fields)
    goal = _in_plan(DigitalGoal, plan, digital_goal_id, "digital_goal")
    objective = _in_plan(MarketingObjective, plan, marketing_objective_id, "marketing_objective")
    position = (plan.kpis.aggregate(n=Max("position"))["n"] or 0) + 1
    kpi = KPI(
        plan=plan, position=position, digital_goal=goal, marketing_objective=objective, **fields
    )
    kpi.full_clean(exclude=["plan", "digital_goal", "marketing_objective"])
    kpi.save()
    return kpi


# A link the caller does not mention keeps what is saved now (None unlinks).
UNCHANGED: Any = object()


@transaction.atomic
def kpi_update(
    *,
    kpi: KPI,
    digital_goal_id: Any = UNCHANGED,
    marketing_objective_id: Any = UNCHANGED,
    revision: int | None = None,
    **fields,
) -> KPI:
    """Change a KPI's fields given (the rest keep what is saved now); the same checks as
    when it was added, and links within its plan. Refused when `revision` is older than
    the saved one."""
    kpi = revision_lock(kpi, expected=revision)
    current = {f: getattr(kpi, f) for f in ("baseline", "target", "direction", "start", "due")}
    kpi_check({**current, **fields})
    changed = [name for name, value in fields.items() if getattr(kpi, name) != value]
    for name in changed:
        setattr(kpi, name, fields[name])
    for link, model, given in (
        ("digital_goal", DigitalGoal, digital_goal_id),
        ("marketing_objective", MarketingObjective, marketing_objective_id),
    ):
        if given is UNCHANGED:
            continue
        linked = _in_plan(model, kpi.plan, given, link)
        if getattr(kpi, f"{link}_id") != (linked.id if linked else None):
            setattr(kpi, link, linked)
            changed.append(link)
    kpi.full_clean(exclude=["plan", "digital_goal", "marketing_objective"])
    if changed:
        revision_save(kpi, fields=changed)
    return kpi


@transaction.atomic
def kpi_delete(*, kpi: KPI) -> None:
    """A KPI goes with its measurements."""
    kpi.delete()
