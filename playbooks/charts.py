"""The campaign timeline as an SVG Gantt chart: pure geometry, the same in page and PDF."""

from collections.abc import Callable
from datetime import date, timedelta

from cxmaturity.svg_text import text_width, wrap

# The activity titles: the font size of .gantt-label in charts.css, and its line height.
LABEL_FONT = 11
LABEL_LINE = 13


def _month_starts(first: date, last: date) -> list[date]:
    months, current = [], first.replace(day=1)
    while current <= last:
        months.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return months


def gantt(
    activities: list[dict],
    *,
    width: int = 720,
    label_width: int = 220,
    row_height: int = 26,
) -> dict:
    """One bar per activity ({"title", "start", "end", "channel"}), on a shared time axis
    with a tick at each month start. Bars are at least 3 px wide so a one-day activity
    still shows; a long title wraps onto more lines in a taller row, every word kept."""
    if not activities:
        return {"width": width, "height": 0, "bars": [], "ticks": [], "axis_y": 0}
    first = min(a["start"] for a in activities)
    last = max(a["end"] for a in activities)
    days = (last - first).days + 1
    plot = width - label_width - 10
    scale = plot / days

    def x_of(day: date) -> float:
        return round(label_width + (day - first).days * scale, 1)

    chars = int((label_width - 8) / text_width("x", LABEL_FONT))
    bars, top = [], 24
    for activity in activities:
        x = x_of(activity["start"])
        end = round(label_width + ((activity["end"] - first).days + 1) * scale, 1)
        title = activity["title"]
        lines = wrap(title, chars)
        first_line = top + (row_height - 8) / 2 + 4
        bars.append(
            {
                **activity,
                "x": x,
                "w": max(round(end - x, 1), 3),
                "y": top,
                "h": row_height - 8,
                "ty": first_line,
                "label": title,
                "lines": [
                    {"text": t, "y": round(first_line + n * LABEL_LINE, 1)}
                    for n, t in enumerate(lines)
                ],
                "full": title,
            }
        )
        top += max(row_height, 8 + len(lines) * LABEL_LINE)
    ticks = _gantt_ticks(first, last, x_of)
    return {"width": width, "height": top + 6, "bars": bars, "ticks": ticks, "axis_y": top}


def _gantt_ticks(first: date, last: date, x_of: Callable[[date], float]) -> list[dict]:
    """A grid line at the campaign's first day and each month start after it; a label
    only where it has room (70 px after the previous one), so labels never collide."""
    ticks, last_label = [], None
    for i, day in enumerate([first] + [m for m in _month_starts(first, last) if m > first]):
        x = x_of(day)
        show = last_label is None or x - last_label >= 70
        if show:
            last_label = x
        label = day.strftime("%-d %b %Y") if i == 0 else day.strftime("%b %Y")
        ticks.append({"x": x, "label": label, "show": show})
    return ticks
