"""Stored results: a closed assessment's scores, written when they can change."""

from django.utils import timezone

from ..models import Assessment, ResultSnapshot
from ..result_facts import answer_facts
from ..results import gather, scoring_input
from ..scoring import SCORING_VERSION, score_assessment


def results_snapshot_store(assessment: Assessment) -> ResultSnapshot | None:
    """Store a closed assessment's scores (again); an assessment that is not closed is
    scored live, so any snapshot it had goes."""
    if assessment.status != Assessment.Status.CLOSED:
        ResultSnapshot.objects.filter(assessment_id=assessment.id).delete()
        return None
    return results_snapshots_store([assessment])[assessment.id]


def results_snapshots_store(assessments: list[Assessment]) -> dict:
    """Score closed assessments from their answers and store the results (scores and the
    answer facts their results page shows), replacing any stored before; 5 queries however
    many (the four of `gather` and one write)."""
    if not assessments:
        return {}
    data = gather(assessments)
    now = timezone.now()
    snapshots = []
    for assessment in assessments:
        scores = score_assessment(scoring_input(assessment, data))
        snapshots.append(
            ResultSnapshot(
                assessment_id=assessment.id,
                scores=scores,
                details=answer_facts(assessment, data, scores),
                overall_exact=scores["overall"]["exact"] or "",
                scoring_version=SCORING_VERSION,
                computed_at=now,
            )
        )
    ResultSnapshot.objects.bulk_create(
        snapshots,
        update_conflicts=True,
        unique_fields=["assessment"],
        update_fields=["scores", "details", "overall_exact", "scoring_version", "computed_at"],
    )
    return {s.assessment_id: s for s in snapshots}
