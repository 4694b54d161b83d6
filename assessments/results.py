"""Results: read an assessment's submitted answers in a fixed number of queries and let
`scoring.score_assessment` compute everything shown (pages, API, exports, PDFs); how
they are drawn is `display.py`'s.

A closed assessment's scores, and what its results show from the answers, are read from
its stored result (`result_facts.py`); an open one's are computed from its answers.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from uuid import UUID

from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from .benchmarks import assessment_benchmark, benchmark_rows, stored_current
from .languages import DEFAULT_LANGUAGE, localized, localized_levels
from .models import (
    Answer,
    Assessment,
    Dimension,
    Question,
    Respondent,
    RespondentRole,
    ResultSnapshot,
)
from .narratives import dimension_narrative, stage_narrative, stage_narratives
from .scoring import SCORING_VERSION, STAGES, overall_result, score_assessment

MIN_ROLE_GROUP = 3
MAX_NAMED_ROWS = 50


@dataclass
class Gathered:
    """Plain data for one or more assessments, from four queries."""

    dimensions: dict[UUID, list[dict]] = field(default_factory=dict)  # by version
    questions: dict[UUID, list[dict]] = field(default_factory=dict)  # by version
    respondents: dict[UUID, list[dict]] = field(default_factory=dict)  # by assessment
    answers: dict[UUID, dict[str, dict]] = field(default_factory=dict)  # by respondent


def gather(assessments: list[Assessment], *, answers: bool = True) -> Gathered:
    """Submitted respondents and their answers for these assessments; 4 queries whatever
    their number or size (drafts never count), 3 without the answers."""
    data = Gathered()
    versions = {a.version_id for a in assessments}
    for d in (
        Dimension.objects.filter(version_id__in=versions)
        .order_by("position")
        .values(
            "version_id", "key", "title", "description", "weight", "guidance",
            "translations", "version__language",
        )
    ):  # fmt: skip
        data.dimensions.setdefault(d["version_id"], []).append(
            _in_reader_language(d, ("title", "description"), "guidance")
        )
    for q in (
        Question.objects.filter(version_id__in=versions)
        .order_by("position")
        .values(
            "version_id", "key", "text", "weight", "channel", "levels", "dimension__key",
            "translations", "version__language",
        )
    ):  # fmt: skip
        data.questions.setdefault(q["version_id"], []).append(
            _in_reader_language(q, ("text",), "levels")
        )
    submitted = Q(assessment__in=assessments, submitted_at__isnull=False)
    for r in (
        Respondent.objects.filter(submitted)
        .order_by("created_at", "id")
        .values("id", "assessment_id", "name", "role", "weight", "is_consensus")
    ):
        data.respondents.setdefault(r["assessment_id"], []).append(r)
        data.answers[r["id"]] = {}
    if not answers:
        return data
    for a in Answer.objects.filter(
        respondent__assessment__in=assessments, respondent__submitted_at__isnull=False
    ).values("respondent_id", "question__key", "value", "comment", "evidence"):
        data.answers[a["respondent_id"]][a["question__key"]] = a
    return data


def _in_reader_language(row: dict, fields: tuple[str, ...], levels_field: str) -> dict:
    """A gathered dimension or question with its texts in the active language (the
    questionnaire's own language where it has no translation); keys and levels, which
    scoring reads, are untouched."""
    translations = row.pop("translations") or {}
    default = row.pop("version__language") or DEFAULT_LANGUAGE
    language = get_language() or default
    if not translations or language == default:
        return row
    for name in fields:
        if name in translations:
            row[name] = localized(translations[name], language, default)
    if levels_field in translations:
        row[levels_field] = {
            **row[levels_field],
            **localized_levels(translations[levels_field], language, default),
        }
    return row


def scoring_input(assessment: Assessment, data: Gathered, *, peers: list | None = None) -> dict:
    """The input of score_assessment (SCORING.md §2) for one gathered assessment."""
    questions = data.questions.get(assessment.version_id, [])
    return {
        "dimensions": [
            {
                "key": d["key"],
                "weight": str(d["weight"]),
                "target": (assessment.targets or {}).get(d["key"]),
                "questions": [
                    {"key": q["key"], "weight": str(q["weight"])}
                    for q in questions
                    if q["dimension__key"] == d["key"]
                ],
            }
            for d in data.dimensions.get(assessment.version_id, [])
        ],
        "respondents": [
            {
                "key": str(r["id"]),
                "weight": str(r["weight"]),
                "answers": {
                    k: _level(a["value"]) for k, a in data.answers[r["id"]].items() if a["value"]
                },
            }
            for r in data.respondents.get(assessment.id, [])
        ],
        "peers": peers or [],
    }


def _level(value: str) -> int | str:
    return int(value) if value.isdigit() else value


def stored_scores(assessments: list[Assessment]) -> dict[UUID, dict]:
    """score_assessment's output (without peers) for the closed ones of these assessments,
    from their stored results; one query, plus the scoring of any not stored yet or
    stored by another scoring version (stored then, so old data heals itself)."""
    closed = [a for a in assessments if a.status == Assessment.Status.CLOSED]
    if not closed:
        return {}
    stored = dict(
        ResultSnapshot.objects.filter(
            assessment__in=closed, scoring_version=SCORING_VERSION
        ).values_list("assessment_id", "scores")
    )
    # Results stored before dimension rows kept their exact score are stored again too.
    missing = [
        a
        for a in closed
        if a.id not in stored or not stored_current(SCORING_VERSION, stored[a.id].get("dimensions"))
    ]
    if missing:
        from .services.results import results_snapshots_store

        stored.update({pk: s.scores for pk, s in results_snapshots_store(missing).items()})
    return stored


def _scores(assessments: list[Assessment]) -> dict[UUID, dict]:
    """score_assessment's output (without peers) for each: stored for closed assessments,
    scored from the answers for the others."""
    scores = stored_scores(assessments)
    live = [a for a in assessments if a.id not in scores]
    if live:
        data = gather(live)
        scores.update({a.id: score_assessment(scoring_input(a, data)) for a in live})
    return scores


def assessment_results(assessment: Assessment) -> dict:
    """Everything the results page, the API and the exports show, in a fixed number of
    queries: the scores, plus titles, stage names, channels, heat map, findings and what
    blocks each dimension's next stage. A closed assessment's are read from its stored
    results (no answer is read); an open one's are computed from the answers."""
    closed = assessment.status == Assessment.Status.CLOSED
    data = gather([assessment], answers=not closed)
    respondents = data.respondents.get(assessment.id, [])
    from .result_facts import answer_facts, stored_facts  # which imports this module

    if closed:
        scores, facts = stored_facts(assessment, respondents)
    else:
        scores = score_assessment(scoring_input(assessment, data))
        facts = answer_facts(assessment, data, scores)
    benchmark, peers = assessment_benchmark(assessment, scores)
    scores["overall"] = overall_result(scores["overall"]["exact"], peers)
    benchmark_rows(scores["dimensions"], benchmark)
    dimensions = {d["key"]: d for d in data.dimensions.get(assessment.version_id, [])}
    questions = data.questions.get(assessment.version_id, [])
    labels = respondent_labels(assessment, respondents)
    who = [labels[r["id"]] for r in respondents]
    narratives = stage_narratives(assessment.version.stages, assessment.version.language)
    for row in scores["dimensions"]:
        meta = dimensions[row["key"]]
        row["title"] = meta["title"]
        row["weight"] = float(meta["weight"])
        row["target_stage_name"] = STAGES[row["target"] - 1].name if row["target"] else None
        row["blockers"] = _blockers(row, meta, questions, facts["question_scores"])
        row["stage_narrative"] = dimension_narrative(narratives, row["stage"])
        row["spread_questions"] = [
            {**_without(q, "values"), "answers": _who_answered(assessment, who, q["values"])}
            for q in facts["spread"].get(row["key"], [])
        ]
    named_rows = scores["respondents"]
    if assessment.anonymity == Assessment.Anonymity.ROLES:
        scores["respondents"] = []  # rows keyed by respondent could be traced to names
    return {
        **scores,
        "assessment": {
            "id": str(assessment.id),
            "title": assessment.title,
            "status": assessment.status,
            "anonymity": assessment.anonymity,
        },
        "benchmark": benchmark,
        "stage_narratives": narratives,
        "stage_narrative": stage_narrative(narratives, scores["overall"]["stage"]),
        "submitted": len(respondents),
        "channels": [{**c, "channel": c["key"]} for c in facts["channels"]],
        "heatmap": _heatmap(assessment, respondents, named_rows, facts["role_groups"], labels),
        "findings": _findings(scores["dimensions"]),
        "comments": _comment_rows(assessment, facts["comments"], questions, dimensions, who),
    }


def _without(row: dict, key: str) -> dict:
    return {k: v for k, v in row.items() if k != key}


def _comment_rows(
    assessment: Assessment, comments: list, questions: list, dimensions: dict, who: list[str]
) -> list[dict]:
    """The stored comments with their question, dimension and who wrote each."""
    texts = {q["key"]: q for q in questions}
    return [
        {
            "key": c["key"],
            "text": texts[c["key"]]["text"],
            "dimension": texts[c["key"]]["dimension__key"],
            "notes": _anonymous(
                assessment,
                [{"who": who[n["respondent"]], **_without(n, "respondent")} for n in c["notes"]],
            ),
            "dimension_title": dimensions[texts[c["key"]]["dimension__key"]]["title"],
        }
        for c in comments
    ]


def respondent_labels(assessment: Assessment, respondents: list[dict]) -> dict[UUID, str]:
    """How each respondent is shown next to an answer or comment.

    Named: name and role. Roles only: the role, where at least three share it; else
    "Other", where at least three end up there; else no label at all that could single
    anyone out.
    """
    if assessment.anonymity == Assessment.Anonymity.NAMED:
        return {r["id"]: f"{r['name']} ({RespondentRole(r['role']).label})" for r in respondents}
    sizes: dict[str, int] = defaultdict(int)
    for r in respondents:
        sizes[r["role"]] += 1
    others = sum(n for n in sizes.values() if n < MIN_ROLE_GROUP)
    labels = {}
    for r in respondents:
        if sizes[r["role"]] >= MIN_ROLE_GROUP:
            labels[r["id"]] = str(RespondentRole(r["role"]).label)
        elif others >= MIN_ROLE_GROUP:
            labels[r["id"]] = str(RespondentRole.OTHER.label)
        else:
            labels[r["id"]] = _("A respondent")
    return labels


def _anonymous(assessment: Assessment, rows: list[dict]) -> list[dict]:
    # Roles only: no order that could be matched against the list of respondents.
    if assessment.anonymity == Assessment.Anonymity.ROLES:
        return sorted(rows, key=lambda row: tuple(str(v) for v in row.values()))
    return rows


def _heatmap(
    assessment: Assessment,
    respondents: list[dict],
    scored: list[dict],
    role_groups: list[dict],
    labels: dict[UUID, str],
) -> list[dict]:
    """Rows of dimension scores: one a respondent, or one a role group in roles-only mode
    (and past MAX_NAMED_ROWS respondents, where a row each would not be read)."""
    if assessment.anonymity == Assessment.Anonymity.NAMED and len(respondents) <= MAX_NAMED_ROWS:
        by_key = {str(k): v for k, v in labels.items()}
        return [{"label": by_key[row["key"]], "scores": row["dimensions"]} for row in scored]
    return [
        {
            "label": f"{RespondentRole(g['role']).label} ({g['size']})",
            "scores": g["scores"],
        }
        for g in role_groups
    ]


def _blockers(row: dict, meta: dict, questions: list, question_scores: dict) -> dict | None:
    """The questions answered below the next stage's level, with the guidance to reach it."""
    if row["stage"] is None or row["stage"] >= 7:
        return None
    next_stage = row["stage"] + 1
    below = [
        {"key": q["key"], "text": q["text"], "score": question_scores[q["key"]]["score"]}
        for q in questions
        if q["dimension__key"] == row["key"]
        and question_scores.get(q["key"], {}).get("score") is not None
        and question_scores[q["key"]]["score"] < next_stage
    ]
    return {
        "stage": next_stage,
        "stage_name": STAGES[next_stage - 1].name,
        "guidance": (meta["guidance"] or {}).get(str(next_stage), ""),
        "questions": sorted(below, key=lambda q: q["score"]),
    }


def _who_answered(assessment: Assessment, who: list[str], values: list[str]) -> list[dict]:
    """Who gave which answer; past MAX_NAMED_ROWS, how many people gave each."""
    if len(who) <= MAX_NAMED_ROWS:
        return _anonymous(
            assessment, [{"who": w, "value": v} for w, v in zip(who, values, strict=True)]
        )
    return [
        {"who": _("%(n)d people") % {"n": values.count(v)}, "value": v} for v in sorted(set(values))
    ]


def _findings(dimensions: list[dict]) -> dict:
    scored = [d for d in dimensions if d["score"] is not None]
    ordered = sorted(scored, key=lambda d: d["score"])
    return {
        "strongest": [d["key"] for d in ordered[::-1][:2]],
        "weakest": [d["key"] for d in ordered[:2]],
        "divergent": [d["key"] for d in dimensions if d["divergent"]],
    }


def overall_scores(assessments: list[Assessment]) -> dict[UUID, dict]:
    """The overall result of each assessment, for lists and trends: closed ones from their
    stored results in one query (only the overall column is read), open ones scored from
    their answers."""
    if not assessments:
        return {}
    closed = [a for a in assessments if a.status == Assessment.Status.CLOSED]
    exacts = dict(
        ResultSnapshot.objects.filter(
            assessment__in=closed, scoring_version=SCORING_VERSION
        ).values_list("assessment_id", "overall_exact")
        if closed
        else []
    )
    missing = [a for a in closed if a.id not in exacts]
    if missing:
        from .services.results import results_snapshots_store

        stored = results_snapshots_store(missing)
        exacts.update({pk: s.overall_exact for pk, s in stored.items()})
    result = {pk: overall_result(exact or None, []) for pk, exact in exacts.items()}
    live = [a for a in assessments if a.id not in result]
    if live:
        data = gather(live)
        result.update(
            {
                a.id: score_assessment(scoring_input(a, data), respondent_rows=False)["overall"]
                for a in live
            }
        )
    return result


def assessment_compare(current: Assessment) -> dict | None:
    """What moved since the previous assessment: per dimension and overall, with the
    roadmap actions done in between; None without a previous assessment."""
    previous = current.previous
    if previous is None:
        return None
    scores = _scores([previous, current])
    before, after = scores[previous.id], scores[current.id]
    titles = dict(
        Dimension.objects.filter(version_id=current.version_id).values_list("key", "title")
    )
    titles.update(
        Dimension.objects.filter(version_id=previous.version_id).values_list("key", "title")
    )
    old = {d["key"]: d for d in before["dimensions"]}

    def delta(a: float | None, b: float | None) -> float | None:
        # The change between the two numbers shown, in decimal: no float noise.
        return None if a is None or b is None else float(Decimal(str(b)) - Decimal(str(a)))

    rows = []
    for d in after["dimensions"]:
        was = old.get(d["key"], {})
        rows.append(
            {
                "key": d["key"],
                "title": titles.get(d["key"], d["key"]),
                "before": was.get("score"),
                "after": d["score"],
                "before_stage": was.get("stage"),
                "after_stage": d["stage"],
                "change": delta(was.get("score"), d["score"]),
                "stage_change": delta(was.get("stage"), d["stage"]),
            }
        )
    done = previous.actions.filter(status="done").order_by("done_at")
    return {
        "previous": {"id": str(previous.id), "title": previous.title},
        "current": {"id": str(current.id), "title": current.title},
        "overall": {
            "before": before["overall"],
            "after": after["overall"],
            "change": delta(before["overall"]["score"], after["overall"]["score"]),
        },
        "dimensions": rows,
        "actions_done": [
            {
                "title": a.title,
                "dimension_key": a.dimension_key,
                "owner_name": a.owner_name,
                "done_at": a.done_at,
            }
            for a in done
        ],
    }
