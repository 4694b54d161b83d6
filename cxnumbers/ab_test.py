"""A/B and multivariate test results, pure (no Django): each variant's conversion rate, its
relative lift against the control and a two-sided two-proportion z-test with the pooled
standard error. A winner is only named once every variant reached the planned sample;
before that a difference is noise more often than people expect."""

import math
from dataclasses import dataclass

SIGNIFICANCE = 0.05


@dataclass(frozen=True)
class VariantResult:
    name: str
    visitors: int
    conversions: int
    rate: float | None  # None without visitors
    lift: float | None  # relative to the control; None for the control or a zero control rate
    z: float | None  # None for the control, or when the pooled rate is 0 or 1
    p_value: float | None
    control: bool


def check_counts(visitors: object, conversions: object, name: str = "") -> tuple[int, int]:
    """Whole visitors and conversions, 0 or more, no more conversions than visitors; a
    ValueError names the field (prefixed with the variant's name when given)."""
    where = f"{name}: " if name else ""
    counts = {}
    for field, value in (("visitors", visitors), ("conversions", conversions)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{where}{field}: must be a whole number of 0 or more")
        counts[field] = value
    if counts["conversions"] > counts["visitors"]:
        raise ValueError(f"{where}conversions: cannot exceed the visitors")
    return counts["visitors"], counts["conversions"]


def z_test(control: tuple[int, int], variant: tuple[int, int]) -> tuple[float, float] | None:
    """z and its two-sided p-value for two (visitors, conversions) pairs, with the pooled
    standard error; None when it is undefined (no visitors, or a pooled rate of 0 or 1)."""
    (n1, c1), (n2, c2) = control, variant
    if n1 == 0 or n2 == 0:
        return None
    pooled = (c1 + c2) / (n1 + n2)
    error = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    if error == 0:
        return None
    z = (c2 / n2 - c1 / n1) / error
    return z, math.erfc(abs(z) / math.sqrt(2))


def ab_results(
    variants: list[tuple[str, int, int]], *, min_sample: int | None, control: int = 0
) -> dict:
    """Every variant (name, visitors, conversions) against the one at index `control`.
    The verdict: "no_data" without variants, "waiting" until each variant has `min_sample`
    visitors, then "winner" (the best significant variant, better than the control),
    "control_wins" (every significant difference favours the control) or
    "no_difference"."""
    if not variants:
        return {"variants": [], "sample_reached": False, "verdict": "no_data", "winner": None}
    if not 0 <= control < len(variants):
        raise ValueError("control: must be one of the variants")
    counted = [(name, *check_counts(v, c, name)) for name, v, c in variants]
    base = counted[control]
    rows = []
    for i, (name, visitors, conversions) in enumerate(counted):
        rate = conversions / visitors if visitors else None
        is_control = i == control
        lift = z = p = None
        if not is_control:
            base_rate = base[2] / base[1] if base[1] else None
            if rate is not None and base_rate:
                lift = rate / base_rate - 1
            tested = z_test((base[1], base[2]), (visitors, conversions))
            if tested is not None:
                z, p = tested
        rows.append(VariantResult(name, visitors, conversions, rate, lift, z, p, is_control))
    reached = min_sample is not None and all(r.visitors >= min_sample for r in rows)
    verdict, winner = "waiting", None
    if reached:
        significant = [r for r in rows if r.p_value is not None and r.p_value < SIGNIFICANCE]
        better = [r for r in significant if r.z > 0]
        if better:
            verdict, winner = "winner", max(better, key=lambda r: r.rate).name
        elif significant:
            verdict, winner = "control_wins", rows[control].name
        else:
            verdict = "no_difference"
    return {"variants": rows, "sample_reached": reached, "verdict": verdict, "winner": winner}
