"""Shared helpers for the analytics tests: series builders and figure comparison."""

from __future__ import annotations

import math

import numpy as np
from reference import NAMES, reference_figures, to_pandas

from core.series import Frequency, Series, SeriesSource

DATE_NAMES = {"start_date", "end_date", "min_date", "max_date", "highest_since", "lowest_since"}


def make_series(sid: str, dates, values, *, frequency: Frequency = Frequency.DAILY,
                kind: str = "other", name: str | None = None, unit: str = "pts",
                meta: dict | None = None, lag=None) -> Series:
    return Series(
        id=sid, name=name or sid, unit=unit, frequency=frequency,
        source=SeriesSource("test.csv", None, sid), dates=np.asarray(dates, dtype="datetime64[D]"),
        values=np.asarray(values, dtype=float), kind=kind, publication_lag=lag, meta=meta or {},
    )


def business_days(start: str, n: int) -> np.ndarray:
    return np.busday_offset(np.datetime64(start, "D"), np.arange(n), roll="forward")


def periods_per_year_of(series: Series) -> float:
    ppy = series.frequency.periods_per_year
    if ppy is not None:
        return ppy
    d = series.dates[np.isfinite(series.values)].astype(np.int64)
    return 365.25 / float(np.median(np.diff(d))) if len(d) > 1 else float("nan")


def close(name: str, got, want, scale: float) -> bool:
    """Dates exactly; numbers to 1e-9 relative, with an absolute floor for values that are
    zero up to rounding (1e-12 of the series' scale for level figures, 1e-9 otherwise)."""
    if want is None or (isinstance(want, float) and math.isnan(want)):
        return got is None
    if got is None:
        return False
    if name in DATE_NAMES:
        return got == want
    floor = 1e-12 * scale if name in {"start_value", "end_value", "change", "min", "max",
                                      "lookback_mean", "lookback_std"} else 1e-9
    return abs(got - want) <= 1e-9 * max(abs(got), abs(want)) + floor


def check_against_reference(engine, series_list, window, months: int) -> list[str]:
    """All mismatches between the engine's table and the pandas reference."""
    table = engine.figures(window).to_json()
    problems = []
    for s in series_list:
        ps = to_pandas(s.dates, s.values)
        scale = 1.0 + (float(np.abs(ps).max()) if len(ps) else 0.0)
        want = reference_figures(ps, str(window.start), str(window.end),
                                 periods_per_year=periods_per_year_of(s), lookback_months=months)
        got = table[s.id]
        for name in NAMES:
            if not close(name, got[name], want[name], scale):
                problems.append(f"{s.id} {name}: engine {got[name]!r} reference {want[name]!r}")
    return problems
