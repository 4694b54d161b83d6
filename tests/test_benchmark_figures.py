"""cxnumbers.benchmark, pure: percentiles (SCORING.md §9) and p25-p75 bands (type 7),
against hand-computed figures."""

from fractions import Fraction as F

import pytest

from cxnumbers.benchmark import band, benchmark, figures, percentile, quantile
from cxnumbers.rounding import quantize_half_up, round_half_up


def test_percentile_counts_peers_below_and_half_the_ties_rounded_half_up():
    peers = [F(n) for n in (1, 3, 4, 5, 6, 7, 7, 7)]
    assert percentile(F(2), peers) == 13  # 1/8 = 12.5 % → 13
    assert percentile(F(7), peers) == 81  # (5 + 3/2)/8 = 81.25 %
    assert percentile(F(1), peers) == 6  # (0 + 1/2)/8 = 6.25 %


def test_no_percentile_and_no_band_under_five_peers():
    assert percentile(F(3), [F(1), F(2), F(3), F(4)]) is None
    assert band([F(1), F(2), F(3), F(4)]) is None


@pytest.mark.parametrize(
    ("p", "expected"),
    [(F(0), F(1)), (F(1, 4), F(5, 2)), (F(1, 2), F(9, 2)), (F(3, 4), F(23, 4)), (F(1), F(7))],
)
def test_quantile_interpolates_between_order_statistics(p, expected):
    # n = 6: h = 5p; Q(1/4) = x[1] + 1/4 (x[2] - x[1]) = 2 + 1/2, Q(3/4) = 5 + 3/4.
    assert quantile([F(n) for n in (7, 1, 5, 2, 6, 4)], p) == expected


def test_band_is_exact_then_rounded_half_up():
    # Sorted 1, 5/3, 5, 17/3, 19/3, 7: Q(1/4) = 5/3 + 1/4·10/3 = 5/2;
    # Q(3/4) = 17/3 + 3/4·2/3 = 37/6 = 6.1666… → 6.17.
    values = [F(1), F(5, 3), F(5), F(17, 3), F(19, 3), F(7)]
    assert band(values) == {"p25": 2.5, "p75": 6.17}


def test_figures_leave_out_peers_without_a_score_there():
    result = figures("4", ["1", "2", None, "4", "5", "6", "7"])
    assert result == {"percentile": 42, "band": {"p25": 2.5, "p75": 5.75}, "count": 6}
    assert figures(None, ["1", "2", "3", "4", "5"])["percentile"] is None


def test_benchmark_gives_overall_and_each_dimension():
    peers = [
        {"overall": o, "dimensions": {"a": a, "b": b}}
        for o, a, b in [("1", "1", "1"), ("2", "2", None), ("3", "3", "3"), ("4", "4", "4")]
    ] + [{"overall": "5", "dimensions": {"a": "5", "b": "5"}}]
    result = benchmark({"overall": "3", "dimensions": {"a": "7/2", "b": "1"}}, peers)
    assert result["overall"]["percentile"] == 50  # (2 + 1/2)/5
    assert result["dimensions"]["a"]["percentile"] == 60  # 3 of 5 below 7/2
    assert result["dimensions"]["b"] == {"percentile": None, "band": None, "count": 4}


def test_scores_one_float_apart_are_still_ordered_exactly():
    """Two different fractions can share a float; the figures must still be the exact
    ones (checked against a plain exact computation)."""
    import random

    third = F(1, 3)
    below = F(10**20, 3 * 10**20 + 1)  # a hair under 1/3, the same float
    assert below < third
    assert float(below) == float(third)
    rng = random.Random(7)  # noqa: S311 - reproducible cases, not secrets
    for _ in range(200):
        peers = [rng.choice([third, below, F(rng.randint(7, 49), 7)]) for _ in range(9)]
        own = rng.choice([third, below, F(2)])
        ordered = sorted(peers)
        n = len(ordered)
        smaller = sum(1 for p in peers if p < own)
        ties = sum(1 for p in peers if p == own)

        def q(p: F, ordered=ordered, n=n) -> F:
            h = (n - 1) * p
            low = int(h)
            return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])

        result = figures(str(own), [str(p) for p in peers])
        assert result["percentile"] == int(quantize_half_up(100 * (smaller + F(ties, 2)) / n, 0))
        assert result["band"] == {
            "p25": round_half_up(q(F(1, 4))),
            "p75": round_half_up(q(F(3, 4))),
        }
