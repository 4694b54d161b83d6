"""Writes for KPIs: their numbers are checked by the same rules as their status
(kpis.status), so a KPI that could not be rated is never saved."""

from dataclasses import asdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from cxmaturity.revisions import revision_lock, revision_save

from ..inputs import LINKS, KPIInput
from ..models import (
    KPI,
    KPI_INPUT_FIELDS,
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
def kpi_create(*, plan: StrategyPlan, data: KPIInput) -> KPI:
    """Add a KPI at the end of the plan's list; its numbers must be ratable and its links
    within the plan."""
    kpi_check(asdict(data))
    goal = _in_plan(DigitalGoal, plan, data.digital_goal, "digital_goal")
    objective = _in_plan(MarketingObjective, plan, data.marketing_objective, "marketing_objective")
    position = (plan.kpis.aggregate(n=Max("position"))["n"] or 0) + 1
    values = {n: getattr(data, n) for n in KPI_INPUT_FIELDS if n not in LINKS}
    kpi = KPI(
        plan=plan, position=position, digital_goal=goal, marketing_objective=objective, **values
    )
    kpi.full_clean(exclude=["plan", "digital_goal", "marketing_objective"])
    kpi.save()
    return kpi


@transaction.atomic
def kpi_update(*, kpi: KPI, data: KPIInput, revision: int | None = None) -> KPI:
    """Change the KPI's fields `data` gives (the rest keep what is saved now, and only the
    fields that change are written); the same checks as when it was added, and links
    within its plan. Refused when `revision` is older than the saved one."""
    kpi = revision_lock(kpi, expected=revision)
    fields = {n: getattr(data, n) for n in data.given if n not in LINKS}
    current = {f: getattr(kpi, f) for f in ("baseline", "target", "direction", "start", "due")}
    kpi_check({**current, **fields})
    changed = [name for name, value in fields.items() if getattr(kpi, name) != value]
    for name in changed:
        setattr(kpi, name, fields[name])
    for link, model in (("digital_goal", DigitalGoal), ("marketing_objective", MarketingObjective)):
        if link not in data.given:
            continue
        linked = _in_plan(model, kpi.plan, getattr(data, link), link)
        if getattr(kpi, f"{link}_id") != (linked.id if linked else None):
            setattr(kpi, link, linked)
            changed.append(link)
    kpi.full_clean(exclude=["plan", "digital_goal", "marketing_objective"])
    if changed:
        revision_save(kpi, fields=sorted(changed))
    return kpi


@transaction.atomic
def kpi_delete(*, kpi: KPI) -> None:
    """A KPI goes with its measurements."""
    kpi.delete()
