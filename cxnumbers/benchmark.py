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

from bisect import bisect_left, bisect_right
from fractions import Fraction
from math import floor
from operator import itemgetter
from typing import NamedTuple

from .rounding import quantize_half_up, round_half_up

MIN_PEERS = 5


class _Ranked(NamedTuple):
    values: list[Fraction]  # sorted, exactly
    floats: list[float]  # the same, as floats, for a fast bisection


def _ranked(values: list[Fraction]) -> _Ranked:
    """The values sorted exactly: first by float (fast), then by the fractions themselves,
    which on a list already in order costs one comparison a value."""
    floats = [float(v) for v in values]
    ordered = [v for _f, v in sorted(zip(floats, values, strict=True), key=itemgetter(0))]
    ordered.sort()
    # The exact order puts the floats in order too (float() is monotonic).
    return _Ranked(ordered, sorted(floats))


def _percentile(score: Fraction, ranked: _Ranked) -> int | None:
    peers = len(ranked.values)
    if peers < MIN_PEERS:
        return None
    # float() is monotonic: values whose float is below the score's are below it; only
    # those with the very same float need an exact comparison.
    low = bisect_left(ranked.floats, float(score))
    high = bisect_right(ranked.floats, float(score))
    near = ranked.values[low:high]
    below = low + sum(1 for v in near if v < score)
    equal = sum(1 for v in near if v == score)
    return int(quantize_half_up(100 * (below + Fraction(equal, 2)) / peers, 0))


def percentile(score: Fraction, peers: list[Fraction]) -> int | None:
    """SCORING.md §9: the share of peers below `score`, ties counting half; None under
    MIN_PEERS peers (never reveal a small group)."""
    return _percentile(score, _ranked(peers))


def _quantile(ranked: _Ranked, p: Fraction) -> Fraction:
    x = ranked.values
    h = (len(x) - 1) * p
    low = floor(h)
    if low + 1 >= len(x):
        return x[-1]
    return x[low] + (h - low) * (x[low + 1] - x[low])


def quantile(values: list[Fraction], p: Fraction) -> Fraction:
    """Type 7 quantile of `values` (not empty) at p in [0, 1], exact."""
    return _quantile(_ranked(values), p)


def _band(ranked: _Ranked) -> dict | None:
    if len(ranked.values) < MIN_PEERS:
        return None
    return {
        "p25": round_half_up(_quantile(ranked, Fraction(1, 4))),
        "p75": round_half_up(_quantile(ranked, Fraction(3, 4))),
    }


def band(values: list[Fraction]) -> dict | None:
    """The p25-p75 band of the peers' scores, rounded; None under MIN_PEERS."""
    return _band(_ranked(values))


def _fraction(value: str | None) -> Fraction | None:
    """A stored exact score ("67/18" or "3"); split by hand, as Fraction's own parsing of
    strings is several times slower and a benchmark reads thousands."""
    if not value:
        return None
    numerator, _slash, denominator = value.partition("/")
    return Fraction(int(numerator), int(denominator or 1))


def figures(own: str | None, peers: list[str | None]) -> dict:
    """One score against its peers' scores (exact strings; peers with no score at that
    place do not count): the percentile, the band and how many peers had a score."""
    ranked = _ranked([f for f in map(_fraction, peers) if f is not None])
    score = _fraction(own)
    return {
        "percentile": None if score is None else _percentile(score, ranked),
        "band": _band(ranked),
        "count": len(ranked.values),
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
