"""Small SVG geometry for KPI pages, pure."""


def sparkline(values: list[float], *, width: int = 120, height: int = 28) -> str:
    """Polyline points for a series of values, scaled to the box; empty for none."""
    if not values:
        return ""
    low, high = min(values), max(values)
    span = (high - low) or 1
    step = width / max(len(values) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{round(height - 2 - (v - low) / span * (height - 4), 1)}"
        for i, v in enumerate(values)
    )
