"""Axis limits that change in a few jumps: the one place the widgets' axes are rounded.

A live picture keeps its axes (and their cached pixels) while a slider moves, so its limits
are rounded outwards to a few round values:

    nice_ceiling(201)                     # 250: the ladder 10, 15, 20, 25, 30, 40, 50, 60, 80, 100 ...
    ceiling(7, STEP_ENDS)                 # 10: the smallest rung >= n (n itself above the ladder)
    outward_limits(values, "log")         # whole steps of 3 decades, plus a 5 % margin
    decade_limits(lo, hi)                 # steps of 3 decades around [lo / 3, 3 hi]
    padded_limits(a, b, pad=0.08)         # the finite values' range plus 8 % each side
"""
import numpy as np

NICE = (10, 15, 20, 25, 30, 40, 50, 60, 80)
# 10, 15, ..., 80, 100, 150, ..., 800000: nice_ceiling's rungs
NICE_LADDER = tuple(m * decade for decade in (1, 10, 100, 1000, 10000) for m in NICE)
STEP_ENDS = (1, 2, 5, 10, 20, 30, 50, 100)      # a few step counts for a short run's x axis


def ceiling(n, ladder):
    """The smallest rung of `ladder` (increasing) that is >= n; n itself above the ladder."""
    return next((rung for rung in ladder if rung >= n), n)


def nice_ceiling(n):
    """The smallest of 10, 15, 20, 25, 30, 40, 50, 60, 80, 100, 150, 200, 250, ... that is
    >= n (axis ends change in a few jumps while a slider moves, so their backgrounds can be
    reused; 200 steps end at 200, 201 at 250); int(n) above 800000."""
    return int(ceiling(n, NICE_LADDER))


def outward_limits(values, scale):
    """Axis limits around `values` rounded outwards (so that nearby settings share them),
    plus a 5 % margin. scale "log": whole steps of 3 decades (at least one step); "symlog":
    ± the whole decade above the largest |value|; "linear": multiples of the span's decade."""
    lo, hi = float(np.min(values)), float(np.max(values))
    if scale == "log":
        lo, hi = 3.0 * np.floor(np.log10(lo) / 3.0), 3.0 * np.ceil(np.log10(hi) / 3.0)
        hi = max(hi, lo + 3.0)
        pad = 0.05 * (hi - lo)
        return 10.0 ** (lo - pad), 10.0 ** (hi + pad)
    if scale == "symlog":
        top = 10.0 ** np.ceil(np.log10(max(abs(lo), abs(hi))))
        return (-top if lo < 0 else 0.0) * 1.05, (top if hi > 0 else 0.0) * 1.05
    if scale != "linear":
        raise ValueError(f"scale must be 'linear', 'log' or 'symlog', got {scale!r}")
    step = 10.0 ** np.floor(np.log10(max(hi - lo, 1e-6)))
    lo, hi = np.floor(lo / step) * step, np.ceil(hi / step) * step
    pad = 0.05 * (hi - lo)
    return float(lo - pad), float(hi + pad)


def decade_limits(lo, hi):
    """Log-axis limits in steps of 3 decades (1e-6, 1e-3, 1, 1e3 ...) around [lo / 3, 3 hi]
    (lo, hi > 0): a curve keeps a factor 3 from the edges."""
    return 1e3 ** np.floor(np.log10(lo / 3.0) / 3.0), 1e3 ** np.ceil(np.log10(hi * 3.0) / 3.0)


def padded_limits(*arrays, pad=0.08):
    """(lo, hi) around the finite values of the arrays plus `pad` of the span (at least 1e-3)
    each side; (-1, 1) when no value is finite: never an empty axis."""
    vals = np.concatenate([np.ravel(a) for a in arrays])
    vals = vals[np.isfinite(vals)]
    if vals.size == 0:
        return -1.0, 1.0
    lo, hi = float(vals.min()), float(vals.max())
    span = max(hi - lo, 1e-3)
    return lo - pad * span, hi + pad * span
