"""Maturity scoring, pure (no Django): ../shared/SCORING.md §1-2 is the contract.

Every page, API answer, export and PDF shows what `score_assessment` returns; nothing
else computes a score. Arithmetic is exact (`Fraction`) from input to every comparison;
only the reported numbers are rounded, half-up, at the very end.
"""

from fractions import Fraction
from math import floor, lcm
from typing import Any, NamedTuple

from .benchmark import MIN_PEERS as MIN_PEERS  # re-exported: the contract names it here
from .benchmark import PeerScores, percentile
from .rounding import exact, round_half_up


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
LEVELS = range(1, 8)
DONT_KNOW = "dont_know"
NOT_APPLICABLE = "not_applicable"
DIVERGENCE = 2
# Raised whenever a change here changes any number score_assessment returns: stored
# results of another version are computed again when next read.
SCORING_VERSION = 1


def stage(x: Fraction) -> int:
    """floor(x), clipped to 1..7."""
    return min(7, max(1, floor(x)))


def _weight(value: Any, item: str) -> Fraction:
    if value is None:
        return Fraction(1)
    if isinstance(value, bool):
        raise ValueError(f"{item}: weight must be a number > 0")
    try:
        weight = Fraction(str(value))
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{item}: weight must be a number > 0, not {value!r}") from exc
    if weight <= 0:
        raise ValueError(f"{item}: weight must be > 0, not {value!r}")
    return weight


def _answer(value: Any, item: str) -> int | str:
    if value in (DONT_KNOW, NOT_APPLICABLE):
        return value
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{item}: answer must be a level 1..7, dont_know or not_applicable")
    try:
        level = int(value)
    except ValueError as exc:
        raise ValueError(
            f"{item}: answer must be a level 1..7, dont_know or not_applicable, not {value!r}"
        ) from exc
    if level not in LEVELS or str(value).strip() != str(level):
        raise ValueError(f"{item}: answer must be a level 1..7, not {value!r}")
    return level


def _target(value: Any, item: str) -> int | None:
    if value is None:
        return None
    try:
        level = exact(value, item)
    except ValueError:
        level = Fraction(0)
    if level.denominator != 1 or int(level) not in LEVELS:
        raise ValueError(f"{item}: target must be a stage 1..7, not {value!r}")
    return int(level)


def _list(value: Any, item: str) -> list:
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise ValueError(f"{item}: must be a list")
    return list(value)


def _parse(data: dict) -> tuple[list[dict], list[dict], list[Fraction]]:
    if not isinstance(data, dict):
        raise ValueError("input: must be an object with dimensions and respondents")
    dimensions, question_keys = _parse_dimensions(data.get("dimensions"))
    respondents = _parse_respondents(data.get("respondents"), question_keys)
    return dimensions, respondents, _parse_peers(data.get("peers"))


def _parse_dimensions(raw_dimensions: Any) -> tuple[list[dict], set]:
    dimensions, question_keys = [], set()
    for i, raw in enumerate(_list(raw_dimensions, "dimensions")):
        key = raw.get("key") if isinstance(raw, dict) else None
        if not key:
            raise ValueError(f"dimensions[{i}]: needs a key")
        questions = []
        if any(d["key"] == key for d in dimensions):
            raise ValueError(f"dimension {key}: key used twice")
        for j, q in enumerate(_list(raw.get("questions"), f"dimension {key}, questions")):
            q_key = q.get("key") if isinstance(q, dict) else None
            if not q_key:
                raise ValueError(f"dimension {key}, questions[{j}]: needs a key")
            if q_key in question_keys:
                raise ValueError(f"question {q_key}: key used twice")
            question_keys.add(q_key)
            questions.append(
                {"key": q_key, "weight": _weight(q.get("weight"), f"question {q_key}")}
            )
        dimensions.append(
            {
                "key": key,
                "weight": _weight(raw.get("weight"), f"dimension {key}"),
                "target": _target(raw.get("target"), f"dimension {key}"),
                "questions": questions,
            }
        )
    return dimensions, question_keys


def _parse_respondents(raw_respondents: Any, question_keys: set) -> list[dict]:
    respondents, respondent_keys = [], set()
    for i, raw in enumerate(_list(raw_respondents, "respondents")):
        key = raw.get("key") if isinstance(raw, dict) else None
        if key is None:
            raise ValueError(f"respondents[{i}]: needs a key")
        if key in respondent_keys:
            raise ValueError(f"respondent {key}: key used twice")
        respondent_keys.add(key)
        answers = raw.get("answers") or {}
        if not isinstance(answers, dict):
            raise ValueError(f"respondent {key}: answers must map question keys to answers")
        parsed = {}
        for q_key, value in answers.items():
            if q_key not in question_keys:
                raise ValueError(f"respondent {key}: unknown question {q_key!r}")
            parsed[q_key] = _answer(value, f"respondent {key}, question {q_key}")
        respondents.append(
            {
                "key": key,
                "weight": _weight(raw.get("weight"), f"respondent {key}"),
                "answers": parsed,
            }
        )
    return respondents


def _parse_peers(raw_peers: Any) -> list[Fraction]:
    peers = []
    for i, value in enumerate(_list(raw_peers, "peers")):
        if isinstance(value, bool):
            raise ValueError(f"peers[{i}]: must be a number")
        try:
            peers.append(Fraction(str(value)))
        except (ValueError, ZeroDivisionError) as exc:
            raise ValueError(f"peers[{i}]: must be a number, not {value!r}") from exc
    return peers


def _integer_weights(dimension: dict) -> list[tuple[str, int]]:
    """The dimension's question weights over a common denominator, as whole numbers.

    S(r,d) and the half-weight rule are ratios of weights, so scaling every weight by the
    same denominator changes neither; whole numbers keep the arithmetic exact and fast.
    """
    weights = [q["weight"] for q in dimension["questions"]]
    denominator = lcm(*(w.denominator for w in weights)) if weights else 1
    return [(q["key"], int(q["weight"] * denominator)) for q in dimension["questions"]]


def respondent_dimension_score(
    dimension: dict, answers: dict, weights: list[tuple[str, int]] | None = None
) -> Fraction | None:
    """S(r,d): defined when the answered weight is > 0 and at least half the applicable."""
    applicable = answered = total = 0
    for key, weight in weights or _integer_weights(dimension):
        answer = answers.get(key, DONT_KNOW)
        if answer == NOT_APPLICABLE:
            continue
        applicable += weight
        if answer.__class__ is int:
            answered += weight
            total += weight * answer
    if answered == 0 or 2 * answered < applicable:
        return None
    return Fraction(total, answered)


def _weighted_mean(pairs: list[tuple[Fraction, Fraction]]) -> Fraction | None:
    weights = sum((w for w, _ in pairs), Fraction(0))
    return sum((w * x for w, x in pairs), Fraction(0)) / weights if pairs else None


def score_assessment(data: dict, *, respondent_rows: bool = True) -> dict:
    """Scores per respondent, dimension and overall, with spread, targets, gaps and
    priorities, as SCORING.md §2 defines them. Bad input raises ValueError naming it.

    `respondent_rows=False` leaves out the per-respondent rows (an empty list), for
    callers that only need the dimensions.
    """
    dimensions, respondents, peers = _parse(data)
    weights = {d["key"]: _integer_weights(d) for d in dimensions}
    per_respondent = {
        r["key"]: {
            d["key"]: respondent_dimension_score(d, r["answers"], weights[d["key"]])
            for d in dimensions
        }
        for r in respondents
    }
    rows = [_dimension_row(d, respondents, per_respondent) for d in dimensions]
    ranked = sorted(
        (row for row in rows if row["gap"]),  # questionnaire order breaks ties: sort is stable
        key=lambda row: row["d"]["weight"] * row["gap"],
        reverse=True,
    )
    priority = {row["d"]["key"]: rank for rank, row in enumerate(ranked, start=1)}
    overall = _weighted_mean(
        [(r["d"]["weight"], r["score"]) for r in rows if r["score"] is not None]
    )
    return {
        "overall": _overall(overall, peers),
        "dimensions": [_dimension_out(row, priority) for row in rows],
        "respondents": [
            {
                "key": r["key"],
                "dimensions": {
                    key: None if s is None else round_half_up(s)
                    for key, s in per_respondent[r["key"]].items()
                },
            }
            for r in respondents
            if respondent_rows
        ],
    }


def _dimension_row(d: dict, respondents: list[dict], per_respondent: dict) -> dict:
    """D(d) with its spread, target and gap, still exact."""
    defined = [
        (r["weight"], per_respondent[r["key"]][d["key"]])
        for r in respondents
        if per_respondent[r["key"]][d["key"]] is not None
    ]
    score = _weighted_mean(defined)
    values = [s for _w, s in defined]
    spread = max(values) - min(values) if values else None
    target = d["target"] if d["target"] is not None or score is None else min(7, stage(score) + 1)
    gap = max(Fraction(0), target - score) if score is not None else None
    return {
        "d": d,
        "score": score,
        "spread": spread,
        "count": len(defined),
        "target": target,
        "gap": gap,
    }


def overall_result(exact: str | None, peers: "list | PeerScores") -> dict:
    """score_assessment's "overall" for an overall score already computed (its "exact"),
    benchmarked against `peers` (their overall scores, or those already ranked) as
    score_assessment would: a stored result gets its percentile without scoring anyone's
    answers again."""
    score = None if exact is None else Fraction(exact)
    return _overall(score, peers if isinstance(peers, PeerScores) else _parse_peers(peers))


def _overall(score: Fraction | None, peers: "list[Fraction] | PeerScores") -> dict:
    if score is None:
        return {
            "score": None,
            "stage": None,
            "stage_name": None,
            "phase": None,
            "percentile": None,
            "peer_count": len(peers),
            "exact": None,
        }
    level = stage(score)
    return {
        "score": round_half_up(score),
        "stage": level,
        "stage_name": STAGES[level - 1].name,
        "phase": STAGES[level - 1].phase,
        "percentile": percentile(score, peers),
        "peer_count": len(peers),
        # O unrounded, as a fraction ("67/18"): what a benchmark compares, exactly.
        "exact": str(score),
    }


def _dimension_out(row: dict, priority: dict[str, int]) -> dict:
    key, score = row["d"]["key"], row["score"]
    if score is None:
        return {
            "key": key,
            "score": None,
            "stage": None,
            "stage_name": None,
            "phase": None,
            "respondents": 0,
            "spread": None,
            "divergent": False,
            "target": row["target"],
            "gap": None,
            "priority": None,
            "exact": None,
        }
    level = stage(score)
    return {
        "key": key,
        "score": round_half_up(score),
        "stage": level,
        "stage_name": STAGES[level - 1].name,
        "phase": STAGES[level - 1].phase,
        "respondents": row["count"],
        "spread": round_half_up(row["spread"]),
        "divergent": row["count"] >= 2 and row["spread"] >= DIVERGENCE,
        "target": row["target"],
        "gap": round_half_up(row["gap"]),
        "priority": priority.get(key),
        # A(d) unrounded, as a fraction: what a per-dimension benchmark compares.
        "exact": str(score),
    }
