"""KPI status, pure (no Django): ../shared/SCORING.md §4 is the contract."""

from datetime import date
from fractions import Fraction
from typing import Any

from .rounding import exact, round_half_up

AT_RISK_MARGIN = Fraction(15, 100)
DIRECTIONS = ("increase", "decrease")


def _date(value: Any, item: str) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"{item}: must be a date as YYYY-MM-DD, not {value!r}") from exc


def kpi_status(data: dict) -> dict:
    """How a KPI stands at its latest measurement: met, on track, at risk or off track
    against the straight line from baseline at start to target at due."""
    if not isinstance(data, dict):
        raise ValueError("input: must be an object")
    baseline = exact(data.get("baseline"), "baseline")
    target = exact(data.get("target"), "target")
    direction = data.get("direction")
    if direction not in DIRECTIONS:
        raise ValueError(f"direction: must be increase or decrease, not {direction!r}")
    if target == baseline:
        raise ValueError("target: must differ from the baseline")
    if (direction == "increase") != (target > baseline):
        side = "above" if direction == "increase" else "below"
        raise ValueError(f"target: must lie {side} the baseline for a KPI to {direction}")
    start, due = _date(data.get("start"), "start"), _date(data.get("due"), "due")
    if due <= start:
        raise ValueError("due: must come after start")
    latest = None
    for i, m in enumerate(data.get("measurements") or []):
        if not isinstance(m, dict):
            raise ValueError(f"measurements[{i}]: must have a date and a value")
        when = _date(m.get("date"), f"measurements[{i}].date")
        value = exact(m.get("value"), f"measurements[{i}].value")
        if latest is None or when >= latest[0]:  # the last one given wins a tie
            latest = (when, value)
    if latest is None:
        return {"status": "no_data", "latest": None, "progress": None, "expected": None}
    when, value = latest
    progress = (value - baseline) / (target - baseline)
    expected = min(Fraction(1), max(Fraction(0), Fraction((when - start).days, (due - start).days)))
    if progress >= 1:
        status = "met"
    elif progress >= expected:
        status = "on_track"
    elif progress >= expected - AT_RISK_MARGIN:
        status = "at_risk"
    else:
        status = "off_track"
    return {
        "status": status,
        "latest": float(value),
        "progress": round_half_up(progress, 4),
        "expected": round_half_up(expected, 4),
    }


def kpi_freshness(*, start: date, last: date | None, today: date, stale_after_days: int) -> str:
    """Whether a KPI's readings are current: "not_started" before its start (nothing is
    owed yet), "stale" when more than `stale_after_days` passed since the later of its
    start and its last measurement, else "fresh". Counting from the start means a KPI that
    began last week is not "stale" for having no reading yet."""
    if today < start:
        return "not_started"
    since = max(start, last) if last is not None else start
    return "stale" if (today - since).days > stale_after_days else "fresh"
