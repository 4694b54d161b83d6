"""The campaign timeline as an SVG Gantt chart: pure geometry, the same in page and PDF."""

from datetime import date, timedelta


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
    still shows; labels over 32 characters are shortened (the full title is kept)."""
    if not activities:
        return {"width": width, "height": 0, "bars": [], "ticks": [], "axis_y": 0}
    first = min(a["start"] for a in activities)
    last = max(a["end"] for a in activities)
    days = (last - first).days + 1
    plot = width - label_width - 10
    scale = plot / days

    def x_of(day: date) -> float:
        return round(label_width + (day - first).days * scale, 1)

    bars = []
    for row, activity in enumerate(activities):
        x = x_of(activity["start"])
        end = round(label_width + ((activity["end"] - first).days + 1) * scale, 1)
        title = activity["title"]
        bars.append(
            {
                **activity,
                "x": x,
                "w": max(round(end - x, 1), 3),
                "y": 24 + row * row_height,
                "h": row_height - 8,
                "ty": 24 + row * row_height + (row_height - 8) / 2 + 4,
                "label": title if len(title) <= 32 else title[:31] + "…",
                "full": title,
            }
        )
    # A grid line at the campaign's first day and each month start after it; a label only
    # where it has room (70 px after the previous one), so labels never collide.
    ticks, last_label = [], None
    for i, day in enumerate([first] + [m for m in _month_starts(first, last) if m > first]):
        x = x_of(day)
        show = last_label is None or x - last_label >= 70
        if show:
            last_label = x
        label = day.strftime("%-d %b %Y") if i == 0 else day.strftime("%b %Y")
        ticks.append({"x": x, "label": label, "show": show})
    return {
        "width": width,
        "height": 24 + len(activities) * row_height + 6,
        "bars": bars,
        "ticks": ticks,
        "axis_y": 24 + len(activities) * row_height,
    }
