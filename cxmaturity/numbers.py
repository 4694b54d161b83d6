"""Exact numbers: the one rounding rule lives in the pure package `cxnumbers.rounding`."""

from cxnumbers.rounding import exact, quantize_half_up, round_half_up

__all__ = ["exact", "quantize_half_up", "round_half_up"]
