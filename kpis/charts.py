"""Small SVG geometry for KPI pages, pure."""

from cxmaturity.svg_text import text_width, wrap


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


# The map's node text: the font size of .map-node text in charts.css, and its line height.
NODE_FONT = 11
NODE_LINE = 13


def alignment_map(
    columns: list[list[dict]],
    edges: list[tuple],
    *,
    column_width: int = 210,
    row_height: int = 26,
    node_width: int = 180,
) -> dict:
    """Boxes in columns (themes → … → KPIs, left to right), one row each so nothing overlaps,
    and a curve for each parent → child link. Each node: {"id", "label", "orphan"}. A long
    label wraps onto more lines in a taller box, every word kept."""
    chars = int((node_width - 12) / text_width("x", NODE_FONT))
    gap = row_height - (NODE_LINE + 7)  # between boxes, as between one-line boxes
    wrapped = [[wrap(node["label"], chars) for node in nodes] for nodes in columns]
    sizes = [[len(lines) * NODE_LINE + 7 for lines in column] for column in wrapped]
    height = max((sum(h + gap for h in column) for column in sizes), default=0)
    height = max(height, row_height) + 40
    placed, boxes = {}, []
    for col, nodes in enumerate(columns):
        # Spread a short column over the height, so its links stay readable.
        spare = (height - 40 - sum(h + gap for h in sizes[col])) / max(len(nodes), 1)
        y = 30.0
        for node, lines, h in zip(nodes, wrapped[col], sizes[col], strict=True):
            x = 10 + col * column_width
            placed[node["id"]] = (x, round(y, 1), h)
            boxes.append(
                {
                    **node,
                    "x": x,
                    "y": round(y, 1),
                    "w": node_width,
                    "h": h,
                    "label": node["label"],
                    "full": node["label"],
                    "tx": x + 6,
                    "lines": [
                        {"text": t, "y": round(y + 4 + NODE_FONT + n * NODE_LINE, 1)}
                        for n, t in enumerate(lines)
                    ],
                }
            )
            y += h + gap + spare
    curves = []
    for parent, child in edges:
        if parent in placed and child in placed:
            (x1, y1, h1), (x2, y2, h2) = placed[parent], placed[child]
            x1, y1, y2 = x1 + node_width, round(y1 + h1 / 2, 1), round(y2 + h2 / 2, 1)
            mid = (x1 + x2) / 2
            curves.append(f"M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}")
    return {
        "width": 20 + len(columns) * column_width,
        "height": round(height, 1),
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
