"""SCORING.md §1-2, to the letter: the worked example, edge cases and properties."""

import copy
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.scoring import score_assessment, stage
from cxmaturity.numbers import round_half_up

WORKED = {
    "dimensions": [
        {
            "key": "strategy",
            "weight": 2,
            "target": None,
            "questions": [
                {"key": "q1", "weight": 1},
                {"key": "q2", "weight": 1},
                {"key": "q3", "weight": 2},
            ],
        },
        {
            "key": "testing",
            "weight": 1,
            "questions": [{"key": "q4", "weight": 1}, {"key": "q5", "weight": 1}],
        },
    ],
    "respondents": [
        {
            "key": "A",
            "weight": 1,
            "answers": {"q1": 3, "q2": 2, "q3": 4, "q4": 1, "q5": "dont_know"},
        },
        {"key": "B", "weight": 2, "answers": {"q1": 5, "q2": 4, "q3": 5, "q4": 3, "q5": 4}},
    ],
}


def test_worked_example():
    result = score_assessment(WORKED)
    assert result["overall"] == {
        "score": 3.72,
        "stage": 3,
        "stage_name": "Align",
        "phase": "Attract",
        "percentile": None,
        "peer_count": 0,
        "exact": "67/18",
    }
    strategy, testing = result["dimensions"]
    assert strategy == {
        "key": "strategy",
        "score": 4.25,
        "stage": 4,
        "stage_name": "Optimize",
        "phase": "Convert",
        "respondents": 2,
        "spread": 1.5,
        "divergent": False,
        "target": 5,
        "gap": 0.75,
        "priority": 1,
        "exact": "17/4",
    }
    assert testing["score"] == 2.67
    assert testing["exact"] == "8/3"
    assert (testing["stage"], testing["stage_name"]) == (2, "Radiate")
    assert (testing["target"], testing["gap"], testing["priority"]) == (3, 0.33, 2)
    assert (testing["spread"], testing["divergent"]) == (2.5, True)
    assert result["respondents"] == [
        {"key": "A", "dimensions": {"strategy": 3.25, "testing": 1.0}},
        {"key": "B", "dimensions": {"strategy": 4.75, "testing": 3.5}},
    ]


def test_weights_as_decimal_strings_and_a_missing_answer_is_dont_know():
    data = copy.deepcopy(WORKED)
    data["dimensions"][0]["weight"] = "2.0"
    del data["respondents"][0]["answers"]["q5"]
    assert score_assessment(data) == score_assessment(WORKED)


def test_respondent_left_out_when_less_than_half_the_weight_is_answered():
    data = {
        "dimensions": [{"key": "d", "questions": [{"key": "a"}, {"key": "b"}, {"key": "c"}]}],
        "respondents": [{"key": "r", "answers": {"a": 6, "b": "dont_know", "c": "dont_know"}}],
    }
    result = score_assessment(data)
    assert result["dimensions"][0]["score"] is None
    assert result["dimensions"][0]["respondents"] == 0
    assert result["overall"]["score"] is None
    assert result["respondents"][0]["dimensions"]["d"] is None
    # Not applicable shrinks what counts: now 1 of 2 applicable is answered, exactly half.
    data["respondents"][0]["answers"]["c"] = "not_applicable"
    assert score_assessment(data)["dimensions"][0]["score"] == 6.0


def test_explicit_target_zero_gap_has_no_priority_and_stage_is_clipped():
    data = {
        "dimensions": [
            {"key": "d", "target": 2, "questions": [{"key": "a"}]},
            {"key": "e", "questions": [{"key": "b"}]},
        ],
        "respondents": [{"key": "r", "answers": {"a": 7, "b": 7}}],
    }
    d, e = score_assessment(data)["dimensions"]
    assert (d["target"], d["gap"], d["priority"], d["stage"]) == (2, 0.0, None, 7)
    assert (e["target"], e["gap"], e["priority"]) == (7, 0.0, None)


def test_priority_ties_keep_questionnaire_order():
    data = {
        "dimensions": [{"key": k, "questions": [{"key": f"q{k}"}]} for k in "xyz"],
        "respondents": [{"key": "r", "answers": {"qx": 3, "qy": 2, "qz": 3}}],
    }
    result = {d["key"]: d["priority"] for d in score_assessment(data)["dimensions"]}
    assert result == {"x": 1, "y": 2, "z": 3}


def test_percentile_only_from_five_peers():
    data = copy.deepcopy(WORKED)
    data["peers"] = [3.1, 2.4, 4.0, 2.2]
    assert score_assessment(data)["overall"]["percentile"] is None
    data["peers"] = [3.1, 2.4, 4.0, 2.2, 3.7]
    # O = 67/18 ≈ 3.722: four peers below, none equal → 80.
    assert score_assessment(data)["overall"]["percentile"] == 80
    # A peer equal to O counts half: 100 · (2 + ½) / 6 = 41.67 → 42.
    data["peers"] = ["67/18", 1, 1, 7, 7, 7]
    assert score_assessment(data)["overall"]["percentile"] == 42


def test_duplicate_keys_and_wrong_types_raise_value_error():
    for mutate in (
        lambda d: d["respondents"].append(dict(d["respondents"][0])),
        lambda d: d["dimensions"].append({"key": "strategy", "questions": []}),
        lambda d: d.update(peers="3.1"),
        lambda d: d.update(respondents={"a": 1}),
    ):
        data = copy.deepcopy(WORKED)
        mutate(data)
        with pytest.raises(ValueError, match=r"twice|must be a list"):
            score_assessment(data)


def test_target_may_be_a_decimal_string():
    data = copy.deepcopy(WORKED)
    data["dimensions"][1]["target"] = "5"
    assert score_assessment(data)["dimensions"][1]["target"] == 5


def test_a_peer_equal_to_the_score_counts_half_when_given_exactly():
    data = copy.deepcopy(WORKED)
    data["peers"] = ["67/18", "67/18", 1, 1, 7]
    # Two equal (½ each) and two below: 100 · 3 / 5 = 60.
    assert score_assessment(data)["overall"]["percentile"] == 60


def test_rounding_is_half_up_on_exact_values():
    assert round_half_up(Fraction(1, 8)) == 0.13
    assert round_half_up(Fraction(2675, 1000)) == 2.68  # a float would say 2.67
    assert stage(Fraction(69, 10)) == 6
    assert stage(Fraction(1, 2)) == 1


@pytest.mark.parametrize(
    ("mutate", "named"),
    [
        (lambda d: d["dimensions"][0].update(weight=0), "dimension strategy"),
        (lambda d: d["dimensions"][0]["questions"][0].update(weight=-1), "question q1"),
        (lambda d: d["respondents"][0].update(weight="x"), "respondent A"),
        (lambda d: d["respondents"][0]["answers"].update(q1=8), "respondent A, question q1"),
        (lambda d: d["respondents"][0]["answers"].update(q1=0), "respondent A, question q1"),
        (lambda d: d["respondents"][0]["answers"].update(q1="high"), "question q1"),
        (lambda d: d["respondents"][1]["answers"].update(q9=3), "unknown question 'q9'"),
        (lambda d: d["dimensions"][1].update(target=8), "dimension testing"),
        (lambda d: d["dimensions"][1]["questions"][0].update(key="q1"), "question q1"),
        (lambda d: d.update(peers=["many"]), "peers[0]"),
    ],
)
def test_bad_input_raises_value_error_naming_the_item(mutate, named):
    data = copy.deepcopy(WORKED)
    mutate(data)
    with pytest.raises(ValueError, match=named.replace("[", r"\[").replace("]", r"\]")):
        score_assessment(data)


# --- Properties ---------------------------------------------------------------------------

answers = st.one_of(st.integers(1, 7), st.sampled_from(["dont_know", "not_applicable"]))
weights = st.fractions(min_value=Fraction(1, 10), max_value=10).map(
    lambda f: str(f.limit_denominator(100))
)


@st.composite
def assessments(draw):
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=4))
    dimensions, keys = [], []
    for i, size in enumerate(sizes):
        questions = [{"key": f"d{i}q{j}", "weight": draw(weights)} for j in range(size)]
        keys += [q["key"] for q in questions]
        dimensions.append(
            {
                "key": f"d{i}",
                "weight": draw(weights),
                "questions": questions,
                "target": draw(st.one_of(st.none(), st.integers(1, 7))),
            }
        )
    respondents = [
        {
            "key": f"r{n}",
            "weight": draw(weights),
            "answers": {k: draw(answers) for k in keys if draw(st.booleans()) or True},
        }
        for n in range(draw(st.integers(1, 5)))
    ]
    return {"dimensions": dimensions, "respondents": respondents}


@settings(max_examples=150, deadline=None)
@given(assessments())
def test_scores_stay_within_one_and_seven(data):
    result = score_assessment(data)
    numbers = [d["score"] for d in result["dimensions"]] + [result["overall"]["score"]]
    numbers += [s for r in result["respondents"] for s in r["dimensions"].values()]
    assert all(1 <= s <= 7 for s in numbers if s is not None)


@settings(max_examples=100, deadline=None)
@given(assessments(), st.randoms())
def test_reordering_respondents_changes_nothing(data, rnd):
    shuffled = copy.deepcopy(data)
    rnd.shuffle(shuffled["respondents"])
    a, b = score_assessment(data), score_assessment(shuffled)
    assert (a["overall"], a["dimensions"]) == (b["overall"], b["dimensions"])


@settings(max_examples=100, deadline=None)
@given(
    assessments(),
    st.sampled_from(["question", "dimension", "respondent"]),
    st.sampled_from(["3", "0.5", "7/3"]),
)
def test_scaling_all_weights_of_a_kind_changes_nothing(data, kind, factor):
    scaled = copy.deepcopy(data)
    items = {
        "dimension": scaled["dimensions"],
        "question": [q for d in scaled["dimensions"] for q in d["questions"]],
        "respondent": scaled["respondents"],
    }[kind]
    for item in items:
        item["weight"] = str(Fraction(item["weight"]) * Fraction(factor))
    assert score_assessment(scaled) == score_assessment(data)


@settings(max_examples=100, deadline=None)
@given(assessments(), st.data())
def test_not_applicable_is_the_same_as_the_question_not_existing(data, pick):
    """Marking a question not applicable for everyone neither lowers nor raises the effect
    of the others: the result is that of the questionnaire without it."""
    dimension = pick.draw(
        st.sampled_from([d for d in data["dimensions"] if len(d["questions"]) > 1] or [None])
    )
    if dimension is None:
        return
    question = pick.draw(st.sampled_from(dimension["questions"]))["key"]
    marked = copy.deepcopy(data)
    for r in marked["respondents"]:
        r["answers"][question] = "not_applicable"
    removed = copy.deepcopy(data)
    for d in removed["dimensions"]:
        d["questions"] = [q for q in d["questions"] if q["key"] != question]
    for r in removed["respondents"]:
        r["answers"].pop(question, None)
    assert score_assessment(marked) == score_assessment(removed)
