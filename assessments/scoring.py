"""Maturity scoring: the pure code lives in `cxnumbers.scoring` (no Django, no Celery)."""

from cxnumbers.scoring import (
    DIVERGENCE,
    DONT_KNOW,
    LEVELS,
    MIN_PEERS,
    NOT_APPLICABLE,
    SCORING_VERSION,
    STAGES,
    Stage,
    overall_result,
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
    "SCORING_VERSION",
    "STAGES",
    "Stage",
    "overall_result",
    "respondent_dimension_score",
    "score_assessment",
    "stage",
]
