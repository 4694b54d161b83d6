"""Display shaping shared by the pages, the API and the PDFs: what the results look like
once drawn (radar, heat map, stage ladder, channel names, findings by title) and the
results page's own choices. Numbers come from `results.py`; nothing here computes one."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .benchmarks import BENCHMARK_FILTER_CHOICES
from .charts import heat_class, radar, radar_band
from .models import Channel
from .narratives import current_and_next
from .results import MIN_ROLE_GROUP
from .scoring import STAGES

# A level text longer than this is a description, not a title one can scan.
LEVEL_TITLE_MAX = 40

# cxnumbers is plain Python without Django, and results keep the English names (they are
# stored in snapshots and served by the API), so the names are translated where shown.
_STAGE_AND_PHASE_NAMES = {
    "Initiate": gettext_lazy("Initiate"),
    "Radiate": gettext_lazy("Radiate"),
    "Align": gettext_lazy("Align"),
    "Optimize": gettext_lazy("Optimize"),
    "Nurture": gettext_lazy("Nurture"),
    "Engage": gettext_lazy("Engage"),
    "Lifetime customers": gettext_lazy("Lifetime customers"),
    "Attract": gettext_lazy("Attract"),
    "Convert": gettext_lazy("Convert"),
    "Advocate": gettext_lazy("Advocate"),
}


def stage_label(name: str | None) -> str | None:
    """A stage's or phase's name in the reader's language; other names pass unchanged."""
    if name is None:
        return None
    return str(_STAGE_AND_PHASE_NAMES.get(name, name))


def stage_ladder(current: int | None) -> list[dict]:
    """The seven stages in order, named in the reader's language, `current` marked."""
    return [
        {
            "level": s.level,
            "name": stage_label(s.name),
            "phase": s.phase,
            "current": current == s.level,
        }
        for s in STAGES
    ]


def results_display(results: dict) -> dict:
    """What the results page and the playbook draw: radar, heat map, ladder, channels
    and findings by title."""
    dimensions = results["dimensions"]
    titles = {d["key"]: d["title"] for d in dimensions}
    chart = radar(
        [d["title"] for d in dimensions],
        {"score": [d["score"] for d in dimensions], "target": [d["target"] for d in dimensions]},
    )
    bands = [(d.get("benchmark") or {}).get("band") for d in dimensions]
    # Drawn only where every axis has one: a band with holes would read as a dip.
    chart["band"] = (
        radar_band(chart, [b["p25"] for b in bands], [b["p75"] for b in bands])
        if bands and all(bands)
        else ""
    )
    heatmap = [
        {
            "label": row["label"],
            "cells": [
                {
                    "score": row["scores"].get(d["key"]),
                    "class": heat_class(row["scores"].get(d["key"])),
                }
                for d in dimensions
            ],
        }
        for row in results["heatmap"]
    ]
    overall = results["overall"]
    channel_names = dict(Channel.choices)
    channels = [
        {
            **c,
            "name": channel_names.get(c["channel"], c["channel"]),
            "class": heat_class(c["score"]),
        }
        for c in results["channels"]
    ]
    findings = {kind: [titles[k] for k in keys] for kind, keys in results["findings"].items()}
    return {
        "results": results,
        "radar": chart,
        "heatmap": heatmap,
        # Answers exist but no row may be shown without singling someone out: say so,
        # rather than leave readers wondering where the heat map went.
        "heatmap_hidden": bool(results["submitted"]) and not heatmap,
        "heatmap_group_minimum": MIN_ROLE_GROUP,
        "ladder": stage_ladder(overall["stage"]),
        # The overall stage's narrative and the next one's, where the questionnaire has them.
        "stage_story": current_and_next(results["stage_narratives"], overall["stage"]),
        "channels": channels,
        "findings": findings,
        "titles": titles,
    }


def results_page(results: dict) -> dict:
    """The results page's context: the drawing, plus the targets one may set and the
    exports one may download."""
    return {
        **results_display(results),
        "target_choices": target_choices(),
        "benchmark_filter_choices": BENCHMARK_FILTER_CHOICES,
        "export_kinds": [
            ("answers", _("Answers")),
            ("respondents", _("Scores by respondent")),
            ("dimensions", _("Dimension results")),
            ("roadmap", _("Roadmap")),
        ],
    }


def target_choices() -> list[tuple[int, str]]:
    return [(s.level, f"{s.level} · {stage_label(s.name)}") for s in STAGES]


def level_choices(levels: dict[str, str]) -> list[dict[str, str]]:
    """A question's levels as the respondent's scale shows them: a title short enough to
    scan and, when the questionnaire's level texts are long, the text as the description
    shown for the chosen or focused level only. Long texts are titled by their stage."""
    long = any(len(text) > LEVEL_TITLE_MAX for text in levels.values())
    return [
        {
            "value": value,
            "title": stage_label(STAGES[int(value) - 1].name) if long else text,
            "description": text if long else "",
        }
        for value, text in sorted(levels.items(), key=lambda item: int(item[0]))
    ]


def choice_label(levels: dict[str, str], value: str) -> str:
    """An answer by the title the scale showed for it ("4 · Optimize"), or the choice made."""
    for choice in level_choices(levels):
        if choice["value"] == value:
            return f"{value} · {choice['title']}"
    return {"dont_know": _("Don't know"), "not_applicable": _("Not applicable")}.get(value, "—")


def respondent_summary(pages: list) -> dict:
    """The thank-you page's summary of a respondent's pages (`DimensionPage`s): each
    section's answers by their scale title, and the comments and evidence they wrote."""
    sections = []
    comments = []
    for page in pages:
        answers = []
        for item in page.items:
            row = {
                "question": item.question.text,
                "label": choice_label(item.question.levels, item.value),
                "comment": item.answer.comment if item.answer else "",
                "evidence": item.answer.evidence if item.answer else "",
            }
            answers.append(row)
            if row["comment"] or row["evidence"]:
                comments.append({**row, "section": page.dimension.title})
        sections.append({"title": page.dimension.title, "answers": answers})
    return {"sections": sections, "comments": comments}
