"""Writes for strategy plans, the six steps, KPIs and measurements.

Every item is checked against its plan: a parent from another plan (and so from another
workspace) is refused by name, and a KPI's numbers are checked by the same rules as its
status (kpis.status), so a KPI that could not be rated is never saved.
"""

import hashlib
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from cxmaturity.csv_files import csv_rows
from cxmaturity.inputs import one_line
from cxmaturity.revisions import StaleRevision, revision_lock, revision_save
from workspaces.models import Client

from .models import (
    KPI,
    DigitalGoal,
    EngagementCategory,
    MarketingObjective,
    Measurement,
    StrategicObjective,
    StrategicTheme,
    StrategyPlan,
)
from .status import kpi_status

# domain.md §6: the default ladder of the engagement value scale.
DEFAULT_CATEGORIES = [
    ("awareness", _("Awareness"), 0, 4),
    ("interest", _("Interest"), 5, 19),
    ("lead", _("Lead"), 20, 49),
    ("conversion", _("Conversion"), 50, 99),
    ("advocacy", _("Retention & advocacy"), 100, 250),
]
MAX_CSV_ROWS = 5000

# Each step: its model, the field naming its parent, and the parent's model.
STEPS: dict[str, tuple[type, str | None, type | None]] = {
    "theme": (StrategicTheme, None, None),
    "strategic_objective": (StrategicObjective, "theme", StrategicTheme),
    "marketing_objective": (MarketingObjective, "strategic_objective", StrategicObjective),
    "digital_goal": (DigitalGoal, "marketing_objective", MarketingObjective),
}


@transaction.atomic
def plan_create(*, client: Client, title: str) -> StrategyPlan:
    title = one_line(title)
    if not title:
        raise ValidationError({"title": _("Enter a title.")})
    if len(title) > 200:
        raise ValidationError({"title": _("Use at most 200 characters.")})
    plan = StrategyPlan.objects.create(client=client, title=title)
    EngagementCategory.objects.bulk_create(
        [
            EngagementCategory(
                plan=plan,
                key=key,
                name=str(name),
                min_points=low,
                max_points=high,
                position=position,
            )
            for position, (key, name, low, high) in enumerate(DEFAULT_CATEGORIES)
        ]
    )
    return plan


@transaction.atomic
def plan_activate(*, plan: StrategyPlan) -> StrategyPlan:
    """Make this the client's active plan; the one active before goes back to draft."""
    StrategyPlan.objects.select_for_update().filter(
        client_id=plan.client_id, status=StrategyPlan.Status.ACTIVE
    ).exclude(id=plan.id).update(status=StrategyPlan.Status.DRAFT)
    plan.status = StrategyPlan.Status.ACTIVE
    plan.save(update_fields=["status"])
    return plan


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


def _is_uuid(value: Any) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


@transaction.atomic
def item_create(*, plan: StrategyPlan, step: str, parent_id: Any = None, **fields) -> Any:
    """Add an item to one of the first four steps, under a parent of the same plan."""
    model, field, _parent_model = STEPS[step]
    parent = _parent(plan, step, parent_id)
    position = (model.objects.filter(plan=plan).aggregate(n=Max("position"))["n"] or 0) + 1
    item = model(plan=plan, position=position, **fields)
    if field:
        setattr(item, field, parent)
    item.full_clean(exclude=["plan", field] if field else ["plan"])
    item.save()
    return item


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


def _value(raw: Any, field: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc
    if not value.is_finite() or abs(value) >= Decimal("1e10"):
        raise ValidationError({field: _("Enter a number below ten billion.")})
    return value


@transaction.atomic
def measurement_add(*, kpi: KPI, date: date | str, value: Any, note: str = "") -> Measurement:
    when = _date(date, "date")
    return Measurement.objects.create(
        kpi=kpi, date=when, value=_value(value, "value"), note=(note or "").strip()[:300]
    )


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
    kpis = {str(k.id): k for k in plan.kpis.all()}
    by_name = {k.name.strip().lower(): k for k in kpis.values()}
    problems, created = [], []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [*row, "", "", ""][:3]
        kpi = kpis.get(cells[0].strip()) or by_name.get(cells[0].strip().lower())
        try:
            if kpi is None:
                raise ValidationError(
                    {
                        "kpi": _("no KPI of this plan is called “%(name)s”.")
                        % {"name": cells[0].strip()}
                    }
                )
            created.append(
                Measurement(kpi=kpi, date=_date(cells[1], "date"), value=_value(cells[2], "value"))
            )
        except ValidationError as exc:
            problems.extend(
                _("Row %(row)d, %(field)s: %(message)s")
                % {"row": number, "field": field, "message": message}
                for field, messages in exc.message_dict.items()
                for message in messages
            )
    if problems:
        raise ValidationError({"file": problems}, code="invalid_rows")
    if not created:
        raise ValidationError({"file": _("The file has a header but no measurements.")})
    try:
        with transaction.atomic():
            return Measurement.objects.bulk_create(created)
    except IntegrityError as exc:  # pragma: no cover - the checks above prevent it
        raise ValidationError({"file": _("The measurements could not be saved.")}) from exc


def _step_of(item: Any) -> str:
    return next(step for step, (model, _f, _p) in STEPS.items() if isinstance(item, model))


@transaction.atomic
def item_update(
    *,
    item: Any,
    parent_id: Any = None,
    orphan: bool = False,
    revision: int | None = None,
    **fields,
) -> Any:
    """Change the fields given (the rest keep what is saved now); a new parent must come
    from the same plan, and `orphan` unlinks it on purpose. Refused when `revision` is
    older than the saved one."""
    step = _step_of(item)
    _model, field, _parent_model = STEPS[step]
    item = revision_lock(item, expected=revision)
    changed = []
    if field and parent_id is not None:
        setattr(item, field, _parent(item.plan, step, parent_id))
        changed.append(field)
    elif field and orphan:
        setattr(item, field, None)
        changed.append(field)
    for name, value in fields.items():
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


@transaction.atomic
def period_save(*, plan: StrategyPlan, name: str, visits: Any, conversions: dict) -> Any:
    """Save a simulated period; conversions must be whole numbers ≥ 0 for goals of the plan."""
    from .models import SimulationPeriod

    name = one_line(name)
    if not name:
        raise ValidationError({"name": _("Name the period, e.g. “March 2027”.")})
    goals = {str(g) for g in plan.digital_goals.values_list("id", flat=True)}
    cleaned = {}
    for goal_id, value in (conversions or {}).items():
        if str(goal_id) not in goals:
            raise ValidationError({"conversions": _("A goal of another plan was given.")})
        cleaned[str(goal_id)] = whole_number(value, "conversions")
    return SimulationPeriod.objects.create(
        plan=plan, name=name[:100], visits=whole_number(visits, "visits"), conversions=cleaned
    )


def whole_number(value: Any, field: str) -> int:
    try:
        number = int(str(value).strip() or 0)
    except ValueError as exc:
        raise ValidationError({field: _("Enter a whole number of 0 or more.")}) from exc
    if number < 0 or number > 10**12:
        raise ValidationError({field: _("Enter a whole number of 0 or more.")})
    return number


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


def scale_tag(categories: list[EngagementCategory]) -> str:
    """The scale's revision as one value (its ETag): what each category's revision is."""
    text = ",".join(f"{c.key}:{c.revision}" for c in sorted(categories, key=lambda c: c.key))
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@transaction.atomic
def scale_update(
    *,
    plan: StrategyPlan,
    ranges: dict[str, tuple[Any, Any]],
    revisions: dict[str, int] | None = None,
    expected_tag: str | None = None,
) -> list[str]:
    """Set each category's (min, max) points; saved only when the whole scale is valid
    (SCORING.md §3). Returns nothing on success; raises ValidationError keyed by category.
    Refused when a category changed since the revision given for it (or the scale since
    `expected_tag`)."""
    from .engagement import engagement_value

    categories = list(
        plan.engagement_categories.select_for_update().order_by("position", "min_points")
    )
    for category in categories:
        expected = (revisions or {}).get(category.key)
        if expected is not None and category.revision != expected:
            raise StaleRevision(category)
    if expected_tag is not None and expected_tag != scale_tag(categories):
        raise StaleRevision(
            max(categories, key=lambda c: (c.revised_at is not None, c.revised_at or 0))
        )
    errors: dict[str, list[str]] = {}
    parsed = {}
    for category in categories:
        low, high = ranges.get(category.key, (category.min_points, category.max_points))
        try:
            parsed[category.key] = (
                whole_number(low, category.key),
                None if high in (None, "") else whole_number(high, category.key),
            )
        except ValidationError:
            errors.setdefault(category.key, []).append(_("Enter whole numbers of 0 or more."))
    if errors:
        raise ValidationError(errors)
    result = engagement_value(
        {
            "categories": [
                {"key": c.key, "min_points": parsed[c.key][0], "max_points": parsed[c.key][1]}
                for c in categories
            ],
            "goals": [
                {"key": g.name, "category": g.category.key, "points": g.points or 0}
                for g in plan.digital_goals.select_related("category")
                if g.category_id
            ],
        }
    )
    if not result["valid"]:
        for message in result["errors"]:
            target = next(
                (c.key for c in categories if message.startswith(f"Category {c.key}:")), "__all__"
            )
            errors.setdefault(target, []).append(message)
        raise ValidationError(errors)
    for category in categories:
        if (category.min_points, category.max_points) != parsed[category.key]:
            category.min_points, category.max_points = parsed[category.key]
            revision_save(category, fields=["min_points", "max_points"])
    return []


def conversions_from_csv(*, plan: StrategyPlan, data: bytes | str | IO[bytes]) -> dict[str, int]:
    """Conversions per digital goal from a CSV `goal,conversions` (a goal of this plan by
    name or id); every row is checked, errors named by row, nothing used if one is wrong."""
    rows = csv_rows(data, max_rows=MAX_CSV_ROWS)
    if not rows or [h.strip().lower() for h in rows[0][:2]] != ["goal", "conversions"]:
        raise ValidationError({"file": _("Row 1 must be the header goal,conversions.")})
    goals = {str(g.id): g for g in plan.digital_goals.all()}
    by_name = {g.name.strip().lower(): g for g in goals.values()}
    problems, conversions = [], {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        name, value = [*row, "", ""][:2]
        goal = goals.get(name.strip()) or by_name.get(name.strip().lower())
        if goal is None:
            problems.append(
                _("Row %(row)d, goal: no digital goal of this plan is called “%(name)s”.")
                % {"row": number, "name": name.strip()}
            )
            continue
        try:
            conversions[str(goal.id)] = whole_number(value, "conversions")
        except ValidationError:
            problems.append(
                _("Row %(row)d, conversions: enter a whole number of 0 or more.") % {"row": number}
            )
    if problems:
        raise ValidationError({"file": problems})
    return conversions
