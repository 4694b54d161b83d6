"""Small SVG geometry for KPI pages, pure."""


def sparkline(
    values: list[float],
    *,
    width: int = 120,
    height: int = 28,
    bounds: tuple[float, float] | None = None,
) -> str:
    """Polyline points for a series of values, scaled to the box (or to `bounds`, the low
    and high the box spans); empty for none."""
    if not values:
        return ""
    low, high = bounds or (min(values), max(values))
    step = width / max(len(values) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{_y(v, low, high, height)}" for i, v in enumerate(values)
    )


def _y(value: float, low: float, high: float, height: int) -> float:
    return round(height - 2 - (value - low) / ((high - low) or 1) * (height - 4), 1)


def kpi_chart(
    values: list[float], *, baseline: float, target: float, width: int = 600, height: int = 160
) -> dict:
    """A KPI's readings as a sparkline drawn with its baseline and target lines, all on one
    scale so a reading past the target shows above (or below) its line."""
    low = min([*values, baseline, target])
    high = max([*values, baseline, target])
    return {
        "width": width,
        "height": height,
        "points": sparkline(values, width=width, height=height, bounds=(low, high)),
        "baseline_y": _y(baseline, low, high, height),
        "target_y": _y(target, low, high, height),
    }


def alignment_map(
    columns: list[list[dict]],
    edges: list[tuple],
    *,
    column_width: int = 210,
    row_height: int = 26,
    node_width: int = 180,
) -> dict:
    """Boxes in columns (themes → … → KPIs, left to right), one row each so nothing overlaps,
    and a curve for each parent → child link. Each node: {"id", "label", "orphan"}."""
    rows = max((len(c) for c in columns), default=0)
    height = max(rows, 1) * row_height + 40
    placed, boxes = {}, []
    for col, nodes in enumerate(columns):
        # Spread a short column over the height, so its links stay readable.
        step = (height - 40) / max(len(nodes), 1)
        for i, node in enumerate(nodes):
            x, y = 10 + col * column_width, round(30 + i * step, 1)
            placed[node["id"]] = (x, y)
            label = node["label"] if len(node["label"]) <= 28 else node["label"][:27] + "…"
            boxes.append(
                {
                    **node,
                    "x": x,
                    "y": y,
                    "w": node_width,
                    "h": row_height - 6,
                    "label": label,
                    "full": node["label"],
                    "tx": x + 6,
                    "ty": round(y + row_height / 2 + 1, 1),
                }
            )
    curves = []
    for parent, child in edges:
        if parent in placed and child in placed:
            (x1, y1), (x2, y2) = placed[parent], placed[child]
            x1, y1, y2 = x1 + node_width, y1 + (row_height - 6) / 2, y2 + (row_height - 6) / 2
            mid = (x1 + x2) / 2
            curves.append(f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}")
    return {
        "width": 20 + len(columns) * column_width,
        "height": height,
        "boxes": boxes,
        "curves": curves,
    }


def share_bars(by_category: dict, *, width: int = 300, bar: int = 18) -> list[dict]:
    """One horizontal bar per category, its length its share of the engagement value."""
    return [
        {
            "key": key,
            "share": round(100 * item["share"], 1),
            "value": item["value"],
            "y": i * (bar + 8),
            "w": round(width * item["share"], 1),
            "h": bar,
        }
        for i, (key, item) in enumerate(by_category.items())
    ]
