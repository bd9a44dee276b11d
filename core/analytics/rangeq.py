"""Range structures over the flat layout, answered for all series in O(1) numpy calls.

- Sparse tables of arg-min / arg-max (earliest index on ties): level k holds the
  extreme's index over ``[i, i + 2**k)``; a range is covered by two overlapping blocks.
- A disjoint sparse table for the maximum drawdown. The drawdown of a range is
  ``min over s <= t of x_t / x_s`` (positive values), which merges across a split point m as
  ``min(dd(left), dd(right), min(right) / max(left))`` — exact for disjoint halves only,
  hence the disjoint table: level k stores, inside each block of 2**(k+1), the drawdown
  from each left-half position to the block middle and from the middle to each
  right-half position. A query picks the level where l and r fall in different halves.
  Precomputed: O(1) per window, no O(window) pass.
"""

from __future__ import annotations

import numpy as np


def log2_table(max_len: int) -> np.ndarray:
    """``floor(log2(n))`` for n in 0..max_len (entry 0 is 0, never used for a real range)."""
    out = np.zeros(max_len + 1, dtype=np.int64)
    if max_len >= 2:
        out[2:] = np.floor(np.log2(np.arange(2, max_len + 1))).astype(np.int64)
        # guard against float rounding of exact powers of two
        n = np.arange(max_len + 1)
        out[(1 << (out + 1)) <= n] += 1
    return out


def build_arg_table(values: np.ndarray, levels: int, *, largest: bool) -> np.ndarray:
    """int32 table (levels, size) of arg-min (or arg-max) over ``[i, i + 2**k)``."""
    size = len(values)
    table = np.empty((max(levels, 1), size), dtype=np.int32)
    table[0] = np.arange(size, dtype=np.int32)
    for k in range(1, levels):
        half = 1 << (k - 1)
        prev = table[k - 1]
        cur = table[k]
        cur[:] = prev
        a = prev[: size - half]
        b = prev[half:]
        va, vb = values[a], values[b]
        keep_left = va >= vb if largest else va <= vb
        cur[: size - half] = np.where(keep_left, a, b)
    return table


def query_arg(
    table: np.ndarray, values: np.ndarray, lo: np.ndarray, length: np.ndarray,
    log2: np.ndarray, *, largest: bool,
) -> np.ndarray:
    """Index of the extreme in ``[lo, lo + length)`` (length >= 1), earliest on ties."""
    return query_extreme(table, values, lo, length, log2, largest=largest)[0]


def query_extreme(
    table: np.ndarray, values: np.ndarray, lo: np.ndarray, length: np.ndarray,
    log2: np.ndarray, *, largest: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """(index, value) of the extreme in ``[lo, lo + length)`` (length >= 1), earliest on
    ties: the value comes with it, so callers need no second gather of ``values``."""
    k = log2[length]
    # one gather from the flattened table: a (level, position) pair gather costs twice that
    flat = table.reshape(-1)
    row = k * table.shape[1]
    a = flat[row + lo]
    b = flat[row + (lo + length - (1 << k))]
    va, vb = values[a], values[b]
    keep_left = va >= vb if largest else va <= vb
    return np.where(keep_left, a, b), np.where(keep_left, va, vb)


def build_drawdown_table(values: np.ndarray, levels: int) -> np.ndarray:
    """float64 (levels, size): per level, in-half drawdown ratios (see module doc).

    ``size`` must be a multiple of ``2**levels``. Non-positive values give meaningless
    entries; the engine nulls drawdowns of windows that are not all positive.
    """
    size = len(values)
    table = np.empty((max(levels, 1), size), dtype=np.float64)
    table[0] = 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for k in range(levels):
            half = 1 << k
            blocks = values.reshape(-1, 2 * half)
            left, right = blocks[:, :half], blocks[:, half:]
            # left half: dd[i..mid) = min over s>=i of (min over t>=s of x_t) / x_s
            suffix_min = np.minimum.accumulate(left[:, ::-1], axis=1)[:, ::-1]
            left_dd = np.minimum.accumulate((suffix_min / left)[:, ::-1], axis=1)[:, ::-1]
            # right half: dd[mid..r] = min over t<=r of x_t / running max
            running_max = np.maximum.accumulate(right, axis=1)
            right_dd = np.minimum.accumulate(right / running_max, axis=1)
            level = table[k].reshape(-1, 2 * half)
            level[:, :half] = left_dd
            level[:, half:] = right_dd
    return table


def query_drawdown(
    table: np.ndarray, values: np.ndarray, min_table: np.ndarray, max_table: np.ndarray,
    lo: np.ndarray, hi_incl: np.ndarray, log2: np.ndarray,
) -> np.ndarray:
    """Drawdown ratio ``min x_t / x_s (s <= t)`` over ``[lo, hi_incl]`` (1.0 for one point)."""
    diff = np.bitwise_xor(lo, hi_incl)
    single = diff == 0
    k = np.where(single, 0, log2[np.maximum(diff, 1)])
    mid = (hi_incl >> k) << k
    left_len = np.maximum(mid - lo, 1)
    right_len = np.maximum(hi_incl - mid + 1, 1)
    left_max = query_extreme(max_table, values, lo, left_len, log2, largest=True)[1]
    right_min = query_extreme(min_table, values, np.minimum(mid, hi_incl), right_len, log2,
                              largest=False)[1]
    with np.errstate(divide="ignore", invalid="ignore"):
        cross = right_min / left_max
    flat = table.reshape(-1)
    row = k * table.shape[1]
    ratio = np.minimum(np.minimum(flat[row + lo], flat[row + hi_incl]), cross)
    return np.where(single, 1.0, ratio)
