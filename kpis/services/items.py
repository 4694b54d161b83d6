"""Writes for the items of the first four steps.

Every item is checked against its plan: a parent from another plan (and so from another
workspace) is refused by name."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from cxmaturity.revisions import revision_lock, revision_save

from ..inputs import ItemInput
from ..models import (
    KPI,
    STEPS,
    DigitalGoal,
    EngagementCategory,
    MarketingObjective,
    StrategicObjective,
    StrategicTheme,
    StrategyPlan,
)


def _in_plan(model: type, plan: StrategyPlan, item_id: Any, field: str) -> Any:
    """The plan's item with this id, or None for none given; a ValidationError naming the
    field for an id of another plan (or workspace), which is never confirmed to exist."""
    if not item_id:
        return None
    item = model.objects.filter(plan=plan, id=item_id).first() if _is_uuid(item_id) else None
    if item is None:
        raise ValidationError({field: _("Choose one from this plan.")}, code="foreign_parent")
    return item


def _parent(plan: StrategyPlan, step: str, parent_id: Any) -> Any:
    _model, field, parent_model = STEPS[step]
    return _in_plan(parent_model, plan, parent_id, field) if parent_model else None


def _category(plan: StrategyPlan, key: str) -> EngagementCategory | None:
    """A digital goal's category of this plan, by its key (blank unsets it)."""
    category = plan.engagement_categories.filter(key=key).first() if key else None
    if key and category is None:
        raise ValidationError({"category": _("No category with this key in the plan.")})
    return category


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@transaction.atomic
def item_create(*, plan: StrategyPlan, data: ItemInput) -> Any:
    """Add an item to one of the first four steps, under a parent of the same plan."""
    model, field, _parent_model = STEPS[data.step]
    values = dict(data.values)
    if "category" in values:
        values["category"] = _category(plan, values["category"])
    position = (model.objects.filter(plan=plan).aggregate(n=Max("position"))["n"] or 0) + 1
    item = model(plan=plan, position=position, **values)
    if field:
        setattr(item, field, _parent(plan, data.step, data.parent))
    item.full_clean(exclude=["plan", field] if field else ["plan"])
    item.save()
    return item


def _step_of(item: Any) -> str:
    return next(step for step, (model, _f, _p) in STEPS.items() if isinstance(item, model))


@transaction.atomic
def item_update(*, item: Any, data: ItemInput, revision: int | None = None) -> Any:
    """Change the fields given (the rest keep what is saved now); a new parent must come
    from the same plan, and a parent given as none unlinks it on purpose. Refused when
    `revision` is older than the saved one."""
    step = _step_of(item)
    if data.step != step:
        raise ValueError(f"a {data.step} input for a {step}")
    _model, field, _parent_model = STEPS[step]
    item = revision_lock(item, expected=revision)
    values = dict(data.values)
    if "category" in values:
        values["category"] = _category(item.plan, values["category"])
    changed = []
    if data.parent_given:
        setattr(item, field, _parent(item.plan, step, data.parent))
        changed.append(field)
    for name, value in values.items():
        if getattr(item, name) != value:
            setattr(item, name, value)
            changed.append(name)
    item.full_clean(exclude=["plan", field] if field else ["plan"])
    if changed:
        revision_save(item, fields=changed)
    return item


def item_dependents(*, item: Any) -> dict[str, int]:
    """What deleting this item takes with it (children) or leaves orphaned (KPIs)."""
    if isinstance(item, StrategicTheme):
        objectives = item.objectives.all()
        marketing = MarketingObjective.objects.filter(strategic_objective__in=objectives)
    elif isinstance(item, StrategicObjective):
        objectives = StrategicObjective.objects.none()
        marketing = item.marketing_objectives.all()
    elif isinstance(item, MarketingObjective):
        objectives = StrategicObjective.objects.none()
        marketing = MarketingObjective.objects.filter(id=item.id)
    else:
        return {"kpis_orphaned": item.kpis.count()}
    goals = DigitalGoal.objects.filter(marketing_objective__in=marketing)
    deleted_marketing = marketing.exclude(id=item.id).count()
    return {
        "strategic_objectives": objectives.count(),
        "marketing_objectives": deleted_marketing,
        "digital_goals": goals.count(),
        "kpis_orphaned": KPI.objects.filter(
            Q(digital_goal__in=goals) | Q(marketing_objective__in=marketing)
        )
        .distinct()
        .count(),
    }


@transaction.atomic
def item_delete(*, item: Any) -> None:
    """Delete the item and its children; KPIs linked to them stay, as orphans to relink."""
    item.delete()


@transaction.atomic
def item_move(*, item: Any, offset: int) -> Any:
    """Swap places with the neighbour above (-1) or below (+1) in the same step."""
    siblings = list(
        type(item)
        .objects.select_for_update()
        .filter(plan_id=item.plan_id)
        .order_by("position", "created_at")
    )
    index = next(i for i, s in enumerate(siblings) if s.id == item.id)
    target = index + offset
    if 0 <= target < len(siblings):
        siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    type(item).objects.bulk_update(siblings, ["position"])
    return item
