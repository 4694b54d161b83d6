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

from bisect import bisect_left
from fractions import Fraction
from math import floor
from typing import NamedTuple

from .rounding import quantize_half_up, round_half_up

MIN_PEERS = 5


class _Ranked(NamedTuple):
    """Scores in order. `floats` is sorted; `exact` gives the exact score of a float's
    entries: float() of a fraction is correctly rounded, hence monotonic, so the float order
    is the exact order except among entries of one same float, which are ordered exactly
    when (rarely) they are needed. Thousands of peers then cost one float sort, not
    thousands of Fractions."""

    floats: list[float]
    entries: dict[float, list]  # float -> its entries' scores (Fractions or stored strings)

    def exact(self, f: float) -> list[Fraction]:
        """The exact scores of the entries whose float is `f` (none: an empty list)."""
        return [v if isinstance(v, Fraction) else _fraction(v) for v in self.entries.get(f, [])]

    def value(self, index: int) -> Fraction:
        """The exact score at `index` of the exact order."""
        f = self.floats[index]
        return sorted(self.exact(f))[index - bisect_left(self.floats, f)]


def _ranked_from(pairs: list[tuple[float, Fraction | str]]) -> _Ranked:
    entries: dict[float, list] = {}
    for f, v in pairs:
        entries.setdefault(f, []).append(v)
    return _Ranked(sorted(f for f, _v in pairs), entries)


def _ranked(values: list[Fraction]) -> _Ranked:
    return _ranked_from([(float(v), v) for v in values])


def _percentile(score: Fraction, ranked: _Ranked) -> int | None:
    peers = len(ranked.floats)
    if peers < MIN_PEERS:
        return None
    # Entries whose float is below the score's are below it; only those with the very
    # same float need an exact comparison.
    low = bisect_left(ranked.floats, float(score))
    near = ranked.exact(float(score))
    below = low + sum(1 for v in near if v < score)
    equal = sum(1 for v in near if v == score)
    return int(quantize_half_up(100 * (below + Fraction(equal, 2)) / peers, 0))


def percentile(score: Fraction, peers: list[Fraction]) -> int | None:
    """SCORING.md §9: the share of peers below `score`, ties counting half; None under
    MIN_PEERS peers (never reveal a small group)."""
    return _percentile(score, _ranked(peers))


def _quantile(ranked: _Ranked, p: Fraction) -> Fraction:
    n = len(ranked.floats)
    h = (n - 1) * p
    low = floor(h)
    if low + 1 >= n:
        return ranked.value(n - 1)
    x_low = ranked.value(low)
    return x_low + (h - low) * (ranked.value(low + 1) - x_low)


def quantile(values: list[Fraction], p: Fraction) -> Fraction:
    """Type 7 quantile of `values` (not empty) at p in [0, 1], exact."""
    return _quantile(_ranked(values), p)


def _band(ranked: _Ranked) -> dict | None:
    if len(ranked.floats) < MIN_PEERS:
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
    strings is several times slower."""
    if not value:
        return None
    numerator, _slash, denominator = value.partition("/")
    return Fraction(int(numerator), int(denominator or 1))


def _float(value: str) -> float:
    """A stored exact score as the correctly rounded float of its fraction (int / int is
    correctly rounded), without building the Fraction."""
    numerator, _slash, denominator = value.partition("/")
    return int(numerator) / int(denominator or 1)


def figures(own: str | None, peers: list[str | None]) -> dict:
    """One score against its peers' scores (exact strings; peers with no score at that
    place do not count): the percentile, the band and how many peers had a score."""
    ranked = _ranked_from([(_float(v), v) for v in peers if v])
    score = _fraction(own)
    return {
        "percentile": None if score is None else _percentile(score, ranked),
        "band": _band(ranked),
        "count": len(ranked.floats),
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
