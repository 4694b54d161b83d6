"""The recency x frequency grid as an SVG heat map: pure geometry."""

from django.utils.translation import gettext as _

from cxmaturity.svg_text import text_width

# The font size of .compare-label in charts.css.
COMPARE_FONT = 17

# Light to dark blue by the cell's share of customers (six steps, never colour alone:
# every cell also prints its count).
SHADES = ["#f6f7f9", "#dbe8fd", "#b6d0fb", "#8ab4f8", "#5a8ff0", "#1f6feb"]


def rf_grid(cells: list[dict], *, cell: int = 84, margin: int = 46) -> dict:
    """Cells {"r_score", "f_score", "customers", "revenue"}: frequency left to right,
    recency top (5, most recent) to bottom (1)."""
    total = sum(c["customers"] for c in cells) or 1
    top = max((c["customers"] for c in cells), default=0) or 1
    boxes = []
    for c in cells:
        share = c["customers"] / top
        shade = SHADES[min(len(SHADES) - 1, round(share * (len(SHADES) - 1)))]
        x = margin + (c["f_score"] - 1) * cell
        y = 10 + (5 - c["r_score"]) * cell
        boxes.append(
            {
                **c,
                "x": x,
                "y": y,
                "fill": shade,
                "dark": shade in SHADES[4:],
                "percent": round(100 * c["customers"] / total, 1),
                "tx": x + cell / 2,
                "ty": y + cell / 2 - 4,
            }
        )
    return {
        "width": margin + 5 * cell + 10,
        "height": 10 + 5 * cell + 40,
        "cell": cell,
        "boxes": boxes,
        "f_labels": [{"x": margin + (f - 0.5) * cell, "label": f} for f in range(1, 6)],
        "r_labels": [{"y": 10 + (5 - r + 0.5) * cell + 4, "label": r} for r in range(1, 6)],
        "axis_y": 10 + 5 * cell + 18,
        "margin": margin,
    }


def comparison_bars(
    rows: list[dict], *, client_brand: str = "", width: int = 270, bar: int = 12
) -> list[dict]:
    """For each metric row: three bars (client, best competitor, average) scaled to the
    largest of the three, so each metric reads on its own scale. The bars start after
    the widest label, so the client's brand is printed whole."""
    labels = [client_brand, _("Best"), _("Average")]
    start = round(max(text_width(label, COMPARE_FONT) for label in labels) + 10, 1)
    # A label's baseline sits a third of its font below its bar's middle, so the text
    # centres on the bar; the chart starts `pad` down, so the first label's capitals
    # (three quarters of the font above the baseline) are not cut off.
    pad = 4
    baseline = round(bar / 2 + COMPARE_FONT * 0.35)
    charts = []
    for row in rows:
        values = [("client", row["client"]), ("best", row["best"]), ("average", row["average"])]
        top = max((abs(v) for _k, v in values if v is not None), default=0) or 1
        bars = [
            {
                "key": key,
                "label": label,
                "value": value,
                "w": 0 if value is None else round(max(value, 0) / top * (width - 40), 1),
                "y": pad + i * (bar + 6),
                "text_y": pad + i * (bar + 6) + baseline,
            }
            for i, ((key, value), label) in enumerate(zip(values, labels, strict=True))
        ]
        charts.append(
            {
                **row,
                "bars": bars,
                "height": pad + 3 * (bar + 6),
                "bar": bar,
                "bar_x": start,
                "width": round(start + width, 1),
            }
        )
    return charts
