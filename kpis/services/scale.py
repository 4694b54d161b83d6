"""Writes for the engagement value scale and the simulator's saved periods."""

import hashlib
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cxmaturity.inputs import csv_rows, one_line
from cxmaturity.revisions import StaleRevision, revision_save

from ..engagement import engagement_value
from ..models import (
    EngagementCategory,
    SimulationPeriod,
    StrategyPlan,
)
from .measurements import MAX_CSV_ROWS


@transaction.atomic
def period_save(
    *, plan: StrategyPlan, name: str, visits: Any, conversions: dict
) -> SimulationPeriod:
    """Save a simulated period; conversions must be whole numbers ≥ 0 for goals of the plan."""
    name = one_line(name)
    if not name:
        raise ValidationError({"name": _("Name the period, e.g. “March 2027”.")})
    goals = {str(g) for g in plan.digital_goals.values_list("id", flat=True)}
    cleaned = {}
    for goal_id, value in (conversions or {}).items():
        if str(goal_id) not in goals:
            raise ValidationError({"conversions": _("A goal of another plan was given.")})
        cleaned[str(goal_id)] = whole_number(value, "conversions")
    visits = whole_number(visits, "visits")
    conversions_within_visits(plan=plan, visits=visits, conversions=cleaned)
    return SimulationPeriod.objects.create(
        plan=plan, name=name[:100], visits=visits, conversions=cleaned
    )


def conversions_within_visits(*, plan: StrategyPlan, visits: int, conversions: dict) -> None:
    """No goal converts more often than the period was visited. Per goal, not in total:
    one visit may complete several goals (a sign-up and a download). Zero visits means
    none were entered (the simulator values conversions alone), so nothing to compare."""
    if not visits:
        return
    over = [goal_id for goal_id, n in conversions.items() if int(n) > visits]
    if not over:
        return
    names = {str(k): v for k, v in plan.digital_goals.values_list("id", "name")}
    raise ValidationError(
        {
            "conversions": [
                _(
                    "%(goal)s: %(n)d conversions from %(visits)d visits; a goal converts at "
                    "most once a visit."
                )
                % {"goal": names.get(str(g), g), "n": int(conversions[g]), "visits": visits}
                for g in over
            ]
        }
    )


@transaction.atomic
def period_delete(*, period: SimulationPeriod) -> None:
    period.delete()


def whole_number(value: Any, field: str) -> int:
    try:
        number = int(str(value).strip() or 0)
    except ValueError as exc:
        raise ValidationError({field: _("Enter a whole number of 0 or more.")}) from exc
    if number < 0 or number > 10**12:
        raise ValidationError({field: _("Enter a whole number of 0 or more.")})
    return number


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
    categories = list(
        plan.engagement_categories.select_for_update().order_by("position", "min_points")
    )
    unknown = next((key for key in ranges if key not in {c.key for c in categories}), None)
    if unknown is not None:
        raise ValidationError(
            {"categories": _("No category “%(key)s” in this plan.") % {"key": unknown}}
        )
    _scale_fresh(categories, revisions or {}, expected_tag)
    parsed = _scale_parsed(categories, ranges)
    _scale_valid(plan, categories, parsed)
    for category in categories:
        if (category.min_points, category.max_points) != parsed[category.key]:
            category.min_points, category.max_points = parsed[category.key]
            revision_save(category, fields=["min_points", "max_points"])
    return []


def _scale_fresh(
    categories: list[EngagementCategory], revisions: dict[str, int], expected_tag: str | None
) -> None:
    for category in categories:
        expected = revisions.get(category.key)
        if expected is not None and category.revision != expected:
            raise StaleRevision(category)
    if expected_tag is not None and expected_tag != scale_tag(categories):
        raise StaleRevision(
            max(categories, key=lambda c: (c.revised_at is not None, c.revised_at or 0))
        )


def _scale_parsed(
    categories: list[EngagementCategory], ranges: dict[str, tuple[Any, Any]]
) -> dict[str, tuple[int, int | None]]:
    """Each category's range as whole numbers; one not given keeps what is saved."""
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
    return parsed


def _scale_valid(
    plan: StrategyPlan, categories: list[EngagementCategory], parsed: dict[str, tuple]
) -> None:
    """The ranges checked with the plan's goals by SCORING.md §3; errors by category."""
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
    if result["valid"]:
        return
    errors: dict[str, list[str]] = {}
    for message in result["errors"]:
        target = next(
            (c.key for c in categories if message.startswith(f"Category {c.key}:")), "__all__"
        )
        errors.setdefault(target, []).append(message)
    raise ValidationError(errors)


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
