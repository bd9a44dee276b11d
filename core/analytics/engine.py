"""The window engine: every figure of a date window for every series, fast enough to drag.

Construction precomputes, per series and once (``set_lookback``/``set_alignment`` redo it):
the flat layout (``layout.py``), arg-min/arg-max sparse tables and the drawdown table
(``rangeq.py``), prefix sums of centred log returns and their squares, and the
per-observation lookback figures and highest/lowest-since dates (``lookback_stats.py``).

A window query is then one block lookup of every series' bounds and a fixed number
of vectorised gathers — O(1) per series, nothing proportional to the window or the
history is allocated. The one exception is the volatility's accuracy guard: when the
prefix-sum variance of a window could have lost more than ~1e-10 of its relative
accuracy to cancellation (windows of a handful of nearly equal returns), that series'
volatility is recomputed directly from the window's own returns (O(window)).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from core.analytics import lookback_stats
from core.analytics.align import as_of_indices, base_days, expanding_rank
from core.analytics.figures import FIGURE_INDEX, FIGURE_NAMES
from core.analytics.flat_layout import Layout, build_layout
from core.analytics.rangeq import (
    build_arg_table,
    build_drawdown_table,
    log2_table,
    query_drawdown,
    query_extreme,
)
from core.analytics.results import Comparison, FigureTable, GapResult, RelativeResult
from core.analytics.window import Window
from core.series import Series

_F = FIGURE_INDEX
_EPS = np.finfo(np.float64).eps
_VOL_GUARD = 8.0 * _EPS * 1e10  # fall back when the estimated relative error > 1e-10
_RECENT_WINDOWS = 4  # figure tables kept for windows asked for again (B during an A drag)
_SHORT_WINDOW = 256  # windows up to this many observations: vectorised exact fallback
ALIGNMENTS = ("asof", "publication")


def lookback_months(years: float) -> int:
    months = round(float(years) * 12)
    if months < 1:
        raise ValueError(f"lookback of {years} years is shorter than a month")
    return months


def observations(series: Series, alignment: str) -> tuple[np.ndarray, np.ndarray]:
    """(int64 days, float64 values) the engine uses: NaN dropped; with ``publication``
    dates, the publication dates (if two observations become known the same day, the
    later as-of observation is kept: it is what was known that day)."""
    if alignment not in ALIGNMENTS:
        raise ValueError(f"alignment must be one of {ALIGNMENTS}, not {alignment!r}")
    dates = series.publication_dates() if alignment == "publication" else series.dates
    days = np.asarray(dates).astype("datetime64[D]").astype(np.int64)
    values = np.asarray(series.values, dtype=np.float64)
    keep = np.isfinite(values)
    days, values = days[keep], values[keep]
    if len(days) > 1 and not np.all(np.diff(days) > 0):
        last = np.append(days[1:] != days[:-1], True)
        days, values = days[last], values[last]
    return days, values


def periods_per_year(series: Series, days: np.ndarray) -> float:
    ppy = series.frequency.periods_per_year
    if ppy is not None:
        return float(ppy)
    if len(days) < 2:
        return float("nan")
    return 365.25 / float(np.median(np.diff(days)))


def relative_result(a_id: str, b_id: str, window: Window, return_a: float | None,
                    return_b: float | None, a: tuple[np.ndarray, np.ndarray],
                    b: tuple[np.ndarray, np.ndarray]) -> RelativeResult:
    """Relative performance of a over b from the two window returns, and the as-of ratio
    line over the window rebased to 100 (``a``/``b``: (int64 days, values) as the engine
    sees them). One function for an engine and for a set of engines, whose two series
    may live in different shards."""
    rel = None
    if return_a is not None and return_b is not None:
        rel = 100.0 * ((1.0 + return_a / 100.0) / (1.0 + return_b / 100.0) - 1.0)
    (days_a, values_a), (days_b, values_b) = a, b
    start, end = int(window.start.astype(np.int64)), int(window.end.astype(np.int64))
    on = base_days(days_a, days_b, start, end)
    pa, pb = as_of_indices(days_a, on), as_of_indices(days_b, on)
    keep = (pa >= 0) & (pb >= 0)
    on, pa, pb = on[keep], pa[keep], pb[keep]
    with np.errstate(divide="ignore", invalid="ignore"):
        va, vb = values_a[pa], values_b[pb]
        ratio = np.where((va > 0) & (vb > 0), va / vb, np.nan)
        line = 100.0 * ratio / ratio[0] if len(ratio) else ratio
    return RelativeResult(a_id, b_id, window, rel, on.astype("datetime64[D]"), line)


def gap_arrays(small: tuple[np.ndarray, np.ndarray], tech: tuple[np.ndarray, np.ndarray]
               ) -> tuple[np.ndarray, ...]:
    """(days int64, gap, percentile to date, is_record) of z_tech − z_small, each series'
    z-score taken as of each date (``small``/``tech``: (int64 days, z) per observation)."""
    (days_s, z_s), (days_t, z_t) = small, tech
    on = base_days(days_s, days_t, None, None)
    ps, pt = as_of_indices(days_s, on), as_of_indices(days_t, on)
    zs = np.where(ps >= 0, z_s[np.maximum(ps, 0)] if len(z_s) else np.nan, np.nan)
    zt = np.where(pt >= 0, z_t[np.maximum(pt, 0)] if len(z_t) else np.nan, np.nan)
    g = zt - zs
    keep = np.isfinite(g)
    on, g = on[keep], g[keep]
    pct, record = expanding_rank(g)
    for arr in (on, g, pct, record):
        arr.flags.writeable = False
    return on, g, pct, record


def gap_result(small_id: str, tech_id: str, window: Window,
               arrays: tuple[np.ndarray, ...]) -> GapResult:
    """The gap at the window's last date with the whole line (``arrays``: gap_arrays)."""
    on, g, pct, record = arrays
    lo = int(np.searchsorted(on, int(window.start.astype(np.int64)), side="left"))
    hi = int(np.searchsorted(on, int(window.end.astype(np.int64)), side="right"))
    dates = on.astype("datetime64[D]")
    if hi <= lo:
        return GapResult(small_id, tech_id, window, None, None, None, None, dates, g, lo, hi)
    t = hi - 1
    return GapResult(small_id, tech_id, window, dates[t], float(g[t]), float(pct[t]),
                     bool(record[t]) if t > 0 else None, dates, g, lo, hi)


class WindowEngine:
    def __init__(self, series: Sequence[Series], *, lookback_years: float = 3.0,
                 alignment: str = "asof") -> None:
        self._series = list(series)
        self.series_ids: tuple[str, ...] = tuple(s.id for s in self._series)
        if len(set(self.series_ids)) != len(self.series_ids):
            raise ValueError("series ids must be unique")
        self._index = {sid: i for i, sid in enumerate(self.series_ids)}
        self._months = lookback_months(lookback_years)
        self._lookback_years = float(lookback_years)
        self._alignment = alignment
        self._build()

    # -- configuration ------------------------------------------------------------
    @property
    def lookback_years(self) -> float:
        return self._lookback_years

    @property
    def alignment(self) -> str:
        return self._alignment

    def set_lookback(self, years: float) -> None:
        self._months = lookback_months(years)
        self._lookback_years = float(years)
        self._build_lookback()

    def set_alignment(self, mode: str) -> None:
        if mode not in ALIGNMENTS:
            raise ValueError(f"alignment must be one of {ALIGNMENTS}, not {mode!r}")
        self._alignment = mode
        self._build()

    def series(self, series_id: str) -> Series:
        return self._series[self._index[series_id]]

    def observations(self, series_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(datetime64[D] dates, values) as the engine sees them (alignment, NaN dropped)."""
        i = self._index[series_id]
        return self._days[i].astype("datetime64[D]"), self._values[i]

    def day_observations(self, series_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(int64 days, values) as the engine holds them (no copy)."""
        i = self._index[series_id]
        return self._days[i], self._values[i]

    def nbytes(self) -> int:
        """Memory held by the precomputed arrays (for the benchmark's table)."""
        return sum(v.nbytes for v in vars(self).values() if isinstance(v, np.ndarray)) + sum(
            a.nbytes for a in vars(self._layout).values() if isinstance(a, np.ndarray))

    # -- precomputation -------------------------------------------------------------
    def _build(self) -> None:
        obs = [observations(s, self._alignment) for s in self._series]
        self._days = [d for d, _ in obs]
        self._values = [v for _, v in obs]
        lay = build_layout(self._days, self._values)
        self._layout: Layout = lay
        lengths = lay.lengths
        max_len = int(lengths.max()) if len(lengths) else 0
        self._log2 = log2_table(max(max_len, lay.max_chunk) + 1)
        arg_levels = int(self._log2[max(max_len, 1)]) + 1
        self._min_table = build_arg_table(lay.values, arg_levels, largest=False)
        self._max_table = build_arg_table(lay.values, arg_levels, largest=True)
        dd_levels = max(1, int(self._log2[lay.max_chunk]))
        self._dd_table = build_drawdown_table(lay.values, dd_levels)
        self._flat_days = lay.days.astype(np.float64)
        self._ppy = np.array([periods_per_year(s, d) for s, d in zip(self._series, self._days,
                                                                      strict=True)])
        # Prefix sums of log returns and their squares, not re-centred: log returns are
        # centred near zero already, and a centring constant computed from the whole
        # series would let later observations into earlier windows' rounding. The
        # accuracy guard in _vol covers the rare ill-conditioned window.
        c1, c2, pos = [], [], []
        for x in self._values:
            r = np.zeros(len(x))
            if len(x) > 1:
                with np.errstate(divide="ignore", invalid="ignore"):
                    step = np.log(x[1:] / x[:-1])
                r[1:] = np.where((x[1:] > 0) & (x[:-1] > 0), step, 0.0)
            c1.append(np.cumsum(r))
            c2.append(np.cumsum(r * r))
            pos.append(np.sqrt(np.arange(1, len(x) + 1, dtype=np.float64)))
        self._c1 = lay.scatter(c1, 0.0)
        self._c2 = lay.scatter(c2, 0.0)
        self._sqrt_pos = lay.scatter(pos, 1.0)
        # every observation's flat index, its series, and where that series starts
        self._owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        first = np.repeat(lay.offsets, lengths)
        self._real = first + (np.arange(int(lengths.sum()), dtype=np.int64)
                              - np.repeat(np.cumsum(lengths) - lengths, lengths))
        for name, table, above in (("_highest_since", self._max_table, True),
                                   ("_lowest_since", self._min_table, False)):
            prev = lookback_stats.previous_reaching(lay.values, table, self._real, first, above=above)
            since = np.full(lay.size, np.nan)
            since[self._real] = np.where(prev >= 0, self._flat_days[np.maximum(prev, 0)], np.nan)
            setattr(self, name, since)
        self._build_lookback()

    def _build_lookback(self) -> None:
        lay, real = self._layout, self._real
        lo = lookback_stats.lookback_starts(lay, real, self._owner, self._months)
        # on the aligned layout each series' blocks merge as they would alone, so its
        # figures do not depend, even in the last bit, on which other series are loaded
        cnt, mean, m2 = lookback_stats.range_stats(lay.values, lo, real + 1)
        # #{lookback values <= x_j}: x_j itself, plus those in [lo, j) -- which lie in
        # j's chunk, so only the levels of that chunk's length are needed
        x = lay.values[real]
        chunk_bits = np.repeat(np.array([int(n - 1).bit_length() for n in lay.lengths],
                                        dtype=np.int64), lay.lengths)
        le = 1 + lookback_stats.range_le_counts(lay.values, lo, real, x, chunk_bits)
        with np.errstate(divide="ignore", invalid="ignore"):
            std = np.where(cnt >= 2, np.sqrt(m2 / (cnt - 1)), np.nan)
            z = np.where((cnt >= 2) & (m2 > 0), (x - mean) / std, np.nan)
            pct = 100.0 * le / cnt
        for name, per_obs in (("_lb_mean", mean), ("_lb_std", std), ("_zscore", z),
                              ("_percentile", pct)):
            flat = np.full(lay.size, np.nan)
            flat[real] = per_obs
            setattr(self, name, flat)
        self._gap_cache: dict[tuple[str, str], tuple[np.ndarray, ...]] = {}
        # the last few windows' tables: while A is dragged B stays put (and the note asks
        # for A's table again), so most calls repeat a window seen a moment ago
        self._recent: dict[tuple[int, int], FigureTable] = {}

    # -- queries --------------------------------------------------------------------
    def figures(self, window: Window) -> FigureTable:
        """Every figure of ``window`` for every series (see figures.py / DOMAIN.md)."""
        start_day = int(window.start.astype(np.int64))
        end_day = int(window.end.astype(np.int64))
        key = (start_day, end_day)
        table = self._recent.pop(key, None)  # re-inserted below: least recently used goes
        if table is None:
            table = self._figures(window, start_day, end_day)  # read-only: safe to share
            if len(self._recent) >= _RECENT_WINDOWS:
                del self._recent[next(iter(self._recent))]
        self._recent[key] = table
        return table

    def _figures(self, window: Window, start_day: int, end_day: int) -> FigureTable:
        lay = self._layout
        lo, hi = lay.bounds(start_day, end_day)
        n = hi - lo
        has = n > 0
        length = np.maximum(n, 1)
        j = lo + length - 1
        x = lay.values
        days = self._flat_days
        log2 = self._log2
        out = np.empty((len(self.series_ids), len(FIGURE_NAMES)))
        sv, ev = x[lo], x[j]
        amin, mn = query_extreme(self._min_table, x, lo, length, log2, largest=False)
        amax, mx = query_extreme(self._max_table, x, lo, length, log2, largest=True)
        positive = mn > 0
        out[:, _F["start_date"]] = days[lo]
        out[:, _F["start_value"]] = sv
        out[:, _F["end_date"]] = days[j]
        out[:, _F["end_value"]] = ev
        out[:, _F["change"]] = ev - sv
        out[:, _F["min"]] = mn
        out[:, _F["min_date"]] = days[amin]
        out[:, _F["max"]] = mx
        out[:, _F["max_date"]] = days[amax]
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            out[:, _F["return_pct"]] = np.where(positive, 100.0 * (ev / sv - 1.0), np.nan)
            out[:, _F["rally_from_low_pct"]] = np.where(positive, 100.0 * (ev / mn - 1.0), np.nan)
            out[:, _F["off_high_pct"]] = np.where(positive, 100.0 * (ev / mx - 1.0), np.nan)
            ratio = query_drawdown(self._dd_table, x, self._min_table, self._max_table, lo, j,
                                   log2)
            out[:, _F["max_drawdown_pct"]] = np.where(positive, 100.0 * (ratio - 1.0), np.nan)
            out[:, _F["vol_ann_pct"]] = self._vol(lo, j, n, positive, mn == mx)
        out[:, _F["percentile"]] = self._percentile[j]
        out[:, _F["zscore"]] = self._zscore[j]
        out[:, _F["highest_since"]] = self._highest_since[j]
        out[:, _F["lowest_since"]] = self._lowest_since[j]
        out[:, _F["count"]] = n
        out[:, _F["lookback_mean"]] = self._lb_mean[j]
        out[:, _F["lookback_std"]] = self._lb_std[j]
        if not has.all():
            out[~has] = np.nan
            out[~has, _F["count"]] = 0.0
        return FigureTable(window, self.series_ids, out, _row=self._index)

    def _vol(self, lo: np.ndarray, j: np.ndarray, n: np.ndarray,
             positive: np.ndarray, constant: np.ndarray) -> np.ndarray:
        m = np.maximum(n - 1, 1).astype(np.float64)  # returns in the window
        c1j, c1i, c2j, c2i = self._c1[j], self._c1[lo], self._c2[j], self._c2[lo]
        s1 = c1j - c1i
        m2 = (c2j - c2i) - s1 * s1 / m
        ok = positive & (n >= 3)
        # rounding error of a prefix sum after k terms ~ sqrt(k) * eps * its magnitude;
        # sum |r| <= sqrt(k * sum r^2) bounds the first sums' magnitude
        root_k = self._sqrt_pos[j]
        err = root_k * ((c2j + c2i) + 2.0 * np.abs(s1) / m * root_k * np.sqrt(c2j))
        vol = np.sqrt(np.maximum(m2, 0.0) / np.maximum(m - 1.0, 1.0) * self._ppy) * 100.0
        doubtful = np.flatnonzero(ok & (m2 <= _VOL_GUARD * err))
        # a constant window's returns are all log(1) = 0, so its exact volatility needs no
        # pass over the window (weekly long/short series sit still for years)
        still = constant[doubtful]
        if still.any():
            vol[doubtful[still]] = np.sqrt(0.0 * self._ppy[doubtful[still]]) * 100.0
            doubtful = doubtful[~still]
        if len(doubtful):
            vol[doubtful] = self._exact_vol(lo[doubtful], n[doubtful], doubtful)
        return np.where(ok, vol, np.nan)

    def _exact_vol(self, lo: np.ndarray, n: np.ndarray, rows: np.ndarray) -> np.ndarray:
        """Two-pass volatility from the windows' own returns (the accuracy fallback).
        Short windows (the usual case) in one padded gather, long ones one by one."""
        x = self._layout.values
        out = np.empty(len(rows))
        short = n <= _SHORT_WINDOW
        if short.any():
            width = int(n[short].max())
            steps = np.arange(width)
            valid = steps[None, :] < n[short, None]
            idx = lo[short, None] + np.where(valid, steps[None, :], 0)
            w = x[idx]
            r = np.log(w[:, 1:] / w[:, :-1])
            rv = valid[:, 1:]
            m = (n[short] - 1).astype(np.float64)
            mean = np.where(rv, r, 0.0).sum(axis=1) / m
            dev = np.where(rv, r - mean[:, None], 0.0)
            out[short] = np.sqrt((dev * dev).sum(axis=1) / (m - 1.0) * self._ppy[rows[short]])
        for k in np.flatnonzero(~short):
            w = x[int(lo[k]) : int(lo[k] + n[k])]
            r = np.log(w[1:] / w[:-1])
            # np.var(r, ddof=1)'s own steps, without its per-call overhead (same bits)
            dev = r - np.add.reduce(r) / len(r)
            out[k] = np.sqrt(np.add.reduce(dev * dev) / (len(r) - 1) * self._ppy[rows[k]])
        return out * 100.0

    def compare(self, a: Window, b: Window | None) -> Comparison:
        return Comparison.of(self.figures(a), None if b is None else self.figures(b))

    def relative(self, a_id: str, b_id: str, window: Window) -> RelativeResult:
        """Relative performance of a over b, and the as-of ratio line rebased to 100."""
        table = self.figures(window)
        return relative_result(a_id, b_id, window, table.value(a_id, "return_pct"),
                               table.value(b_id, "return_pct"), self.day_observations(a_id),
                               self.day_observations(b_id))

    def zscores(self, series_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(int64 days, z-score over the lookback) of every observation (read-only views)."""
        i = self._index[series_id]
        start = int(self._layout.offsets[i])
        z = self._zscore[start:start + int(self._layout.lengths[i])]
        z.flags.writeable = False
        return self._days[i], z

    def gap_series(self, small_id: str, tech_id: str) -> tuple[np.ndarray, ...]:
        """(days int64, gap, percentile to date, is_record) of z_tech − z_small; cached."""
        key = (small_id, tech_id)
        if key not in self._gap_cache:
            self._gap_cache[key] = gap_arrays(self.zscores(small_id), self.zscores(tech_id))
        return self._gap_cache[key]

    def gap(self, small_id: str, tech_id: str, window: Window) -> GapResult:
        return gap_result(small_id, tech_id, window, self.gap_series(small_id, tech_id))
