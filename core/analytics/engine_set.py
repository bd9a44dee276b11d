"""Window engines over parts of a large catalog, built a shard at a time.

A ``WindowEngine`` costs about 3.5 s per million observations to build and 0.5 kB per
observation to hold: 4,000 series of 20 years of business days (21 M observations) would
take over a minute and ~11 GB before the first figure. The set answers the same questions
as one engine over every series, but holds only the series built so far: the app builds
the ones on screen first (the checked series and the pairs the note and charts use),
paints, and fills in the rest off the GUI thread, shard by shard, up to an observation
budget; a series past the budget is built when it is asked for (checked). Tables list
the built series, in catalog order.

Figures do not depend on which shard a series is in: each series' figures are computed
on its own chunk of its engine's layout (``flat_layout``), the same numbers, bit for bit,
as in one engine over everything (tested).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from core.analytics.engine import (
    ALIGNMENTS,
    WindowEngine,
    gap_arrays,
    gap_result,
    lookback_months,
    observations,
    relative_result,
)
from core.analytics.figures import FIGURE_NAMES
from core.analytics.results import Comparison, FigureTable, GapResult, RelativeResult
from core.analytics.window import Window
from core.series import Series

DEFAULT_OBSERVATION_BUDGET = 8_000_000
"""Observations built in the background before the set waits to be asked (~4 GB of
engine arrays, ~30 s on one core): every CFTC TFF history since 2006 (~6 M) or ~1,500
series of 20 years of business days."""
FIRST_PAINT_OBSERVATIONS = 600_000
"""Up to this many observations in all (~2 s of build), everything is built before the
first paint; past it, the series on screen first (``priority_ids``)."""
SHARD_OBSERVATIONS = 400_000
"""The first background step (~1.3 s of build on one core). Each later shard is as large
as all built before it, so the shards stay few (about log2 of the catalog over this:
~6 for every TFF history) - each costs ~0.07 ms more per window query (its own
searchsorted and gathers) - while the first ones arrive within seconds."""
_RECENT_WINDOWS = 4


def observation_budget() -> int:
    """``GAPWATCH_ENGINE_OBSERVATIONS`` overrides the default (0 = no background fill)."""
    raw = os.environ.get("GAPWATCH_ENGINE_OBSERVATIONS", "").strip()
    try:
        return max(int(raw), 0) if raw else DEFAULT_OBSERVATION_BUDGET
    except ValueError:
        return DEFAULT_OBSERVATION_BUDGET


def priority_ids(series: Sequence[Series], checked: Iterable[str]) -> list[str]:
    """The series the first paint needs: the checked ones (or the default view's), the
    pairs the relative lines and the gap use, and every series of the desk's markets
    (small caps, large caps, tech: what the note speaks of)."""
    from core.markets import ASSETS, asset_of, choose_pairs, default_checked

    items = [s for s in series if len(s)]
    known = {s.id for s in items}
    wanted = [sid for sid in checked if sid in known] or default_checked(items)
    chosen = choose_pairs(items)
    for a, b in chosen.relative:
        wanted += [a, b]
    if chosen.gap:
        wanted += list(chosen.gap)
    wanted += [s.id for s in items if asset_of(s) in ASSETS]
    return list(dict.fromkeys(wanted))


def finite_count(series: Series) -> int:
    """Observations of a series the engine keeps (its finite values: what its build costs)."""
    return int(np.isfinite(np.asarray(series.values, dtype=np.float64)).sum())


def first_build_ids(series: Sequence[Series], checked: Iterable[str]) -> list[str] | None:
    """What to build before the first paint: None (all of it) when it is small."""
    total = sum(finite_count(s) for s in series)
    return None if total <= FIRST_PAINT_OBSERVATIONS else priority_ids(series, checked)


class EngineSet:
    """``first``: the ids to build now (None: all of them, like one ``WindowEngine``)."""

    def __init__(self, series: Sequence[Series], *, lookback_years: float = 3.0,
                 alignment: str = "asof", first: Iterable[str] | None = None) -> None:
        self._all: dict[str, Series] = {}
        for s in series:
            if s.id in self._all:
                raise ValueError("series ids must be unique")
            self._all[s.id] = s
        self._order = {sid: i for i, sid in enumerate(self._all)}
        lookback_months(lookback_years)  # refuse a bad lookback before any work
        self._lookback_years = float(lookback_years)
        self._alignment = alignment
        self._shards: list[WindowEngine] = []
        self._shard_of: dict[str, WindowEngine] = {}
        self._counts: dict[str, int] = {}
        self._built_obs = 0
        self._layout_ids()
        wanted = list(self._all) if first is None else [i for i in first if i in self._all]
        if wanted:
            self.attach(self.build_shard(wanted))

    # -- what is built ------------------------------------------------------------------
    @property
    def series_ids(self) -> tuple[str, ...]:
        """The built series, in catalog order (the rows of every table)."""
        return self._ids

    @property
    def all_ids(self) -> tuple[str, ...]:
        return tuple(self._all)

    def pending_ids(self) -> list[str]:
        """Series not built yet, in catalog order."""
        return [sid for sid in self._all if sid not in self._shard_of]

    def is_built(self, series_id: str) -> bool:
        return series_id in self._shard_of

    @property
    def built_observations(self) -> int:
        return self._built_obs

    def observation_count(self, series_id: str) -> int:
        """Observations of a series (its finite values: what its build costs)."""
        n = self._counts.get(series_id)
        if n is None:
            n = self._counts[series_id] = finite_count(self._all[series_id])
        return n

    def next_shard(self, budget: int, *, first: Iterable[str] = (),
                   size: int | None = None) -> list[str]:
        """The next ids to build: ``first`` (the checked series) whatever the budget,
        then catalog order while the built observations stay within ``budget``; at
        most ``size`` observations per shard (at least one series; default: as many as
        are built, at least ``SHARD_OBSERVATIONS``)."""
        size = max(SHARD_OBSERVATIONS, self._built_obs) if size is None else size
        first_pending = [sid for sid in first if sid in self._all and sid not in self._shard_of]
        chosen, total = [], 0
        for sid in dict.fromkeys(first_pending):
            n = self.observation_count(sid)
            if chosen and total + n > size:
                return chosen
            chosen.append(sid)
            total += n
        if chosen:
            return chosen
        room = budget - self._built_obs
        for sid in self.pending_ids():
            n = self.observation_count(sid)
            if n > room or (chosen and total + n > size):
                break
            chosen.append(sid)
            total += n
            room -= n
        return chosen

    def build_shard(self, ids: Iterable[str]) -> WindowEngine:
        """An engine over ``ids`` not built yet, with the set's lookback and alignment
        (``attach`` adds it). Off the GUI thread, take ``shard_series`` on it and build
        the engine from those on the worker: nothing of the set is read there."""
        return self._engine_over(self.shard_series(ids))

    def _engine_over(self, series: list[Series]) -> WindowEngine:
        return WindowEngine(series, lookback_years=self._lookback_years,
                            alignment=self._alignment)

    def shard_series(self, ids: Iterable[str]) -> list[Series]:
        """The series of ``ids`` not built yet (what a shard over them is built from)."""
        return [self._all[sid] for sid in dict.fromkeys(ids)
                if sid in self._all and sid not in self._shard_of]

    def attach(self, engine: WindowEngine) -> bool:
        """Add a built shard; False (nothing changes) when it was built for another
        lookback or alignment than the set's now, or holds a series built meanwhile."""
        if (engine.alignment != self._alignment
                or engine.lookback_years != self._lookback_years
                or any(sid in self._shard_of or sid not in self._all
                       for sid in engine.series_ids)):
            return False
        if not engine.series_ids:
            return True
        self._shards.append(engine)
        for sid in engine.series_ids:
            self._shard_of[sid] = engine
        self._built_obs += sum(len(engine.day_observations(sid)[0]) for sid in engine.series_ids)
        self._layout_ids()
        return True

    def ensure(self, ids: Iterable[str]) -> bool:
        """Build ``ids`` now if some are not (on the calling thread); True if it built."""
        missing = self.shard_series(ids)
        return bool(missing) and self.attach(self._engine_over(missing))

    def _layout_ids(self) -> None:
        ids = sorted(self._shard_of, key=self._order.__getitem__)
        self._ids: tuple[str, ...] = tuple(ids)
        self._row = {sid: i for i, sid in enumerate(ids)}
        # the rows of each shard's tables in the set's tables
        self._rows = [np.array([self._row[sid] for sid in e.series_ids], dtype=np.int64)
                      for e in self._shards]
        self._recent: dict[tuple[int, int], FigureTable] = {}
        self._gap_cache: dict[tuple[str, str], tuple[np.ndarray, ...]] = {}

    # -- configuration --------------------------------------------------------------------
    @property
    def lookback_years(self) -> float:
        return self._lookback_years

    @property
    def alignment(self) -> str:
        return self._alignment

    def set_lookback(self, years: float, *, keep: Iterable[str] | None = None) -> None:
        """``keep``: rebuild only these now, the rest goes back to pending (the
        background fill redoes it); None: every built shard, here and now."""
        lookback_months(years)
        self._lookback_years = float(years)
        self._reconfigure(keep, lambda e: e.set_lookback(years))

    def set_alignment(self, mode: str, *, keep: Iterable[str] | None = None) -> None:
        """As ``set_lookback``: ``keep`` rebuilds those now and leaves the rest pending."""
        if mode not in ALIGNMENTS:
            raise ValueError(f"alignment must be one of {ALIGNMENTS}, not {mode!r}")
        self._alignment = mode
        self._reconfigure(keep, lambda e: e.set_alignment(mode))

    def _reconfigure(self, keep: Iterable[str] | None,
                     apply: Callable[[WindowEngine], None]) -> None:
        if keep is None:
            for e in self._shards:
                apply(e)
            self._layout_ids()
            return
        built = [sid for sid in dict.fromkeys(keep) if sid in self._shard_of]
        self._shards, self._shard_of, self._built_obs = [], {}, 0
        self._layout_ids()
        if built:
            self.attach(self.build_shard(built))  # with the set's new configuration

    # -- per series -----------------------------------------------------------------------
    def series(self, series_id: str) -> Series:
        return self._all[series_id]

    def observations(self, series_id: str) -> tuple[np.ndarray, np.ndarray]:
        """(datetime64[D] dates, values) as the engine sees them (built or not)."""
        engine = self._shard_of.get(series_id)
        if engine is not None:
            return engine.observations(series_id)
        days, values = observations(self._all[series_id], self._alignment)
        return days.astype("datetime64[D]"), values

    def nbytes(self) -> int:
        return sum(e.nbytes() for e in self._shards)

    # -- queries (those of WindowEngine) ---------------------------------------------------
    def figures(self, window: Window) -> FigureTable:
        if len(self._shards) == 1:
            return self._shards[0].figures(window)  # its rows are the set's rows
        key = (int(window.start.astype(np.int64)), int(window.end.astype(np.int64)))
        table = self._recent.pop(key, None)
        if table is None:
            out = np.empty((len(self._ids), len(FIGURE_NAMES)))
            for engine, rows in zip(self._shards, self._rows, strict=True):
                out[rows] = engine.figures(window).values
            table = FigureTable(window, self._ids, out, _row=self._row)
            if len(self._recent) >= _RECENT_WINDOWS:
                del self._recent[next(iter(self._recent))]
        self._recent[key] = table
        return table

    def compare(self, a: Window, b: Window | None) -> Comparison:
        return Comparison.of(self.figures(a), None if b is None else self.figures(b))

    def relative(self, a_id: str, b_id: str, window: Window) -> RelativeResult:
        """As ``WindowEngine.relative``; the two may be in different shards (an unbuilt
        one is built first: two series, milliseconds)."""
        self.ensure((a_id, b_id))
        table = self.figures(window)
        ea, eb = self._shard_of[a_id], self._shard_of[b_id]
        return relative_result(a_id, b_id, window, table.value(a_id, "return_pct"),
                               table.value(b_id, "return_pct"), _int_days(ea, a_id),
                               _int_days(eb, b_id))

    def gap_series(self, small_id: str, tech_id: str) -> tuple[np.ndarray, ...]:
        key = (small_id, tech_id)
        if key not in self._gap_cache:
            self.ensure(key)
            self._gap_cache[key] = gap_arrays(self._shard_of[small_id].zscores(small_id),
                                              self._shard_of[tech_id].zscores(tech_id))
        return self._gap_cache[key]

    def gap(self, small_id: str, tech_id: str, window: Window) -> GapResult:
        return gap_result(small_id, tech_id, window, self.gap_series(small_id, tech_id))


def _int_days(engine: WindowEngine, series_id: str) -> tuple[np.ndarray, np.ndarray]:
    return engine.day_observations(series_id)
