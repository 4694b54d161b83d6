"""SCORING.md §3: the engagement value scale and what a visit is worth."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpis.engagement import engagement_value

LADDER = [
    {"key": "awareness", "min_points": 0, "max_points": 4},
    {"key": "interest", "min_points": 5, "max_points": 19},
    {"key": "lead", "min_points": 20, "max_points": 49},
    {"key": "conversion", "min_points": 50, "max_points": 99},
    {"key": "advocacy", "min_points": 100, "max_points": 250},
]


def test_the_scoring_md_example():
    result = engagement_value(
        {
            "categories": [
                {"key": "awareness", "min_points": 0, "max_points": 4},
                {"key": "lead", "min_points": 5, "max_points": 25},
            ],
            "goals": [{"key": "whitepaper", "category": "lead", "points": 10, "conversions": 120}],
            "visits": 4000,
        }
    )
    assert result == {
        "valid": True,
        "errors": [],
        "engagement_value": 1200,
        "value_per_visit": 0.3,
        "by_category": {
            "awareness": {"value": 0, "share": 0},
            "lead": {"value": 1200, "share": 1.0},
        },
    }


def test_the_domain_example_of_a_month():
    # 4,000 visits: 200 sign-ups (10), 120 downloads (20), 30 purchases (60) → 6,200, 1.55.
    result = engagement_value(
        {
            "categories": LADDER,
            "visits": 4000,
            "goals": [
                {"key": "newsletter", "category": "interest", "points": 10, "conversions": 200},
                {"key": "whitepaper", "category": "lead", "points": 20, "conversions": 120},
                {"key": "purchase", "category": "conversion", "points": 60, "conversions": 30},
            ],
        }
    )
    assert (result["engagement_value"], result["value_per_visit"]) == (6200, 1.55)
    assert result["by_category"]["lead"] == {"value": 2400, "share": 0.3871}
    assert result["valid"]


def test_every_violation_is_one_message_naming_its_category_or_goal():
    result = engagement_value(
        {
            "categories": [
                {"key": "a", "min_points": 0, "max_points": 10},
                {"key": "b", "min_points": 10, "max_points": 20},
                {"key": "c", "min_points": 30, "max_points": 25},
                {"key": "d", "min_points": 40},
            ],
            "goals": [
                {"key": "g1", "category": "a", "points": 11, "conversions": 1},
                {"key": "g2", "category": "zz", "points": 1, "conversions": 1},
            ],
            "visits": 0,
        }
    )
    assert not result["valid"]
    assert len(result["errors"]) == 5
    assert any(e.startswith("Category b:") and "above the previous" in e for e in result["errors"])
    assert any(e.startswith("Category c:") for e in result["errors"])
    assert any(e.startswith("Category d:") and "maximum" in e for e in result["errors"])
    assert any(e.startswith("Goal g1:") for e in result["errors"])
    assert any(e.startswith("Goal g2:") for e in result["errors"])
    # Still computed when invalid; no value per visit without visits.
    assert result["engagement_value"] == 12
    assert result["value_per_visit"] is None


@pytest.mark.parametrize(
    ("goal", "named"),
    [
        ({"points": -1}, "goal x, points"),
        ({"conversions": 1.5}, "goal x, conversions"),
        ({"points": "ten"}, "goal x, points"),
    ],
)
def test_bad_input_raises_value_error_naming_the_item(goal, named):
    data = {
        "categories": LADDER,
        "visits": 1,
        "goals": [{"key": "x", "category": "lead", "points": 20, "conversions": 1, **goal}],
    }
    with pytest.raises(ValueError, match=named):
        engagement_value(data)


goals = st.lists(
    st.fixed_dictionaries(
        {
            "category": st.sampled_from([c["key"] for c in LADDER]),
            "points": st.integers(0, 250),
            "conversions": st.integers(0, 10_000),
        }
    ),
    max_size=12,
)


@settings(max_examples=200, deadline=None)
@given(goals, st.integers(0, 1_000_000))
def test_properties(raw, visits):
    data = {
        "categories": LADDER,
        "visits": visits,
        "goals": [{"key": f"g{i}", **g} for i, g in enumerate(raw)],
    }
    result = engagement_value(data)
    total = sum(g["points"] * g["conversions"] for g in raw)
    assert result["engagement_value"] == total
    assert sum(c["value"] for c in result["by_category"].values()) == total
    shares = [c["share"] for c in result["by_category"].values()]
    assert all(0 <= s <= 1 for s in shares)
    if total:
        assert sum(shares) == pytest.approx(1, abs=0.0005 * len(LADDER))
    # Points outside their category's band are exactly the errors reported.
    outside = [
        g
        for g in raw
        if not next(c for c in LADDER if c["key"] == g["category"])["min_points"]
        <= g["points"]
        <= next(c for c in LADDER if c["key"] == g["category"])["max_points"]
    ]
    assert len(result["errors"]) == len(outside)
    # Doubling every conversion doubles the value and keeps every share.
    doubled = engagement_value(
        {**data, "goals": [{**g, "conversions": 2 * g["conversions"]} for g in data["goals"]]}
    )
    assert doubled["engagement_value"] == 2 * total
    assert [c["share"] for c in doubled["by_category"].values()] == shares
