"""Maturity scoring: the pure code lives in `cxnumbers.scoring` (no Django, no Celery)."""

from cxnumbers.scoring import (
    DIVERGENCE,
    DONT_KNOW,
    LEVELS,
    MIN_PEERS,
    NOT_APPLICABLE,
    STAGES,
    Stage,
    respondent_dimension_score,
    score_assessment,
    stage,
)

__all__ = [
    "DIVERGENCE",
    "DONT_KNOW",
    "LEVELS",
    "MIN_PEERS",
    "NOT_APPLICABLE",
    "STAGES",
    "Stage",
    "respondent_dimension_score",
    "score_assessment",
    "stage",
]
