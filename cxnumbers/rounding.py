"""Exact numbers, pure (no Django, no Celery): the one rounding rule of SCORING.md, for
all three scoring modules."""

from decimal import Decimal
from fractions import Fraction
from typing import Any


def exact(value: Any, item: str) -> Fraction:
    """A JSON number or decimal string as an exact Fraction; ValueError naming the item."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{item}: must be a number, not {value!r}")
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError) as exc:
        raise ValueError(f"{item}: must be a number, not {value!r}") from exc


def quantize_half_up(x: Fraction, places: int) -> Decimal:
    """x to `places` decimals, a tie going away from zero, with no float in between."""
    whole, rest = divmod(abs(x.numerator) * 10**places, x.denominator)
    if 2 * rest >= x.denominator:
        whole += 1
    return Decimal(-whole if x < 0 else whole).scaleb(-places)


def round_half_up(x: Fraction, places: int = 2) -> float:
    """x rounded half-up to `places` decimals, as a JSON number."""
    return float(quantize_half_up(x, places))
