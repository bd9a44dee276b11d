"""Per-observation precomputations of one series (built once, indexed per window).

Everything here depends only on the window's LAST observation j (not on the window's
start), so the engine computes it for every j at construction and a window query is a
single gather:

- lookback bounds: the lookback of j is ``(date_j − L, date_j]`` with ``date_j − L`` the
  same day ``L`` months earlier (month arithmetic, clamped to month end);
- lookback count, mean and M2 (sum of squared deviations), by a canonical power-of-two
  block decomposition whose block statistics are merged with Chan et al.'s pairwise
  formula — no prefix-sum cancellation, so small-variance lookbacks stay accurate;
- lookback percentile counts (#values ≤ x_j), by a merge-sort tree built level by level
  with integer keys ``block * n_ranks + rank`` so each level is one sorted array and one
  ``searchsorted`` answers all j at once;
- highest/lowest since: the previous index with a value ≥ (≤) x_j, by binary lifting over
  a sparse table of maxima (minima), vectorised over all j.
"""

from __future__ import annotations

import numpy as np

from core.analytics.window import add_months


def lookback_starts(days: np.ndarray, months: int) -> np.ndarray:
    """For each j, the first index whose day is after ``day_j`` minus ``months`` months."""
    d = days.astype("datetime64[D]")
    edge = add_months(d, -months).astype(np.int64)
    return np.searchsorted(days, edge, side="right").astype(np.int64)


def _levels(n: int) -> int:
    return max(1, int(n).bit_length())


def range_stats(x: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[np.ndarray, ...]:
    """(count, mean, M2) of ``x[lo:hi]`` for every query pair, merged pairwise (stable)."""
    q = len(lo)
    cnt = np.zeros(q)
    mean = np.zeros(q)
    m2 = np.zeros(q)
    l, r = lo.astype(np.int64).copy(), hi.astype(np.int64).copy()
    node_n, node_mean, node_m2 = np.ones(len(x)), x.astype(np.float64), np.zeros(len(x))
    for _ in range(_levels(len(x)) + 1):
        active = l < r
        if not active.any():
            break
        for take_left in (True, False):
            if take_left:
                take = active & ((l & 1) == 1)
                idx = l
            else:
                take = (l < r) & ((r & 1) == 1)
                r = r - take
                idx = r
            idx_safe = np.minimum(idx, len(node_n) - 1)
            nb = np.where(take, node_n[idx_safe], 0.0)
            mb = node_mean[idx_safe]
            tot = cnt + nb
            with np.errstate(invalid="ignore", divide="ignore"):
                delta = mb - mean
                new_mean = mean + delta * (nb / tot)
                new_m2 = m2 + node_m2[idx_safe] + delta * delta * (cnt * nb / tot)
            mean = np.where(take, new_mean, mean)
            m2 = np.where(take, new_m2, m2)
            cnt = tot
            if take_left:
                l = l + take
        l >>= 1
        r >>= 1
        # next level's nodes: merge pairs (an odd tail pairs with an empty node)
        if len(node_n) % 2:
            node_n = np.append(node_n, 0.0)
            node_mean = np.append(node_mean, 0.0)
            node_m2 = np.append(node_m2, 0.0)
        na, nb2 = node_n[0::2], node_n[1::2]
        ma, mb2 = node_mean[0::2], node_mean[1::2]
        tot = na + nb2
        with np.errstate(invalid="ignore", divide="ignore"):
            delta = mb2 - ma
            merged_mean = np.where(tot > 0, ma + delta * np.where(tot > 0, nb2 / tot, 0), 0.0)
            merged_m2 = node_m2[0::2] + node_m2[1::2] + np.where(
                tot > 0, delta * delta * (na * nb2 / np.where(tot > 0, tot, 1)), 0.0
            )
        node_n, node_mean, node_m2 = tot, merged_mean, merged_m2
    return cnt, mean, m2


def range_le_counts(x: np.ndarray, lo: np.ndarray, hi: np.ndarray,
                    thresholds: np.ndarray) -> np.ndarray:
    """#{i in [lo, hi): x_i <= threshold} per query (exact), via a merge-sort tree."""
    n = len(x)
    uniq = np.unique(x)
    n_ranks = len(uniq) + 1
    rank = np.searchsorted(uniq, x)  # x_i <= t  <=>  rank_i <= searchsorted(uniq, t, 'right') - 1
    q_rank = np.searchsorted(uniq, thresholds, side="right") - 1
    count = np.zeros(len(lo), dtype=np.int64)
    positions = np.arange(n, dtype=np.int64)
    for level in range(_levels(n) + 1):
        block = positions >> level
        keys = np.sort(block * n_ranks + rank)
        for p, sign in ((hi, 1), (lo, -1)):
            has_bit = ((p >> level) & 1) == 1
            bid = (p >> level) - 1
            found = np.searchsorted(keys, bid * n_ranks + q_rank, side="right") - (bid << level)
            count += sign * np.where(has_bit & (q_rank >= 0), found, 0)
    return count


def previous_reaching(x: np.ndarray, *, above: bool) -> np.ndarray:
    """For each j, the latest i < j with x_i >= x_j (``above``) or x_i <= x_j; -1 if none."""
    n = len(x)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    levels = _levels(n)
    # sparse table of block extremes: ext[k][i] = max (min) of x[i : i + 2**k]
    ext = [x.astype(np.float64)]
    for k in range(1, levels):
        prev, half = ext[-1], 1 << (k - 1)
        cur = prev.copy()
        cur[: n - half] = (np.maximum if above else np.minimum)(prev[: n - half], prev[half:])
        ext.append(cur)
    p = np.arange(n, dtype=np.int64)  # search boundary: answer is in [0, p)
    for k in range(levels - 1, -1, -1):
        step = 1 << k
        start = p - step
        ok = start >= 0
        block = ext[k][np.maximum(start, 0)]
        short_of = block < x if above else block > x  # whole block misses x_j: skip it
        p = np.where(ok & short_of, start, p)
    cand = p - 1
    valid = cand >= 0
    hit = x[np.maximum(cand, 0)] >= x if above else x[np.maximum(cand, 0)] <= x
    return np.where(valid & hit, cand, -1)
