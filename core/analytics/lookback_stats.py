"""Per-observation precomputations (built once, indexed per window), for every series at
once on the engine's flat layout: a few numpy calls per level, not a Python loop per
series (six real CFTC files and some prices, 3,900 series: the engine builds in 1.1 s,
3.8 s with a loop per series).

Everything here depends only on the window's LAST observation j (not on the window's
start), so the engine computes it for every j at construction and a window query is a
single gather. Every query range lies inside one series, so the structures may span the
whole flat array:

- lookback bounds: the lookback of j is ``(date_j − L, date_j]`` with ``date_j − L`` the
  same day ``L`` months earlier (month arithmetic, clamped to month end);
- lookback count, mean and M2 (sum of squared deviations), by a canonical power-of-two
  block decomposition whose block statistics are merged with Chan et al.'s pairwise
  formula — no prefix-sum cancellation, so small-variance lookbacks stay accurate;
- lookback percentile counts (#values ≤ x_j), by a merge-sort tree built level by level
  with integer keys ``block * n_ranks + rank`` so each level is one sorted array and one
  ``searchsorted`` answers all j at once;
- highest/lowest since: the previous index with a value ≥ (≤) x_j, by binary lifting over
  the engine's sparse table of arg-maxima (arg-minima), vectorised over all j.
"""

from __future__ import annotations

import numpy as np

from core.analytics.flat_layout import Layout
from core.analytics.window import add_months


def lookback_starts(lay: Layout, real: np.ndarray, owner: np.ndarray, months: int) -> np.ndarray:
    """For each observation (flat index ``real``, of series ``owner``), the flat index of
    the first observation of the same series dated after its day minus ``months`` months:
    one ``searchsorted`` over the layout's globally sorted keys."""
    edge = add_months(lay.days[real].astype("datetime64[D]"), -months).astype(np.int64)
    # offset 0 is below every real day of the series and above every earlier series' key
    key = lay.key_base[owner] + np.maximum(edge - lay.day0 + 1, 0)
    return np.searchsorted(lay.keys, key, side="right").astype(np.int64)


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
                    thresholds: np.ndarray, bits: np.ndarray | None = None) -> np.ndarray:
    """#{i in [lo, hi): x_i <= threshold} per query (exact), via a merge-sort tree: a
    prefix count ``[0, p)`` is the sum of the blocks of p's set bits. With ``bits``, query
    q's ``lo`` and ``hi`` lie in one block of ``2**bits[q]`` aligned at a multiple of it,
    and only its levels below ``bits[q]`` are counted (prefixes from that block's start):
    on the engine's aligned layout a series needs the levels of its own length only."""
    n = len(x)
    uniq = np.unique(x)
    n_ranks = len(uniq) + 1
    rank = np.searchsorted(uniq, x)  # x_i <= t  <=>  rank_i <= searchsorted(uniq, t, 'right') - 1
    q_rank = np.searchsorted(uniq, thresholds, side="right") - 1
    count = np.zeros(len(lo), dtype=np.int64)
    positions = np.arange(n, dtype=np.int64)
    top = _levels(n) + 1 if bits is None else int(bits.max(initial=0))
    keys = positions * n_ranks + rank  # level 0: one element per block, already sorted
    for level in range(top):
        if level:
            # the previous level's sorted blocks, paired: sorted runs that a stable
            # (timsort) sort merges in linear time per level, ~5x faster than sorting
            # every level afresh (the engine build of 5M observations: 6.5 s of sorts)
            keys = ((keys // n_ranks) >> 1) * n_ranks + keys % n_ranks
            keys.sort(kind="stable")
        counted = q_rank >= 0 if bits is None else (q_rank >= 0) & (level < bits)
        for p, sign in ((hi, 1), (lo, -1)):
            sel = np.flatnonzero((((p >> level) & 1) == 1) & counted)  # half, on average
            bid = (p[sel] >> level) - 1
            found = np.searchsorted(keys, bid * n_ranks + q_rank[sel], side="right")
            count[sel] += sign * (found - (bid << level))
    return count


def previous_reaching(values: np.ndarray, arg_table: np.ndarray, real: np.ndarray,
                      first: np.ndarray, *, above: bool) -> np.ndarray:
    """For each observation (flat index ``real``; its series starts at flat ``first``),
    the flat index of the latest earlier observation of the same series with a value
    >= (``above``) or <= its own; -1 if none. Binary lifting over the engine's arg-max
    (arg-min) sparse table of the flat layout, all series at once: a block that misses
    x_j entirely is skipped, so the search ends just after the latest index that reaches
    it -- which, when it lies before the series, means none does."""
    x = values[real]
    p = real.astype(np.int64).copy()  # the answer is below p
    for k in range(len(arg_table) - 1, -1, -1):
        start = p - (1 << k)
        ok = start >= 0
        extreme = values[arg_table[k, np.maximum(start, 0)]]  # of values[start:p]
        misses = extreme < x if above else extreme > x
        p = np.where(ok & misses, start, p)
    cand = p - 1
    safe = np.maximum(cand, 0)
    hit = values[safe] >= x if above else values[safe] <= x
    return np.where((cand >= first) & hit, cand, -1)
