"""Maturity scoring, pure (no Django): ../shared/SCORING.md is the contract.

The stage table lives here so that every page, API answer and PDF names stages alike.
"""

from typing import NamedTuple


class Stage(NamedTuple):
    level: int
    name: str
    phase: str


STAGES: tuple[Stage, ...] = (
    Stage(1, "Initiate", "Attract"),
    Stage(2, "Radiate", "Attract"),
    Stage(3, "Align", "Attract"),
    Stage(4, "Optimize", "Convert"),
    Stage(5, "Nurture", "Convert"),
    Stage(6, "Engage", "Advocate"),
    Stage(7, "Lifetime customers", "Advocate"),
)
