"""The figures of a window, in display order, with one-line definitions (DOMAIN.md).

``fmt`` tells a view or the desk note how to print a figure: ``value`` in the series'
unit, ``pct`` in percent, ``date`` as YYYY-MM-DD, ``z`` in standard deviations,
``percentile`` 0-100, ``count`` an integer.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FigureSpec:
    name: str
    label: str
    fmt: str  # 'value' | 'pct' | 'date' | 'z' | 'percentile' | 'count'
    description: str


FIGURE_SPECS: tuple[FigureSpec, ...] = (
    FigureSpec("start_date", "Start date", "date", "Date of the first observation in the window."),
    FigureSpec("start_value", "Start", "value", "First observation in the window."),
    FigureSpec("end_date", "End date", "date", "Date of the last observation in the window."),
    FigureSpec("end_value", "End", "value", "Last observation in the window."),
    FigureSpec("change", "Change", "value", "end_value − start_value."),
    FigureSpec("return_pct", "Return %", "pct",
               "100 × (end_value / start_value − 1); only when every value in the window is > 0."),
    FigureSpec("min", "Min", "value", "Lowest observation in the window."),
    FigureSpec("min_date", "Min date", "date", "Date of the lowest observation (earliest on ties)."),
    FigureSpec("max", "Max", "value", "Highest observation in the window."),
    FigureSpec("max_date", "Max date", "date",
               "Date of the highest observation (earliest on ties)."),
    FigureSpec("rally_from_low_pct", "From low %", "pct",
               "100 × (end_value / min − 1); positive series only."),
    FigureSpec("off_high_pct", "Off high %", "pct",
               "100 × (end_value / max − 1); positive series only."),
    FigureSpec("max_drawdown_pct", "Max drawdown %", "pct",
               "Worst fall from a running peak inside the window: min over t of "
               "100 × (x_t / max(x_s, s ≤ t) − 1); positive series only."),
    FigureSpec("vol_ann_pct", "Vol (ann.) %", "pct",
               "Sample std (ddof=1) of log returns between consecutive observations × "
               "√(periods per year) × 100; needs 3 observations and positive values."),
    FigureSpec("percentile", "Percentile", "percentile",
               "100 × share of lookback observations ≤ end_value; the lookback is "
               "(end_date − L, end_date], L years before the last observation."),
    FigureSpec("zscore", "Z-score", "z",
               "(end_value − lookback mean) / lookback std (ddof=1); null if the lookback "
               "has fewer than 2 observations or all are equal."),
    FigureSpec("highest_since", "Highest since", "date",
               "Latest date before end_date with a value ≥ end_value (whole history); "
               "null = a record high."),
    FigureSpec("lowest_since", "Lowest since", "date",
               "Latest date before end_date with a value ≤ end_value (whole history); "
               "null = a record low."),
    FigureSpec("count", "Obs", "count", "Observations in the window."),
    FigureSpec("lookback_mean", "Lookback mean", "value",
               "Mean of the observations in the lookback (end_date − L, end_date]."),
    FigureSpec("lookback_std", "Lookback std", "value",
               "Sample std (ddof=1) of the observations in the lookback."),
)

FIGURE_NAMES: tuple[str, ...] = tuple(spec.name for spec in FIGURE_SPECS)
FIGURE_INDEX: dict[str, int] = {name: i for i, name in enumerate(FIGURE_NAMES)}
SPEC_BY_NAME: dict[str, FigureSpec] = {spec.name: spec for spec in FIGURE_SPECS}
DATE_FIGURES: frozenset[str] = frozenset(s.name for s in FIGURE_SPECS if s.fmt == "date")
