"""Chart geometry, pure: the page, the PDF and the export draw the same SVG from these."""

from math import cos, pi, sin

from cxmaturity.svg_text import text_width, wrap

RING_LEVELS = range(1, 8)


def _point(cx: float, cy: float, radius: float, index: int, count: int) -> tuple[float, float]:
    angle = -pi / 2 + 2 * pi * index / count  # the first axis points up
    return round(cx + radius * cos(angle), 1), round(cy + radius * sin(angle), 1)


# The radar's labels: the font size of .radar-label in charts.css, and its line height.
LABEL_FONT = 13
LABEL_LINE = 15
LABEL_CHARS = 18


def _label_baselines(count: int, anchor: str, ly: float, *, above: bool) -> list[float]:
    """Where a radar label's lines sit: above the top axis it grows upwards, away from
    the rings; below the bottom one it hangs down; at the sides it centres on the axis."""
    if anchor == "middle" and above:
        first = ly - (count - 1) * LABEL_LINE
    elif anchor == "middle":
        first = ly + LABEL_FONT
    else:
        first = ly + 4 - (count - 1) * LABEL_LINE / 2
    return [round(first + n * LABEL_LINE, 1) for n in range(count)]


def radar(labels: list[str], series: dict[str, list[float | None]], *, size: int = 440) -> dict:
    """Axes, rings (stages 1..7) and one polygon per series, scaled to a square of `size`.

    A missing value sits at the centre, so a polygon never claims a score nobody gave.
    Each label is wrapped onto lines, all its words kept, and the view box grows to hold
    them, so no label is cut off at the chart's edge.
    """
    count = max(len(labels), 3)
    cx = cy = size / 2
    outer = size / 2 - 105  # room for the labels
    scale = outer / 7

    def polygon(values: list[float | None]) -> str:
        points = [_point(cx, cy, (v or 0) * scale, i, count) for i, v in enumerate(values)]
        return " ".join(f"{x},{y}" for x, y in points)

    # The view box holds the rings and every label line, and nothing more.
    left, top, right, bottom = cx - outer, cy - outer, cx + outer, cy + outer
    axes = []
    for i, label in enumerate(labels):
        x, y = _point(cx, cy, outer, i, count)
        lx, ly = _point(cx, cy, outer + 14, i, count)
        anchor = "middle" if abs(lx - cx) < 5 else ("start" if lx > cx else "end")
        lines = wrap(label, LABEL_CHARS)
        baselines = _label_baselines(len(lines), anchor, ly, above=ly < cy)
        widest = max(text_width(line, LABEL_FONT) for line in lines)
        start = {"start": lx, "end": lx - widest, "middle": lx - widest / 2}[anchor]
        left, right = min(left, start), max(right, start + widest)
        top = min(top, baselines[0] - LABEL_FONT)
        bottom = max(bottom, baselines[-1] + LABEL_FONT * 0.3)
        axes.append(
            {
                "x": x,
                "y": y,
                "label": label,
                "lx": lx,
                "ly": baselines[0],
                "anchor": anchor,
                "lines": [{"text": t, "y": b} for t, b in zip(lines, baselines, strict=True)],
            }
        )
    rings = [{"level": level, "points": polygon([level] * count)} for level in RING_LEVELS]
    left, top = round(left - 4, 1), round(top - 4, 1)
    width, height = round(right + 4 - left, 1), round(bottom + 4 - top, 1)
    return {
        "size": size,
        "view_box": f"{left} {top} {width} {height}",
        "width": width,
        "height": height,
        "cx": cx,
        "cy": cy,
        "axes": axes,
        "rings": rings,
        "series": {name: polygon(values) for name, values in series.items()},
    }


def radar_band(chart: dict, low: list[float], high: list[float]) -> str:
    """The band between two series on a radar drawn by `radar` (same centre and scale): a
    path of the high polygon then the low one, a ring when filled with fill-rule
    evenodd."""
    count = max(len(low), 3)
    scale = (chart["size"] / 2 - 105) / 7  # radar's: room for the labels, seven rings

    def polygon(values: list[float]) -> str:
        points = [
            _point(chart["cx"], chart["cy"], v * scale, i, count) for i, v in enumerate(values)
        ]
        return " ".join(f"{x},{y}" for x, y in points)

    return f"M{polygon(high)}Z M{polygon(low)}Z"


def heat_class(score: float | None) -> str:
    """A CSS class per stage band, so colour follows the stage, not a made-up scale."""
    if score is None:
        return "heat-none"
    return f"heat-{min(7, max(1, int(score)))}"


def trend(
    labels: list[str], values: list[float | None], *, width: int = 560, height: int = 180
) -> dict:
    """A line of scores (1..7) over assessments, oldest left; gaps where nothing scored."""
    left, right, top, bottom = 40, 20, 15, 35
    inner_w, inner_h = width - left - right, height - top - bottom
    step = inner_w / max(len(values) - 1, 1)

    def y(score: float) -> float:
        return round(top + inner_h * (7 - score) / 6, 1)

    points = [
        {"x": round(left + i * step, 1), "y": y(v), "value": v, "label": labels[i]}
        for i, v in enumerate(values)
        if v is not None
    ]
    return {
        "width": width,
        "height": height,
        "line": " ".join(f"{p['x']},{p['y']}" for p in points),
        "points": points,
        "grid": [{"level": level, "y": y(level)} for level in range(1, 8)],
        "left": left,
        "right": width - right,
        "label_y": height - 10,
    }
