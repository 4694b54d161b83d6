"""Benchmarks, pure (no Django): where a score stands among its peers' scores, overall
and per dimension.

The percentile is SCORING.md §9's: round-half-up of
100 · (peers below + ½ · peers equal) / peers, an integer, and nothing under MIN_PEERS.

The band is the 25th to 75th percentile of the peers' scores by linear interpolation
between order statistics (Hyndman & Fan type 7, the default of numpy, R and Excel's
PERCENTILE.INC): with the n scores sorted x[0] ≤ … ≤ x[n-1] and h = (n - 1) · p,
Q(p) = x[⌊h⌋] + (h - ⌊h⌋) · (x[⌊h⌋+1] - x[⌊h⌋]). Computed exactly, rounded half-up to
two decimals like every reported score.

Scores arrive as exact fractions in strings ("67/18"), as stored results hold them, so
ties compare exactly as score_assessment compares them.
"""

from fractions import Fraction
from math import floor

from .rounding import quantize_half_up, round_half_up

MIN_PEERS = 5


def percentile(score: Fraction, peers: list[Fraction]) -> int | None:
    """SCORING.md §9: the share of peers below `score`, ties counting half; None under
    MIN_PEERS peers (never reveal a small group)."""
    if len(peers) < MIN_PEERS:
        return None
    below = sum(1 for p in peers if p < score)
    equal = sum(1 for p in peers if p == score)
    return int(quantize_half_up(100 * (below + Fraction(equal, 2)) / len(peers), 0))


def quantile(values: list[Fraction], p: Fraction) -> Fraction:
    """Type 7 quantile of `values` (not empty) at p in [0, 1], exact."""
    ordered = sorted(values)
    h = (len(ordered) - 1) * p
    low = floor(h)
    if low + 1 >= len(ordered):
        return ordered[-1]
    return ordered[low] + (h - low) * (ordered[low + 1] - ordered[low])


def band(values: list[Fraction]) -> dict | None:
    """The p25-p75 band of the peers' scores, rounded; None under MIN_PEERS."""
    if len(values) < MIN_PEERS:
        return None
    return {
        "p25": round_half_up(quantile(values, Fraction(1, 4))),
        "p75": round_half_up(quantile(values, Fraction(3, 4))),
    }


def _fraction(value: str | None) -> Fraction | None:
    return Fraction(value) if value else None


def figures(own: str | None, peers: list[str | None]) -> dict:
    """One score against its peers' scores (exact strings; peers with no score at that
    place do not count): the percentile, the band and how many peers had a score."""
    values = [f for f in map(_fraction, peers) if f is not None]
    score = _fraction(own)
    return {
        "percentile": None if score is None else percentile(score, values),
        "band": band(values),
        "count": len(values),
    }


def benchmark(own: dict, peers: list[dict]) -> dict:
    """The figures overall and per dimension of `own` ({"overall": exact, "dimensions":
    {key: exact}}) against `peers` of the same shape."""
    return {
        "overall": figures(own["overall"], [p["overall"] for p in peers]),
        "dimensions": {
            key: figures(value, [p["dimensions"].get(key) for p in peers])
            for key, value in own["dimensions"].items()
        },
    }
