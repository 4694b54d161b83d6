"""Engagement value, pure (no Django): ../shared/SCORING.md §3 is the contract.

A digital goal's points show the commitment a visitor shows by reaching it, not revenue;
a visit is worth the points of the goals reached in it (domain.md §6).
"""

from fractions import Fraction
from typing import Any

from .rounding import exact, round_half_up


def _count(value: Any, item: str) -> int:
    """A whole number ≥ 0 (points, conversions, visits); ValueError naming the item."""
    number = exact(value, item)
    if number.denominator != 1 or number < 0:
        raise ValueError(f"{item}: must be a whole number ≥ 0, not {value!r}")
    return int(number)


def _scale_errors(categories: list[dict], goals: list[dict]) -> list[str]:
    errors = []
    ranges: dict[str, tuple[int, int | None]] = {}
    previous_max: int | None = None
    for category in categories:
        key, low, high = category["key"], category["min_points"], category["max_points"]
        if key in ranges:
            errors.append(f"Category {key}: appears twice.")
            continue
        ranges[key] = (low, high)
        if high is None:
            errors.append(f"Category {key}: needs a maximum number of points.")
        elif not 0 <= low <= high:
            errors.append(
                f"Category {key}: its minimum ({low}) must lie between 0 and its maximum ({high})."
            )
        if previous_max is not None and low <= previous_max:
            errors.append(
                f"Category {key}: its minimum ({low}) must be above the previous "
                f"category's maximum ({previous_max})."
            )
        previous_max = high if high is not None else previous_max
    for goal in goals:
        if goal["category"] not in ranges:
            errors.append(f"Goal {goal['key']}: category {goal['category']!r} does not exist.")
            continue
        low, high = ranges[goal["category"]]
        if goal["points"] < low or (high is not None and goal["points"] > high):
            top = "…" if high is None else high
            errors.append(
                f"Goal {goal['key']}: {goal['points']} points lie outside category "
                f"{goal['category']} ({low}–{top})."
            )
    return errors


def engagement_value(data: dict) -> dict:
    """Check the scale and value the conversions of a period (SCORING.md §3).

    The engagement value and shares are computed even when the scale is invalid; input
    of the wrong kind (negative points, a fraction of a conversion) raises ValueError.
    """
    if not isinstance(data, dict):
        raise ValueError("input: must be an object with categories, goals and visits")
    categories = []
    for i, raw in enumerate(data.get("categories") or []):
        key = raw.get("key") if isinstance(raw, dict) else None
        if not key:
            raise ValueError(f"categories[{i}]: needs a key")
        high = raw.get("max_points")
        categories.append(
            {
                "key": key,
                "min_points": _count(raw.get("min_points", 0), f"category {key}, min_points"),
                "max_points": None if high is None else _count(high, f"category {key}, max_points"),
            }
        )
    goals = []
    for i, raw in enumerate(data.get("goals") or []):
        key = raw.get("key") if isinstance(raw, dict) else None
        if not key:
            raise ValueError(f"goals[{i}]: needs a key")
        goals.append(
            {
                "key": key,
                "category": raw.get("category"),
                "points": _count(raw.get("points", 0), f"goal {key}, points"),
                "conversions": _count(raw.get("conversions", 0), f"goal {key}, conversions"),
            }
        )
    visits = _count(data.get("visits", 0), "visits")
    errors = _scale_errors(categories, goals)

    total = sum(g["points"] * g["conversions"] for g in goals)
    by_category = {}
    for category in categories:
        value = sum(
            g["points"] * g["conversions"] for g in goals if g["category"] == category["key"]
        )
        share = round_half_up(Fraction(value, total), 4) if total else 0
        by_category[category["key"]] = {"value": value, "share": share}
    return {
        "valid": not errors,
        "errors": errors,
        "engagement_value": total,
        "value_per_visit": round_half_up(Fraction(total, visits)) if visits else None,
        "by_category": by_category,
    }
