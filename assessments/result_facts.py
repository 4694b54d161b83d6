"""Answer facts: what a results page shows from the answers besides the scores (channel,
question and role-group scores, the widest-spread answers, comments), free of names and
labels so that they can be stored with a closed assessment's scores and labelled when
shown, under the names and anonymity of that moment.

Channel scores, question scores and role-group rows are score_assessment run on the same
answers grouped another way, so no number anywhere is computed twice.
"""

from collections import defaultdict

from .benchmarks import stored_current
from .models import Assessment, RespondentRole, ResultSnapshot
from .results import MIN_ROLE_GROUP, SCORING_VERSION, Gathered, scoring_input
from .scoring import score_assessment


def _regrouped(base: dict, groups: dict[str, list[str]]) -> dict:
    """The same answers with each group of question keys scored as one 'dimension'."""
    keys = {q for questions in groups.values() for q in questions}
    weights = {q["key"]: q["weight"] for d in base["dimensions"] for q in d["questions"]}
    return {
        "dimensions": [
            {"key": key, "questions": [{"key": q, "weight": weights[q]} for q in questions]}
            for key, questions in groups.items()
            if questions
        ],
        "respondents": [
            {**r, "answers": {k: v for k, v in r["answers"].items() if k in keys}}
            for r in base["respondents"]
        ],
    }


def answer_facts(assessment: Assessment, data: Gathered, scores: dict) -> dict:
    """What the results show from the answers besides `scores`, with no name or label in
    it (labels follow the anonymity and names of the moment): channel and question scores,
    role-group scores, the widest-spread questions of divergent dimensions with every
    answer given, and the comments. Respondents are named by position in `respondents`.
    Stored with a closed assessment's scores, so its results read no answer."""
    base = scoring_input(assessment, data)
    questions = data.questions.get(assessment.version_id, [])
    respondents = data.respondents.get(assessment.id, [])
    answers = [data.answers[r["id"]] for r in respondents]
    by_channel: dict[str, list[str]] = defaultdict(list)
    for q in questions:
        if q["channel"]:
            by_channel[q["channel"]].append(q["key"])
    channels = score_assessment(_regrouped(base, by_channel), respondent_rows=False)
    question_scores = {
        d["key"]: d
        for d in score_assessment(
            _regrouped(base, {q["key"]: [q["key"]] for q in questions}), respondent_rows=False
        )["dimensions"]
    }
    return {
        "respondents": [str(r["id"]) for r in respondents],
        "channels": channels["dimensions"],
        "question_scores": question_scores,
        "role_groups": _role_groups(base, respondents),
        "spread": {
            row["key"]: _widest(row["key"], questions, question_scores, answers)
            for row in scores["dimensions"]
            if row["divergent"]
        },
        "comments": _comments(questions, answers),
    }


def stored_facts(assessment: Assessment, respondents: list[dict]) -> tuple[dict, dict]:
    """A closed assessment's scores and answer facts, from its stored results; stored again
    first when missing, by another scoring version, or of other respondents than these."""
    snapshot = (
        ResultSnapshot.objects.filter(assessment=assessment, scoring_version=SCORING_VERSION)
        .values("scores", "details")
        .first()
    )
    ids = [str(r["id"]) for r in respondents]
    if (
        snapshot is None
        or snapshot["details"].get("respondents") != ids
        or not stored_current(SCORING_VERSION, snapshot["scores"].get("dimensions"))
    ):
        from .services.results import results_snapshots_store

        stored = results_snapshots_store([assessment])[assessment.id]
        snapshot = {"scores": stored.scores, "details": stored.details}
    return snapshot["scores"], snapshot["details"]


def _role_groups(base: dict, respondents: list[dict]) -> list[dict]:
    """Dimension scores of each role group, where a group of fewer than three joins
    "Other" so nobody is singled out (and even merged, too few are left out)."""
    groups: dict[str, list[str]] = defaultdict(list)
    for r in respondents:
        groups[r["role"]].append(str(r["id"]))
    merged: dict[str, list[str]] = defaultdict(list)
    for role, members in groups.items():
        merged[role if len(members) >= MIN_ROLE_GROUP else RespondentRole.OTHER].extend(members)
    rows = []
    for role, members in merged.items():
        if len(members) < MIN_ROLE_GROUP:
            continue
        keys = set(members)
        subset = {
            **base,
            "peers": [],
            "respondents": [r for r in base["respondents"] if r["key"] in keys],
        }
        group = score_assessment(subset, respondent_rows=False)["dimensions"]
        rows.append(
            {
                "role": str(role),
                "size": len(members),
                "scores": {d["key"]: d["score"] for d in group},
            }
        )
    return rows


def _widest(key: str, questions: list, question_scores: dict, answers: list[dict]) -> list[dict]:
    """For a divergent dimension: its questions with the widest spread, and every answer
    given to them, in respondent order."""
    rows = []
    for q in questions:
        score = question_scores.get(q["key"])
        if q["dimension__key"] != key or not score or score["score"] is None:
            continue
        values = [a.get(q["key"], {}).get("value") or "dont_know" for a in answers]
        rows.append(
            {"key": q["key"], "text": q["text"], "spread": score["spread"], "values": values}
        )
    return sorted(rows, key=lambda r: -r["spread"])[:3]


def _comments(questions: list, answers: list[dict]) -> list[dict]:
    """Comments and evidence by question, each note naming its respondent by position."""
    grouped = []
    for q in questions:
        notes = [
            {
                "respondent": n,
                "comment": a.get("comment", ""),
                "evidence": a.get("evidence", ""),
            }
            for n, given in enumerate(answers)
            if (a := given.get(q["key"])) and (a["comment"] or a["evidence"])
        ]
        if notes:
            grouped.append({"key": q["key"], "notes": notes})
    return grouped
