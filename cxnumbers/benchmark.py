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

from .rounding import quantize_half_up, round_half_up

MIN_PEERS = 5


class PeerScores:
    """One place's peer scores (overall, or one dimension), ranked once and then asked
    for any number of scores' percentiles: a population of thousands costs one float
    sort when built, and a bisection per score after.

    `floats` is sorted and `values` holds the exact score (a Fraction, or a stored
    string) behind each. float() of a fraction is correctly rounded, hence monotonic, so
    the float order is the exact order except among entries of one same float, which
    are ordered exactly when (rarely) they are needed."""

    __slots__ = ("_band", "floats", "values")

    def __init__(self, pairs: list[tuple[float, Fraction | str]]) -> None:
        ordered = sorted(pairs, key=itemgetter(0))
        self.floats = [f for f, _v in ordered]
        self.values = [v for _f, v in ordered]
        self._band: dict | None | bool = False  # False: not computed yet

    def __len__(self) -> int:
        return len(self.floats)

    def exact(self, f: float) -> list[Fraction]:
        """The exact scores of the entries whose float is `f` (none: an empty list)."""
        same = self.values[bisect_left(self.floats, f) : bisect_right(self.floats, f)]
        return [v if isinstance(v, Fraction) else _fraction(v) for v in same]

    def value(self, index: int) -> Fraction:
        """The exact score at `index` of the exact order."""
        f = self.floats[index]
        return sorted(self.exact(f))[index - bisect_left(self.floats, f)]

    def band(self) -> dict | None:
        """The p25-p75 band, rounded; None under MIN_PEERS. Kept once computed."""
        if self._band is False:
            self._band = _band(self)
        return self._band


def peer_scores(values: list[str | None]) -> PeerScores:
    """The peers' scores at one place, from stored exact strings ("67/18"; a peer with
    no score there, None or "", does not count)."""
    return PeerScores([(_float(v), v) for v in values if v])


def _ranked(values: list[Fraction]) -> PeerScores:
    return PeerScores([(float(v), v) for v in values])


def _percentile(score: Fraction, ranked: PeerScores) -> int | None:
    peers = len(ranked)
    if peers < MIN_PEERS:
        return None
    # Entries whose float is below the score's are below it; only those with the very
    # same float need an exact comparison.
    low = bisect_left(ranked.floats, float(score))
    near = ranked.exact(float(score))
    below = low + sum(1 for v in near if v < score)
    equal = sum(1 for v in near if v == score)
    return int(quantize_half_up(100 * (below + Fraction(equal, 2)) / peers, 0))


def percentile(score: Fraction, peers: "list[Fraction] | PeerScores") -> int | None:
    """SCORING.md §9: the share of peers below `score`, ties counting half; None under
    MIN_PEERS peers (never reveal a small group)."""
    return _percentile(score, peers if isinstance(peers, PeerScores) else _ranked(peers))


def _quantile(ranked: PeerScores, p: Fraction) -> Fraction:
    n = len(ranked)
    h = (n - 1) * p
    low = floor(h)
    if low + 1 >= n:
        return ranked.value(n - 1)
    x_low = ranked.value(low)
    return x_low + (h - low) * (ranked.value(low + 1) - x_low)


def quantile(values: list[Fraction], p: Fraction) -> Fraction:
    """Type 7 quantile of `values` (not empty) at p in [0, 1], exact."""
    return _quantile(_ranked(values), p)


def _band(ranked: PeerScores) -> dict | None:
    if len(ranked) < MIN_PEERS:
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


def figures(own: str | None, peers: "list[str | None] | PeerScores") -> dict:
    """One score against its peers' scores (exact strings; peers with no score at that
    place do not count): the percentile, the band and how many peers had a score."""
    ranked = peers if isinstance(peers, PeerScores) else peer_scores(peers)
    score = _fraction(own)
    return {
        "percentile": None if score is None else _percentile(score, ranked),
        "band": ranked.band(),
        "count": len(ranked),
    }


def population(peers: list[dict]) -> dict:
    """The peers ({"overall": exact, "dimensions": {key: exact}} each) ranked overall and
    per dimension, to place any number of assessments' scores with `benchmark`."""
    keys = {key for p in peers for key in p["dimensions"]}
    return {
        "overall": peer_scores([p["overall"] for p in peers]),
        "dimensions": {key: peer_scores([p["dimensions"].get(key) for p in peers]) for key in keys},
    }


def benchmark(own: dict, peers: "list[dict] | dict") -> dict:
    """The figures overall and per dimension of `own` ({"overall": exact, "dimensions":
    {key: exact}}) against `peers` of the same shape, or their `population`."""
    ranked = peers if isinstance(peers, dict) else population(peers)
    nobody = PeerScores([])
    return {
        "overall": figures(own["overall"], ranked["overall"]),
        "dimensions": {
            key: figures(value, ranked["dimensions"].get(key, nobody))
            for key, value in own["dimensions"].items()
        },
    }
