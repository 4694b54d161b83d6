"""The A/B test arithmetic against hand-computed cases."""

import math

import pytest

from cxnumbers.ab_test import ab_results, check_counts, z_test


def _by_name(result: dict) -> dict:
    return {v.name: v for v in result["variants"]}


def test_the_worked_example_lift_z_and_p():
    # pooled 230/2000 = 0.115; SE = sqrt(0.115·0.885·(2/1000)) = 0.014267; z = 0.03/SE.
    result = ab_results([("A", 1000, 100), ("B", 1000, 130)], min_sample=1000)
    b = _by_name(result)["B"]
    assert f"{b.lift * 100:+.1f}" == "+30.0"
    assert b.z == pytest.approx(2.1028, abs=5e-4)
    assert b.p_value == pytest.approx(0.0355, abs=5e-5)
    assert b.rate == pytest.approx(0.13)
    assert _by_name(result)["A"].control
    assert _by_name(result)["A"].z is None
    assert result["verdict"] == "winner"
    assert result["winner"] == "B"


def test_no_winner_until_every_variant_reached_the_planned_sample():
    result = ab_results([("A", 1000, 100), ("B", 999, 130)], min_sample=1000)
    assert result["sample_reached"] is False
    assert result["verdict"] == "waiting"
    assert result["winner"] is None
    assert ab_results([("A", 1000, 100), ("B", 1000, 130)], min_sample=None)["verdict"] == (
        "waiting"
    )


def test_zero_conversions_in_both_leaves_z_undefined_without_dividing_by_zero():
    result = ab_results([("A", 500, 0), ("B", 500, 0)], min_sample=100)
    b = _by_name(result)["B"]
    assert b.z is None
    assert b.p_value is None
    assert b.lift is None
    assert b.rate == 0
    assert result["verdict"] == "no_difference"


def test_equal_rates_give_z_zero_and_p_one():
    z, p = z_test((800, 40), (400, 20))
    assert z == 0
    assert p == pytest.approx(1.0)
    result = ab_results([("A", 800, 40), ("B", 400, 20)], min_sample=400)
    assert result["verdict"] == "no_difference"
    assert _by_name(result)["B"].lift == 0


def test_a_control_without_conversions_has_no_lift_but_a_z():
    b = _by_name(ab_results([("A", 1000, 0), ("B", 1000, 10)], min_sample=10))["B"]
    assert b.lift is None
    assert b.z is not None
    assert b.z > 0
    assert not math.isnan(b.p_value)


def test_the_control_can_be_another_variant_and_can_win():
    result = ab_results([("B", 1000, 130), ("A", 1000, 100)], min_sample=1000, control=1)
    b = _by_name(result)["B"]
    assert b.lift == pytest.approx(0.3)
    assert not b.control
    result = ab_results([("A", 1000, 130), ("B", 1000, 100)], min_sample=1000)
    assert result["verdict"] == "control_wins"
    assert result["winner"] == "A"


def test_a_multivariate_test_names_the_best_significant_variant():
    result = ab_results([("A", 2000, 200), ("B", 2000, 260), ("C", 2000, 300)], min_sample=2000)
    assert result["winner"] == "C"


def test_variants_without_visitors_have_no_rate():
    b = _by_name(ab_results([("A", 0, 0), ("B", 10, 1)], min_sample=None))["B"]
    assert b.rate == pytest.approx(0.1)
    assert b.z is None
    assert b.lift is None


@pytest.mark.parametrize(
    ("visitors", "conversions", "field"),
    [(10, 11, "conversions"), (-1, 0, "visitors"), (5, -2, "conversions"), (1.5, 0, "visitors"),
     ("7", 0, "visitors"), (True, 0, "visitors")],
)  # fmt: skip
def test_bad_counts_name_the_field(visitors, conversions, field):
    with pytest.raises(ValueError, match=f"B: {field}:"):
        check_counts(visitors, conversions, "B")
    with pytest.raises(ValueError, match=field):
        ab_results([("A", 10, 1), ("B", visitors, conversions)], min_sample=1)


def test_the_control_must_be_a_variant():
    with pytest.raises(ValueError, match="control"):
        ab_results([("A", 1, 0)], min_sample=1, control=3)
    assert ab_results([], min_sample=1)["verdict"] == "no_data"
