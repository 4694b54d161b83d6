"""The starter libraries in kpis/libraries/: example themes, digital goals and KPIs that
consultants pick from (domain.md §5-7)."""

from functools import cache
from pathlib import Path

import yaml

LIBRARY_DIR = Path(__file__).resolve().parent / "libraries"
FILES = {"themes": "themes.yaml", "goals": "digital_goals.yaml", "kpis": "kpis.yaml"}


@cache
def library(name: str) -> tuple[dict, ...]:
    """The entries of one library file, read once per process (the files ship with the
    code and never change while it runs)."""
    data = yaml.safe_load((LIBRARY_DIR / FILES[name]).read_text(encoding="utf-8"))
    return tuple(data[name])


def suggestions(
    name: str, *, dimensions: list[str] | None = None, stage: int | None = None
) -> list[dict]:
    """Entries that help the given dimensions first (in their order: the results'
    priorities), then the rest; KPIs that matter only from a later stage are left out."""
    entries = [e for e in library(name) if stage is None or e.get("from_stage", 1) <= stage]
    if not dimensions:
        return entries
    rank = {key: i for i, key in enumerate(dimensions)}
    return sorted(
        entries,
        key=lambda e: min(
            (rank.get(d, len(rank)) for d in e.get("dimensions", [])), default=len(rank)
        ),
    )
