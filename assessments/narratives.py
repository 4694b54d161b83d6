"""Stage narratives: what each of the seven stages means, as a questionnaire version tells
it (its optional `stages:` block). Pages, the API and the playbook read them from here
only, so that when texts become translatable one function changes (`narrative_text`)."""

from typing import Any

from .languages import DEFAULT_LANGUAGE, localized
from .scoring import STAGES


def narrative_text(value: Any, default: str = DEFAULT_LANGUAGE) -> str:
    """A narrative field as text to show, in the active language where the questionnaire
    translates it, else in its `default` language."""
    return localized(value, None, default)


def stage_narratives(stages: dict | None, default: str = DEFAULT_LANGUAGE) -> list[dict]:
    """All seven stages in order, each with its name, phase and narrative; a stage the
    questionnaire does not describe has empty texts, so it shows by name only. Texts are
    in the active language (`default`: the questionnaire's, for missing translations)."""
    stages = stages or {}
    rows = []
    for stage in STAGES:
        raw = stages.get(str(stage.level)) or {}
        rows.append(
            {
                "stage": stage.level,
                "name": stage.name,
                "phase": stage.phase,
                "definition": narrative_text(raw.get("definition"), default),
                "practices": [narrative_text(p, default) for p in raw.get("practices") or []],
                "signs": narrative_text(raw.get("signs"), default),
                "next": narrative_text(raw.get("next"), default),
                "next_stage": stage.level + 1 if stage.level < len(STAGES) else None,
                "next_stage_name": STAGES[stage.level].name if stage.level < len(STAGES) else None,
            }
        )
    return rows


def stage_narrative(narratives: list[dict], stage: int | None) -> dict | None:
    """One stage's narrative from `stage_narratives`; None without a stage."""
    if stage is None or not 1 <= stage <= len(narratives):
        return None
    return narratives[stage - 1]


def dimension_narrative(narratives: list[dict], stage: int | None) -> dict | None:
    """What a dimension's stage looks like and what the next one takes: the stage's
    definition and its `next` (for stage 7, how to keep raising the targets)."""
    narrative = stage_narrative(narratives, stage)
    if narrative is None:
        return None
    return {
        key: narrative[key]
        for key in ("stage", "name", "definition", "next", "next_stage", "next_stage_name")
    }


def current_and_next(narratives: list[dict], stage: int | None) -> list[dict]:
    """The narratives of a stage and of the one above it (just the stage at the top)."""
    if stage is None:
        return []
    return [n for n in narratives if n["stage"] in (stage, stage + 1) and n["definition"]]
