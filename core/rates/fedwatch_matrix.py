"""The FedWatch matrix: upcoming meetings x 25 bp target ranges, the probability of each
range after each meeting, as CME FedWatch users read it.

Built from the chained distribution ``fedwatch`` computes (or from the ``report_block``
dict that carries it, so a view that already has the block prices nothing again). Only
meetings whose distribution could be chained are rows; the grid of ranges runs from the
lowest to the highest range with any probability, always including today's range.
The expected target after a meeting is the probability-weighted midpoint of the ranges,
so a step plot of it is the implied path of the target.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.rates.fedwatch import FedWatchResult
from core.rates.odds import STEP, quarter_key, quarters


@dataclass(frozen=True)
class FedWatchMatrix:
    """Probabilities[meeting, range] at one date; ranges by lower bound (percent)."""

    asof: np.datetime64
    meetings: np.ndarray  # datetime64[D], ascending
    lower_bounds: np.ndarray  # float, ascending, 25 bp apart
    probabilities: np.ndarray  # (len(meetings), len(lower_bounds)), rows sum to 1
    current_range: tuple[float, float] | None
    implied_rates: np.ndarray  # futures-implied rate after each meeting (r_end), percent

    @property
    def ranges(self) -> list[tuple[float, float]]:
        return [(float(lo), float(lo) + STEP) for lo in self.lower_bounds]

    @property
    def range_labels(self) -> list[str]:
        """``"4.00-4.25"`` per column."""
        return [f"{lo:.2f}-{hi:.2f}" for lo, hi in self.ranges]

    @property
    def current_column(self) -> int | None:
        """Column of today's range, or None when the range is unknown."""
        if self.current_range is None:
            return None
        hits = np.flatnonzero(np.isclose(self.lower_bounds, self.current_range[0]))
        return int(hits[0]) if len(hits) else None

    @property
    def expected_rates(self) -> np.ndarray:
        """Probability-weighted midpoint of the target range after each meeting."""
        if not len(self.meetings):
            return np.array([], dtype=np.float64)
        return self.probabilities @ (self.lower_bounds + STEP / 2)

    @property
    def p_lower_than_now(self) -> np.ndarray:
        """Cumulative probability of a range below today's after each meeting (NaN if
        today's range is unknown)."""
        return self._sum_where(lambda q, now: q < now)

    @property
    def p_higher_than_now(self) -> np.ndarray:
        return self._sum_where(lambda q, now: q > now)

    def row(self, meeting: np.datetime64 | str) -> dict[str, float] | None:
        """``{"4.00": p, ...}`` after one meeting (only non-zero cells), or None."""
        hits = np.flatnonzero(self.meetings == np.datetime64(meeting, "D"))
        if not len(hits):
            return None
        cells = zip(self.lower_bounds, self.probabilities[hits[0]], strict=True)
        return {f"{lo:.2f}": float(p) for lo, p in cells if p > 0}

    def _sum_where(self, keep) -> np.ndarray:
        if self.current_range is None:
            return np.full(len(self.meetings), np.nan)
        q = np.rint(self.lower_bounds / STEP).astype(int)
        total = self.probabilities[:, keep(q, quarters(self.current_range[0]))].sum(axis=1)
        # a meeting not priced (a NaN row of a comparison) has no odds, not zero odds
        return np.where(np.isnan(self.probabilities).all(axis=1), np.nan, total) \
            if self.probabilities.shape[1] else total


@dataclass(frozen=True)
class MatrixComparison:
    """Matrix A and matrix B (an earlier date) on one grid: A's meetings, the union of
    both ranges. ``b`` is NaN on a meeting B does not price; ``difference`` is A - B."""

    a: FedWatchMatrix
    b: FedWatchMatrix  # reindexed to a's meetings and the shared ranges
    difference: np.ndarray  # percentage points / 100 (same unit as probabilities)


def fedwatch_matrix(result: FedWatchResult) -> FedWatchMatrix:
    """The matrix of one ``fedwatch`` result (meetings with a chained distribution)."""
    rows = [(m.meeting, m.distribution, m.r_end) for m in result.meetings
            if m.distribution is not None]
    return _build(result.asof, rows, result.current_range)


def matrix_from_block(block: dict | None) -> FedWatchMatrix | None:
    """The matrix from a ``report_block`` dict (``meetings[*].distribution``); None for
    no block. Probabilities there are rounded to 6 decimals."""
    if not block:
        return None
    rows = [(np.datetime64(m["meeting"], "D"), m["distribution"], m.get("implied_rate"))
            for m in block.get("meetings") or [] if m.get("distribution")]
    current = block.get("current_range")
    current = (float(current[0]), float(current[1])) if current else None
    return _build(np.datetime64(block["asof"], "D"), rows, current)


def compare_matrices(a: FedWatchMatrix, b: FedWatchMatrix) -> MatrixComparison:
    """B on A's grid: A's meetings (B's rows for meetings already decided by A's date are
    dropped), ranges of both; meetings B does not price are NaN rows."""
    lows = _grid(np.r_[a.lower_bounds, b.lower_bounds])
    a_grid = _reindex(a, a.meetings, lows)
    b_grid = _reindex(b, a.meetings, lows)
    return MatrixComparison(a_grid, b_grid, a_grid.probabilities - b_grid.probabilities)


def _build(asof, rows, current_range) -> FedWatchMatrix:
    # a range with no probability (a report block rounds tiny ones to 0) gets no column
    bounds = [quarters(float(k)) for _, dist, _ in rows for k, p in dist.items() if p > 0]
    if current_range is not None:
        bounds.append(quarters(current_range[0]))
    lows = _grid(np.array(bounds, dtype=np.float64) * STEP)
    index = {quarter_key(quarters(lo)): j for j, lo in enumerate(lows)}
    probabilities = np.zeros((len(rows), len(lows)))
    for i, (_, dist, _) in enumerate(rows):
        for key, p in dist.items():
            if p > 0:
                probabilities[i, index[quarter_key(quarters(float(key)))]] += p
    return FedWatchMatrix(
        asof=np.datetime64(asof, "D"),
        meetings=np.array([m for m, _, _ in rows], dtype="datetime64[D]"),
        lower_bounds=lows,
        probabilities=probabilities,
        current_range=current_range,
        implied_rates=np.array([np.nan if r is None else float(r) for _, _, r in rows]),
    )


def _grid(lower_bounds: np.ndarray) -> np.ndarray:
    """Every 25 bp lower bound from the lowest to the highest given."""
    if not len(lower_bounds):
        return np.array([], dtype=np.float64)
    q = np.rint(np.asarray(lower_bounds) / STEP).astype(int)
    return np.arange(q.min(), q.max() + 1) * STEP


def _reindex(m: FedWatchMatrix, meetings: np.ndarray, lows: np.ndarray) -> FedWatchMatrix:
    probabilities = np.full((len(meetings), len(lows)), np.nan)
    implied = np.full(len(meetings), np.nan)
    col = {quarters(lo): j for j, lo in enumerate(lows)}
    cols = [col[quarters(lo)] for lo in m.lower_bounds]
    for i, meeting in enumerate(meetings):
        hits = np.flatnonzero(m.meetings == meeting)
        if len(hits):
            probabilities[i] = 0.0
            probabilities[i, cols] = m.probabilities[hits[0]]
            implied[i] = m.implied_rates[hits[0]]
    return FedWatchMatrix(m.asof, np.asarray(meetings, "datetime64[D]"), lows, probabilities,
                          m.current_range, implied)
